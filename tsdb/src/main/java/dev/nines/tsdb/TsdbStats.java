package dev.nines.tsdb;

import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.wal.ReplayResult;
import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one tsdb, for self metrics: appends, refusals by reason, series, replay and
 * WAL damage, checkpoints, and the block lifecycle (cuts, compactions, retention). Updated
 * concurrently with {@link LongAdder}s; reading is cheap and never blocks writers.
 */
public final class TsdbStats {
  private final LongAdder samplesAppended = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private final LongAdder commitFailures = new LongAdder();
  private final LongAdder seriesCreated = new LongAdder();
  private final LongAdder outOfOrderAccepted = new LongAdder();
  private final LongAdder duplicatesDropped = new LongAdder();
  private final EnumMap<AppendException.Reason, LongAdder> refused =
      new EnumMap<>(AppendException.Reason.class);
  private final LongAdder replayUnknownSeriesSamples = new LongAdder();
  private final LongAdder checkpoints = new LongAdder();
  private final LongAdder checkpointFailures = new LongAdder();
  private final LongAdder seriesRemoved = new LongAdder();
  private final LongAdder replaySamplesBelowBlocks = new LongAdder();
  private final LongAdder blocksCut = new LongAdder();
  private final LongAdder compactions = new LongAdder();
  private final LongAdder blocksDeletedByTime = new LongAdder();
  private final LongAdder blocksDeletedBySize = new LongAdder();
  private final LongAdder lifecycleFailures = new LongAdder();
  private final LongAdder headSamplesDeleted = new LongAdder();
  private final LongAdder headChunkWriteFailures = new LongAdder();
  private final LongAdder headChunkFilesDamaged = new LongAdder();
  private final LongAdder replaySamplesInHeadChunks = new LongAdder();
  private final LongAdder replaySeriesFromWalOnly = new LongAdder();
  private volatile ReplayResult lastReplay;
  private volatile long replayNanos;

  /** Creates zeroed counters. */
  public TsdbStats() {
    for (AppendException.Reason r : AppendException.Reason.values()) {
      refused.put(r, new LongAdder());
    }
  }

  /** Counts samples made durable and applied by commits (no-op duplicates not included). */
  public void addSamplesAppended(long n) {
    samplesAppended.add(n);
  }

  /** Counts one successful commit. */
  public void incCommits() {
    commits.increment();
  }

  /** Counts one commit whose WAL write failed; its batch was not acknowledged. */
  public void incCommitFailures() {
    commitFailures.increment();
  }

  /** Counts one new series in the head (replayed ones included). */
  public void incSeriesCreated() {
    seriesCreated.increment();
  }

  /** Counts one sample stored in an out-of-order buffer. */
  public void incOutOfOrderAccepted() {
    outOfOrderAccepted.increment();
  }

  /**
   * Counts one sample dropped when applied because a sample with the same timestamp and other value
   * bits got there first (two writers racing on one series, or such a race replayed).
   */
  public void incDuplicatesDropped() {
    duplicatesDropped.increment();
  }

  /** Counts one refused sample. */
  public void incRefused(AppendException.Reason reason) {
    refused.get(reason).increment();
  }

  /** Counts replayed samples whose series record was lost to WAL damage. */
  public void addReplayUnknownSeriesSamples(long n) {
    replayUnknownSeriesSamples.add(n);
  }

  /** Counts one WAL checkpoint written. */
  public void incCheckpoints() {
    checkpoints.increment();
  }

  /** Counts one WAL checkpoint that failed (logged; retried later). */
  public void incCheckpointFailures() {
    checkpointFailures.increment();
  }

  /** Records the outcome of the WAL replay at open and how long it took. */
  public void recordReplay(ReplayResult result, long nanos) {
    this.lastReplay = result;
    this.replayNanos = nanos;
  }

  /** Samples appended by commits since open. */
  public long samplesAppended() {
    return samplesAppended.sum();
  }

  /** Successful commits since open. */
  public long commits() {
    return commits.sum();
  }

  /** Commits that failed to write the WAL. */
  public long commitFailures() {
    return commitFailures.sum();
  }

  /** Series created since open, replayed ones included. */
  public long seriesCreated() {
    return seriesCreated.sum();
  }

  /** Samples stored in out-of-order buffers. */
  public long outOfOrderAccepted() {
    return outOfOrderAccepted.sum();
  }

  /** Duplicate samples dropped when applied. */
  public long duplicatesDropped() {
    return duplicatesDropped.sum();
  }

  /** Samples refused for {@code reason}. */
  public long refused(AppendException.Reason reason) {
    return refused.get(reason).sum();
  }

