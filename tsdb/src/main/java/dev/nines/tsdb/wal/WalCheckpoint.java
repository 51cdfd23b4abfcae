package dev.nines.tsdb.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes. A checkpoint is written with the WAL's own writer (policy NONE, fsynced on close)
 * into checkpoint.NNNNNNNN.tmp, then renamed into place and the directory fsynced; only after that
 * are covered segments and older checkpoints deleted. Every crash point therefore leaves either the
 * old state or the new checkpoint plus segments that replay skips (docs/formats/wal.md). Series
 * are buffered and written in packed records; samples are buffered in primitive arrays, and
 * series are always flushed before the samples that follow them, so replay sees a series before
 * its samples.
 */

/** Compacts the oldest WAL segments into a checkpoint that holds only what is still live. */
public final class WalCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpoint.class);
  private static final int SAMPLE_BUFFER = 4096;
  private static final int SERIES_BUFFER = 1000;

  private WalCheckpoint() {}

  /**
   * Writes {@code checkpoint.<upToSegment>} from the previous checkpoint and the segments up to
   * {@code upToSegment}, keeping the series for which {@code keepSeries} is true and their samples
   * at or after {@code minTime} ({@link Long#MAX_VALUE} keeps no samples), then deletes what it
   * covers. No writer may be writing to a covered segment.
   *
   * @throws WalCorruptionException if a covered segment is damaged; nothing is deleted then
   */
  public static CheckpointResult create(
      Path dir, int upToSegment, LongPredicate keepSeries, long minTime) throws IOException {
    if (upToSegment < 0) {
      throw new IllegalArgumentException("upToSegment must be >= 0, got " + upToSegment);
    }
    removeStaleTemporaries(dir);
    OptionalInt previous = Segments.latestCheckpoint(dir);
    if (previous.isPresent() && previous.getAsInt() > upToSegment) {
      throw new IllegalArgumentException(
          "checkpoint "
              + Segments.name(previous.getAsInt())
              + " already covers segment "
              + upToSegment);
    }
    Path target = Segments.checkpointDir(dir, upToSegment);
    Copier copier = new Copier(keepSeries, minTime);
    if (!(previous.isPresent() && previous.getAsInt() == upToSegment)) {
      if (!Segments.list(dir).contains(upToSegment)) {
        throw new IllegalArgumentException("no WAL segment " + Segments.name(upToSegment));
      }
      Path tmp = dir.resolve(target.getFileName() + Segments.TMP_SUFFIX);
      WalOptions options =
          new WalOptions(WalOptions.DEFAULT_MAX_SEGMENT_BYTES, FsyncPolicy.NONE, Duration.ZERO);
      try (WalWriter out = WalWriter.open(tmp, options)) {
        copier.out = out;
        try {
          WalReader.replayUpTo(dir, upToSegment, copier);
        } catch (CheckpointWriteException e) {
          throw e.getCause();
        }
        copier.flush();
      }
      Segments.fsyncDir(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      Segments.fsyncDir(dir);
    }
    int deleted = 0;
    for (int seq : Segments.list(dir)) {
      if (seq <= upToSegment) {
        Files.delete(dir.resolve(Segments.name(seq)));
        deleted++;
      }
    }
    for (int cp : Segments.checkpoints(dir)) {
      if (cp < upToSegment) {
        Segments.deleteTree(Segments.checkpointDir(dir, cp));
      }
    }
    Segments.fsyncDir(dir);
    LOG.info(
        "WAL checkpoint {} written: {} series kept, {} dropped, {} samples kept, {} segments"
            + " deleted",
        target,
        copier.seriesKept,
        copier.seriesDropped,
        copier.samplesKept,
        deleted);
    return new CheckpointResult(
        upToSegment, copier.seriesKept, copier.seriesDropped, copier.samplesKept, deleted);
  }

  private static void removeStaleTemporaries(Path dir) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries =
        Files.newDirectoryStream(dir, Segments.CHECKPOINT_PREFIX + "*" + Segments.TMP_SUFFIX)) {
      for (Path p : entries) {
        stale.add(p);
      }
    }
    for (Path p : stale) {
      LOG.info("removing unfinished WAL checkpoint {}", p);
      Segments.deleteTree(p);
    }
  }

  /** Filters replayed records into the checkpoint writer. */
  private static final class Copier implements WalRecordHandler {
    private final LongPredicate keepSeries;
    private final long minTime;
    private final LongHashSet kept = new LongHashSet();
    private final LongHashSet seen = new LongHashSet();
    private final List<SeriesRecord> pendingSeries = new ArrayList<>();
    private final long[] refs = new long[SAMPLE_BUFFER];
    private final long[] timestamps = new long[SAMPLE_BUFFER];
    private final double[] values = new double[SAMPLE_BUFFER];
    private int pendingSamples;
    private WalWriter out;
    private long seriesKept;
    private long seriesDropped;
    private long samplesKept;

    Copier(LongPredicate keepSeries, long minTime) {
      this.keepSeries = keepSeries;
      this.minTime = minTime;
    }

    @Override
    public void series(SeriesRecord series) {
      if (!seen.add(series.ref())) {
        return;
      }
      if (!keepSeries.test(series.ref())) {
        seriesDropped++;
        return;
      }
      kept.add(series.ref());
      seriesKept++;
      pendingSeries.add(series);
      if (pendingSeries.size() >= SERIES_BUFFER) {
        flushUnchecked();
      }
    }

    @Override
    public void samples(SampleBatch batch) {
      for (int i = 0; i < batch.size(); i++) {
        long t = batch.timestamp(i);
        if (t < minTime || !kept.contains(batch.ref(i))) {
          continue;
        }
        refs[pendingSamples] = batch.ref(i);
        timestamps[pendingSamples] = t;
        values[pendingSamples] = batch.value(i);
        pendingSamples++;
        samplesKept++;
        if (pendingSamples == SAMPLE_BUFFER) {
          flushUnchecked();
        }
      }
    }

    private void flushUnchecked() {
      try {
        flush();
      } catch (IOException e) {
        throw new CheckpointWriteException(e);
      }
    }

    void flush() throws IOException {
      if (!pendingSeries.isEmpty()) {
        out.logSeries(pendingSeries);
        pendingSeries.clear();
      }
      if (pendingSamples > 0) {
        out.logSamples(refs, timestamps, values, pendingSamples);
        pendingSamples = 0;
      }
    }
  }

  /** Carries an IOException out of a record handler. */
  private static final class CheckpointWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CheckpointWriteException(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }
}
