package dev.nines.tsdb.wal;

import dev.nines.common.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * One lock guards the file state: the current channel, the byte counters and the sync state.
 * Appends encode their frame into a reused buffer and write() it under the lock, so records never
 * interleave and, once write() returns, the bytes are in the page cache (enough for NONE).
 *
 * Durability is tracked with two monotonic byte counters over the whole log: `written` (bytes
 * handed to write()) and `durable` (bytes covered by a completed fsync). An append is durable when
 * durable >= the end of its frame. fsync runs *outside* the lock, one at a time (`syncing`), and
 * covers everything written before it started, so many appenders share one fsync:
 *
 *  - ALWAYS: the appender itself calls syncTo(end). If an fsync is running it waits for it; if that
 *    did not cover it, the first waiter to wake runs the next fsync for everyone (leader/follower).
 *  - BATCH: appenders wait on `synced` while a flusher thread runs syncTo(written) no more often
 *    than once per batch interval.
 *  - NONE: no waiting.
 *
 * Rotation (segment full) happens under the lock: it fsyncs the old segment itself, which makes
 * everything written so far durable, and opens the next segment, then fsyncs the directory so the
 * new file's entry survives a power loss. If an fsync on the old channel is still running outside
 * the lock, the old channel is parked in `retired` and the syncing thread closes it when it is done,
 * so no channel is ever closed under a running force().
 *
 * A failed fsync poisons the writer (`failure`): every later call throws. After a failed fsync the
 * kernel may have dropped the dirty pages, so retrying could report success for lost data.
 *
 * Encoding allocates nothing per sample: samples go straight from the caller's arrays into the
 * reused frame buffer.
 */

/**
 * The appending side of the write-ahead log: logs series and sample batches into size-limited
 * segment files and makes them durable as the {@link FsyncPolicy} says. Safe for concurrent use.
 */
