package dev.nines.tsdb.wal;

/**
 * What a checkpoint kept and removed.
 *
 * @param checkpoint the number of the checkpoint written (the last segment it covers)
 * @param seriesKept series written into the checkpoint
 * @param seriesDropped series left out because the predicate rejected them
 * @param samplesKept samples written into the checkpoint
 * @param segmentsDeleted segment files deleted because the checkpoint covers them
 */
public record CheckpointResult(
    int checkpoint, long seriesKept, long seriesDropped, long samplesKept, int segmentsDeleted) {}
