package dev.nines.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The child process of {@link TsdbCrashTest}: opens a tsdb and appends forever, printing {@code ACK
 * <i>} after commit {@code i} returned, until it is killed.
 *
 * <p>Commit {@code i} writes, at {@code t = i * 1000}, the value {@code i * 10 + s} to series
 * {@code crash_fixed{s="<s>"}} for s in 0..9, and the value {@code i} to a new series {@code
 * crash_new{i="<i>"}} when {@code i} is a multiple of 4, so commits log SERIES and SAMPLES records
 * together. Values depend only on {@code i}; after a restart the writer resumes after the newest
 * stored commit, which may be newer than the last ACK the test saw. A short pause after each commit
 * keeps the data small.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static final int FIXED = 10;

  static Labels fixed(int s) {
    return Labels.of("__name__", "crash_fixed", "s", Integer.toString(s));
  }

  static Labels fresh(long i) {
    return Labels.of("__name__", "crash_new", "i", Long.toString(i));
  }

  /** The index of the newest commit already in {@code db}, or -1. */
  private static long newestStoredCommit(Tsdb db) {
    long newest = -1;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set =
          q.select(
              false,
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              List.of(
                  LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "crash_fixed"),
                  LabelMatcher.of(LabelMatcher.Type.EQUAL, "s", "0")));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() != SampleIterator.NONE) {
          newest = Math.max(newest, it.timestamp() / 1000);
        }
      }
    }
    return newest;
  }

  /** Arguments: data folder, fsync policy, first commit index. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    FsyncPolicy policy = FsyncPolicy.valueOf(args[1]);
    long first = Long.parseLong(args[2]);
    TsdbOptions options =
        TsdbOptions.defaults()
            .withWal(WalOptions.defaults().withFsyncPolicy(policy).withMaxSegmentBytes(1 << 20))
            .withCheckpointAfterSegments(2);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Tsdb db = Tsdb.open(dir, options);
    // A commit can be durable without its ACK line having reached the test before the kill:
    // resume after the newest stored commit, or its samples would be refused as out of order.
    first = Math.max(first, newestStoredCommit(db) + 1);
    Appender app = db.appender();
    long[] refs = new long[FIXED];
    for (long i = first; ; i++) {
      long t = i * 1000;
      for (int s = 0; s < FIXED; s++) {
        refs[s] = app.append(refs[s], fixed(s), t, (double) (i * 10 + s));
      }
      if (i % 4 == 0) {
        app.append(0, fresh(i), t, (double) i);
      }
      app.commit();
      // One write per line: log lines on stdout from other threads must not split it.
      out.write(("ACK " + i + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      LockSupport.parkNanos(300_000);
    }
  }
}