public final class WalWriter implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WalWriter.class);
  private static final int SERIES_PER_RECORD = 1000;

  private final Path dir;
  private final WalOptions options;
  private final long maxPayload;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition synced = lock.newCondition();
  private final Condition work = lock.newCondition();
  private final RecordCodec codec = new RecordCodec();
  private final List<FileChannel> retired = new ArrayList<>();
  private final Thread flusher;

  private FileChannel channel;
  private int segment;
  private long segmentBytes;
  private long written;
  private long durable;
  private boolean syncing;
  private long lastSyncNanos;
  private IOException failure;
  private boolean closed;

  private long records;
  private long fsyncs;
  private long segmentsCreated;

  private WalWriter(Path dir, WalOptions options, int firstSegment) throws IOException {
    this.dir = dir;
    this.options = options;
    this.maxPayload = options.maxSegmentBytes() - Segments.FRAME_HEADER_BYTES;
    openSegment(firstSegment);
    if (options.fsyncPolicy() == FsyncPolicy.BATCH) {
      flusher = Thread.ofPlatform().name("nines-wal-flusher").daemon().unstarted(this::flushLoop);
      flusher.start();
    } else {
      flusher = null;
    }
  }

  /**
   * Opens a writer on {@code dir}, creating it if needed, and starts a new segment after every
   * segment and checkpoint already there. Replay the directory first: the writer never reads it.
   */
  public static WalWriter open(Path dir, WalOptions options) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null) {
        Segments.fsyncDir(parent);
      }
    }
    int next = 0;
    for (int seq : Segments.list(dir)) {
      next = Math.max(next, seq + 1);
    }
    for (int cp : Segments.checkpoints(dir)) {
      next = Math.max(next, cp + 1);
    }
    return new WalWriter(dir, options, next);
  }

  /**
   * Logs one series; returns when it is durable under the fsync policy.
   *
   * @throws IllegalArgumentException if the encoded series does not fit in one segment
   */
  public void logSeries(long ref, Labels labels) throws IOException {
    logSeries(List.of(new SeriesRecord(ref, labels)));
  }

  /**
   * Logs several series, packed into as few records as fit; returns when all are durable under the
   * fsync policy.
   *
   * @throws IllegalArgumentException if one encoded series does not fit in one segment
   */
  public void logSeries(List<SeriesRecord> series) throws IOException {
    if (series.isEmpty()) {
      return;
    }
    lock.lock();
    try {
      checkUsable();
      awaitDurable(appendSeries(series));
    } finally {
      lock.unlock();
    }
  }

  /** Writes series records for all of {@code series}; returns the log position after. Lock held. */
  private long appendSeries(List<SeriesRecord> series) throws IOException {
    long end = written;
    int i = 0;
    while (i < series.size()) {
      codec.startFrame(Segments.TYPE_SERIES);
      int inRecord = 0;
      while (i < series.size() && inRecord < SERIES_PER_RECORD) {
        int before = codec.frameLength();
        codec.putSeries(series.get(i));
        if (codec.payloadLength() > maxPayload) {
          if (inRecord == 0) {
            throw new IllegalArgumentException(
                "series "
                    + series.get(i).ref()
                    + " takes "
                    + (codec.frameLength() - before)
                    + " bytes, more than a WAL segment of "
                    + options.maxSegmentBytes()
                    + " bytes holds");
          }
          codec.truncate(before);
          break;
        }
        i++;
        inRecord++;
      }
      end = appendFrame();
    }
    return end;
  }

  /**
   * Logs the first {@code count} samples of the given arrays (ref, timestamp in milliseconds,
   * value); returns when they are durable under the fsync policy. Large batches are split into
   * several records. Allocates nothing per sample.
   */
  public void logSamples(long[] refs, long[] timestamps, double[] values, int count)
      throws IOException {
    if (count > refs.length || count > timestamps.length || count > values.length || count < 0) {
      throw new IllegalArgumentException("count " + count + " exceeds the arrays given");
    }
    if (count == 0) {
      return;
    }
    lock.lock();
    try {
      checkUsable();
      long end = written;
      int i = 0;
      while (i < count) {
        codec.startFrame(Segments.TYPE_SAMPLES);
        long baseRef = refs[i];
        long baseTime = timestamps[i];
        codec.putLong(baseRef);
        codec.putLong(baseTime);
        while (i < count && codec.payloadLength() + RecordCodec.MAX_SAMPLE_BYTES <= maxPayload) {
          codec.putVarint(refs[i] - baseRef);
          codec.putVarint(timestamps[i] - baseTime);
          codec.putLong(Double.doubleToRawLongBits(values[i]));
          i++;
        }
        end = appendFrame();
      }
      awaitDurable(end);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Logs new series and then a batch of samples, and returns once both are durable under the fsync
   * policy; one wait covers both, because an fsync covers everything written before it. The series
   * records come first in the log, so replay sees every series before its samples. Values are given
   * as raw IEEE-754 bits; allocates nothing per sample.
   *
   * @throws IllegalArgumentException if one encoded series does not fit in one segment
   */
  public void logBatch(
      List<SeriesRecord> series, long[] refs, long[] timestamps, long[] valueBits, int count)
      throws IOException {
    if (count > refs.length || count > timestamps.length || count > valueBits.length || count < 0) {
      throw new IllegalArgumentException("count " + count + " exceeds the arrays given");
    }
    if (series.isEmpty() && count == 0) {
      return;
    }
    lock.lock();
    try {
      checkUsable();
      long end = written;
      if (!series.isEmpty()) {
        end = appendSeries(series);
      }
      int i = 0;
      while (i < count) {
        codec.startFrame(Segments.TYPE_SAMPLES);
        long baseRef = refs[i];
        long baseTime = timestamps[i];
        codec.putLong(baseRef);
        codec.putLong(baseTime);
        while (i < count && codec.payloadLength() + RecordCodec.MAX_SAMPLE_BYTES <= maxPayload) {
          codec.putVarint(refs[i] - baseRef);
          codec.putVarint(timestamps[i] - baseTime);
          codec.putLong(valueBits[i]);
          i++;
        }
        end = appendFrame();
      }
      awaitDurable(end);
    } finally {
      lock.unlock();
    }
  }

  /** Writes the frame in the codec buffer; returns the log position after it. Lock held. */
  private long appendFrame() throws IOException {
    codec.finishFrame();
    int len = codec.frameLength();
    if (segmentBytes + len > options.maxSegmentBytes() && segmentBytes > 0) {
      rotate();
    }
    ByteBuffer bb = ByteBuffer.wrap(codec.buffer(), 0, len);
    try {
      while (bb.hasRemaining()) {
        channel.write(bb);
      }
    } catch (IOException e) {
      fail(e);
      throw e;
    }
    segmentBytes += len;
    written += len;
    records++;
    return written;
  }

  private void awaitDurable(long end) throws IOException {
    switch (options.fsyncPolicy()) {
      case NONE -> {}
      case ALWAYS -> syncTo(end);
      case BATCH -> {
        work.signal();
        while (durable < end) {
          checkFailure();
          synced.awaitUninterruptibly();
        }
      }
    }
  }

  /** Runs fsyncs until everything up to {@code target} is durable. Lock held on entry and exit. */
  private void syncTo(long target) throws IOException {
    while (durable < target) {
      checkFailure();
      if (syncing) {
        synced.awaitUninterruptibly();
        continue;
      }
      syncing = true;
      FileChannel ch = channel;
      long end = written;
      lastSyncNanos = System.nanoTime();
      IOException error = null;
      lock.unlock();
      try {
        ch.force(false);
      } catch (IOException e) {
        error = e;
      } finally {
        lock.lock();
      }
      syncing = false;
      closeRetired();
      if (error != null) {
        fail(error);
      } else {
        durable = Math.max(durable, end);
        fsyncs++;
      }
      synced.signalAll();
    }
    checkFailure();
  }

  private void flushLoop() {
    long intervalNanos = options.batchInterval().toNanos();
    lock.lock();
    try {
      while (true) {
        if (closed || failure != null) {
          return;
        }
        if (written == durable) {
          work.awaitUninterruptibly();
          continue;
        }
        long wait = lastSyncNanos + intervalNanos - System.nanoTime();
        if (wait > 0) {
          work.awaitNanos(wait);
          continue;
        }
        try {
          syncTo(written);
        } catch (IOException e) {
          LOG.error("WAL group fsync failed in {}; the writer is failed", dir, e);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the current segment and starts the next one. Lock held. */
  private void rotate() throws IOException {
    FileChannel old = channel;
    try {
      old.force(false);
    } catch (IOException e) {
      fail(e);
      throw e;
    }
    fsyncs++;
    durable = written;
    synced.signalAll();
    if (syncing) {
      retired.add(old);
    } else {
      old.close();
    }
    openSegment(segment + 1);
  }

  private void openSegment(int seq) throws IOException {
    if (seq > Segments.MAX_SEQUENCE) {
      throw new IOException("WAL segment numbers exhausted in " + dir);
    }
    Path file = dir.resolve(Segments.name(seq));
    channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      Segments.fsyncDir(dir);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    segment = seq;
    segmentBytes = 0;
    segmentsCreated++;
  }

  private void closeRetired() {
    for (FileChannel ch : retired) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.warn("closing a finished WAL segment in {} failed", dir, e);
      }
    }
    retired.clear();
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
      LOG.error("WAL writer in {} failed; no further appends are accepted", dir, e);
    }
    synced.signalAll();
    work.signalAll();
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("WAL writer for " + dir + " is closed");
    }
    checkFailure();
  }

  private void checkFailure() throws IOException {
    if (failure != null) {
      throw new IOException("WAL writer for " + dir + " failed earlier", failure);
    }
  }

  /**
   * Closes the current segment and starts a new one, so that everything logged so far is in
   * segments below {@link #currentSegment()}; returns the new segment's number.
   */
  public int cutSegment() throws IOException {
    lock.lock();
    try {
      checkUsable();
      if (segmentBytes > 0) {
        rotate();
      }
      return segment;
    } finally {
      lock.unlock();
    }
  }

  /** The number of the segment being written. */
  public int currentSegment() {
    lock.lock();
    try {
      return segment;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes a checkpoint of the segments up to {@code upToSegment}, which must be below the segment
   * being written; see {@link WalCheckpoint#create}.
   */
  public CheckpointResult checkpoint(int upToSegment, LongPredicate keepSeries, long minTime)
      throws IOException {
    int current = currentSegment();
    if (upToSegment >= current) {
      throw new IllegalArgumentException(
          "cannot checkpoint up to segment "
              + upToSegment
              + ": segment "
              + current
              + " is being written; call cutSegment() first");
    }
    return WalCheckpoint.create(dir, upToSegment, keepSeries, minTime);
  }

  /** A snapshot of this writer's counters. */
  public WalWriterStats stats() {
    lock.lock();
    try {
      return new WalWriterStats(records, written, fsyncs, segmentsCreated, segment);
    } finally {
      lock.unlock();
    }
  }

  /** Fsyncs what was written, stops the flusher and closes the segment file. Idempotent. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    if (flusher != null) {
      try {
        flusher.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      IOException error = null;
      if (failure == null) {
        try {
          syncTo(written);
        } catch (IOException e) {
          error = e;
        }
      }
      while (syncing) {
        synced.awaitUninterruptibly();
      }
      closeRetired();
      channel.close();
      synced.signalAll();
      if (error != null) {
        throw error;
      }
    } finally {
      lock.unlock();
    }
  }
}
