package dev.nines.tsdb.wal;

/**
 * A snapshot of a WAL writer's counters; the server exports them as self metrics.
 *
 * @param records records written
 * @param bytes bytes written, frame headers included
 * @param fsyncs fsyncs completed, segment rotations included
 * @param segmentsCreated segment files created by this writer
 * @param currentSegment the number of the segment being written
 */
public record WalWriterStats(
    long records, long bytes, long fsyncs, long segmentsCreated, int currentSegment) {}