  /** Replayed samples dropped because their series record was lost to damage. */
  public long replayUnknownSeriesSamples() {
    return replayUnknownSeriesSamples.sum();
  }

  /** Checkpoints written since open. */
  public long checkpoints() {
    return checkpoints.sum();
  }

  /** Checkpoints that failed since open. */
  public long checkpointFailures() {
    return checkpointFailures.sum();
  }

  /** What the WAL replay at open read and repaired, or null before it ran. */
  public ReplayResult lastReplay() {
    return lastReplay;
  }

  /** How long the WAL replay at open took, in nanoseconds. */
  public long replayNanos() {
    return replayNanos;
  }

  /** Counts: series removed from the head by truncation (no samples left). */
  public void addSeriesRemoved(long n) {
    seriesRemoved.add(n);
  }

  /** Series removed from the head by truncation (no samples left), since open. */
  public long seriesRemoved() {
    return seriesRemoved.sum();
  }

  /**
   * Counts: replayed samples dropped because a block already holds their range (a crash between
   * cutting a block and truncating the WAL).
   */
  public void addReplaySamplesBelowBlocks(long n) {
    replaySamplesBelowBlocks.add(n);
  }

  /**
   * Replayed samples dropped because a block already holds their range (a crash between cutting a
   * block and truncating the WAL), since open.
   */
  public long replaySamplesBelowBlocks() {
    return replaySamplesBelowBlocks.sum();
  }

  /** Counts one: blocks cut from the head. */
  public void incBlocksCut() {
    blocksCut.increment();
  }

  /** Blocks cut from the head, since open. */
  public long blocksCut() {
    return blocksCut.sum();
  }

  /** Counts one: blocks written by compacting other blocks. */
  public void incCompactions() {
    compactions.increment();
  }

  /** Blocks written by compacting other blocks, since open. */
  public long compactions() {
    return compactions.sum();
  }

  /** Counts one: blocks deleted by time retention. */
  public void incBlocksDeletedByTime() {
    blocksDeletedByTime.increment();
  }

  /** Blocks deleted by time retention, since open. */
  public long blocksDeletedByTime() {
    return blocksDeletedByTime.sum();
  }

  /** Counts one: blocks deleted by size retention. */
  public void incBlocksDeletedBySize() {
    blocksDeletedBySize.increment();
  }

  /** Blocks deleted by size retention, since open. */
  public long blocksDeletedBySize() {
    return blocksDeletedBySize.sum();
  }

  /** Counts one: cuts, compactions or retention runs that failed (logged; retried later). */
  public void incLifecycleFailures() {
    lifecycleFailures.increment();
  }

  /** Cuts, compactions or retention runs that failed (logged; retried later), since open. */
  public long lifecycleFailures() {
    return lifecycleFailures.sum();
  }

  /** Counts: samples deleted from the head by deleteSeries. */
  public void addHeadSamplesDeleted(long n) {
    headSamplesDeleted.add(n);
  }

  /** Samples deleted from the head by deleteSeries, since open. */
  public long headSamplesDeleted() {
    return headSamplesDeleted.sum();
  }

  /** Counts a full head chunk that could not be written to the head chunk files (kept on heap). */
  public void incHeadChunkWriteFailures() {
    headChunkWriteFailures.increment();
  }

  /** Full head chunks kept on the heap because writing them to the head chunk files failed. */
  public long headChunkWriteFailures() {
    return headChunkWriteFailures.sum();
  }

  /**
   * Counts a head chunk file that load read only up to a torn or damaged record, or deleted for a
   * bad header; replay takes what it lacks from the WAL.
   */
  public void incHeadChunkFilesDamaged() {
    headChunkFilesDamaged.increment();
  }

  /**
   * Head chunk files read only in part or deleted at load (see {@link #incHeadChunkFilesDamaged}).
   */
  public long headChunkFilesDamaged() {
    return headChunkFilesDamaged.sum();
  }

  /**
   * Counts WAL samples that replay did not apply because a confirmed head chunk file holds them.
   */
  public void addReplaySamplesInHeadChunks(long n) {
    replaySamplesInHeadChunks.add(n);
  }

  /** WAL samples replay skipped because a confirmed head chunk file holds them. */
  public long replaySamplesInHeadChunks() {
    return replaySamplesInHeadChunks.sum();
  }

  /**
   * Counts a series whose head chunk files the WAL did not confirm: replayed from the WAL alone.
   */
  public void incReplaySeriesFromWalOnly() {
    replaySeriesFromWalOnly.increment();
  }

  /**
   * Series whose loaded head chunks failed the WAL's check and were replayed from the WAL alone.
   */
  public long replaySeriesFromWalOnly() {
    return replaySeriesFromWalOnly.sum();
  }
}
