package dev.nines.tsdb;

import dev.nines.tsdb.head.Head;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.wal.CheckpointResult;
import dev.nines.tsdb.wal.RepairMode;
import dev.nines.tsdb.wal.ReplayResult;
import dev.nines.tsdb.wal.WalDamage;
import dev.nines.tsdb.wal.WalReader;
import dev.nines.tsdb.wal.WalWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes. Open order: replay the WAL into a fresh head (MOVE_ASIDE: a damaged WAL is
 * repaired, logged and counted, never fatal), then open a writer (a new segment) and attach it to
 * the head, then start the checkpoint thread. Close order is the reverse: stop the thread, close
 * the writer (which fsyncs).
 *
 * Checkpointing runs on its own platform thread so that no commit waits for it. It wakes every
 * second (or at once when close() signals it) and checkpoints when more than
 * checkpointAfterSegments finished segments follow the last checkpoint. checkpoint() does the same
 * on demand; one lock keeps the two from overlapping.
 */

/**
 * The embedded time-series database: a head in memory behind a write-ahead log in {@code
 * <dir>/wal/}. Implements the storage seam for writers and readers. Thread-safe; close it once.
 */
public final class Tsdb implements Appendable, Queryable, Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Tsdb.class);
  private static final long CHECKPOINT_POLL_MILLIS = 1000;

  private final Path dir;
  private final Path walDir;
  private final TsdbOptions options;
  private final TsdbStats stats;
  private final Head head;
  private final WalWriter wal;
  private final ReentrantLock checkpointLock = new ReentrantLock();
  private final ReentrantLock stateLock = new ReentrantLock();
  private final Condition wake = stateLock.newCondition();
  private final Thread checkpointer;
  private int checkpointedUpTo;
  private volatile boolean closed;

  private Tsdb(
      Path dir, TsdbOptions options, TsdbStats stats, Head head, WalWriter wal, int checkpoint) {
    this.dir = dir;
    this.walDir = dir.resolve("wal");
    this.options = options;
    this.stats = stats;
    this.head = head;
    this.wal = wal;
    this.checkpointedUpTo = checkpoint;
    this.checkpointer =
        Thread.ofPlatform().name("nines-tsdb-checkpoint").daemon().unstarted(this::checkpointLoop);
  }

  /**
   * Opens the database in {@code dir}, creating it if needed: replays the WAL (repairing damage),
   * then starts writing a new WAL segment.
   *
   * @throws IOException if the folder cannot be read or written
   */
  public static Tsdb open(Path dir, TsdbOptions options) throws IOException {
    options.validate();
    Files.createDirectories(dir);
    Path walDir = dir.resolve("wal");
    TsdbStats stats = new TsdbStats();
    Head head = new Head(options, stats);
    long start = System.nanoTime();
    ReplayResult replay = WalReader.replay(walDir, head.replayHandler(), RepairMode.MOVE_ASIDE);
    long nanos = System.nanoTime() - start;
    stats.recordReplay(replay, nanos);
    logReplay(walDir, replay, nanos, head, stats);
    WalWriter wal = WalWriter.open(walDir, options.wal());
    head.attachWal(wal);
    Tsdb db = new Tsdb(dir, options, stats, head, wal, latestCheckpoint(walDir));
    db.checkpointer.start();
    return db;
  }

  private static void logReplay(
      Path walDir, ReplayResult r, long nanos, Head head, TsdbStats stats) {
    if (r.segmentsRead() > 0) {
      LOG.info(
          "WAL replayed from {} in {} ms: {} segments, {} series, {} samples",
          walDir,
          TimeUnit.NANOSECONDS.toMillis(nanos),
          r.segmentsRead(),
          head.numSeries(),
          r.samples());
    }
    for (WalDamage d : r.damages()) {
      LOG.warn("WAL damage dealt with during replay of {}: {}", walDir, d);
    }
    if (stats.replayUnknownSeriesSamples() > 0) {
      LOG.warn(
          "WAL replay of {} dropped {} samples whose series record was lost to damage",
          walDir,
          stats.replayUnknownSeriesSamples());
    }
  }

  private static int latestCheckpoint(Path walDir) throws IOException {
    int latest = -1;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(walDir, "checkpoint.*")) {
      for (Path p : entries) {
        String name = p.getFileName().toString().substring("checkpoint.".length());
        if (name.length() == 8 && name.chars().allMatch(Character::isDigit)) {
          latest = Math.max(latest, Integer.parseInt(name));
        }
      }
    }
    return latest;
  }

  /** The folder this database lives in. */
  public Path dir() {
    return dir;
  }

  /** The options it was opened with. */
  public TsdbOptions options() {
    return options;
  }

  /** The live counters. */
  public TsdbStats stats() {
    return stats;
  }

  /** The number of series in the head. */
  public int numSeries() {
    return head.numSeries();
  }

  /** The in-memory head, for the block engine (cutting blocks) and the querier that merges. */
  public Head head() {
    return head;
  }

  @Override
  public Appender appender() {
    checkOpen();
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    checkOpen();
    return head.querier(mint, maxt);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("tsdb in " + dir + " is closed");
    }
  }

  /**
   * Writes a WAL checkpoint now if more than {@link TsdbOptions#checkpointAfterSegments()} finished
   * segments follow the last one, or always when {@code force}; returns what it did, or null when
   * there was nothing to do.
   */
  public CheckpointResult checkpoint(boolean force) throws IOException {
    checkpointLock.lock();
    try {
      int current = wal.currentSegment();
      int finished = current - (checkpointedUpTo + 1);
      if (finished <= 0 || (!force && finished <= options.checkpointAfterSegments())) {
        return null;
      }
      int upTo = current - 1;
      CheckpointResult r = wal.checkpoint(upTo, head::contains, head.minValidTime());
      checkpointedUpTo = upTo;
      stats.incCheckpoints();
      return r;
    } catch (IOException | RuntimeException e) {
      stats.incCheckpointFailures();
      throw e;
    } finally {
      checkpointLock.unlock();
    }
  }

  private void checkpointLoop() {
    while (true) {
      stateLock.lock();
      try {
        if (closed) {
          return;
        }
        wake.await(CHECKPOINT_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (closed) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        stateLock.unlock();
      }
      try {
        checkpoint(false);
      } catch (IOException | RuntimeException e) {
        LOG.error("WAL checkpoint in {} failed; it is retried later", walDir, e);
      }
    }
  }

  /** Stops background work and closes the WAL, which fsyncs what was written. Idempotent. */
  @Override
  public void close() throws IOException {
    stateLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      wake.signalAll();
    } finally {
      stateLock.unlock();
    }
    try {
      checkpointer.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wal.close();
  }
}
