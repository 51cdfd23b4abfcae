package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.openFileDescriptors;
import static dev.nines.tsdb.TsdbFixtures.readAll;
import static dev.nines.tsdb.TsdbFixtures.smallSegments;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbFixtures.Sample;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.CheckpointResult;
import dev.nines.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts: replay gives the same data, damage is repaired, checkpoints, nothing leaks. */
class TsdbReplayTest {
  @TempDir Path dir;

  /** Writes {@code rounds} commits of 50 series each; series i gets value i + round. */
  static void write(Tsdb db, int fromRound, int rounds) throws Exception {
    Appender app = db.appender();
    for (int r = fromRound; r < fromRound + rounds; r++) {
      for (int i = 0; i < 50; i++) {
        Labels l = Labels.of("__name__", "m" + (i % 5), "i", Integer.toString(i));
        app.append(0, l, r * 15_000L, i + r);
      }
      app.commit();
    }
  }

  static Map<Labels, List<Sample>> expected(int rounds) {
    Map<Labels, List<Sample>> out = new java.util.TreeMap<>();
    for (int i = 0; i < 50; i++) {
      Labels l = Labels.of("__name__", "m" + (i % 5), "i", Integer.toString(i));
      List<Sample> s = new java.util.ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        s.add(Sample.of(r * 15_000L, (double) (i + r)));
      }
      out.put(l, s);
    }
    return out;
  }

  @Test
  void replayAfterCloseGivesTheSameDataAndTheSameRefs() throws Exception {
    long ref;
    Labels l = Labels.of("__name__", "m0", "i", "0");
    try (Tsdb db = Tsdb.open(dir, fast())) {
      write(db, 0, 300);
      ref = db.appender().append(0, l, 300 * 15_000L, 300);
    }
    try (Tsdb db = Tsdb.open(dir, fast())) {
      assertThat(readAll(db)).isEqualTo(expected(300));
      assertThat(db.stats().lastReplay().samples()).isEqualTo(300 * 50);
      // The ref is the same after the restart, and new series continue after the old refs.
      Appender app = db.appender();
      assertThat(app.append(ref, l, 300 * 15_000L, 300)).isEqualTo(ref);
      long fresh = app.append(0, Labels.of("__name__", "new"), 300 * 15_000L, 1);
      assertThat(fresh).isGreaterThan(50);
      app.commit();
      write(db, 301, 5);
    }
    try (Tsdb db = Tsdb.open(dir, fast())) {
      assertThat(readAll(db)).hasSize(51);
      assertThat(db.numSeries()).isEqualTo(51);
    }
  }

  @Test
  void tornTailKeepsEveryGoodRecord() throws Exception {
    try (Tsdb db = Tsdb.open(dir, fast())) {
      write(db, 0, 20);
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
      segment =
          files
              .filter(p -> p.getFileName().toString().matches("\\d{8}"))
              .sorted()
              .toList()
              .getLast();
    }
    // Half a record of garbage at the end, as a crash in the middle of a write leaves it.
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {2, 0, 0, 1, 0, 7, 7, 7}));
    }
    try (Tsdb db = Tsdb.open(dir, fast())) {
      assertThat(readAll(db)).isEqualTo(expected(20));
      assertThat(db.stats().lastReplay().tailTruncations()).isEqualTo(1);
      write(db, 20, 1);
    }
    try (Tsdb db = Tsdb.open(dir, fast())) {
      assertThat(readAll(db)).isEqualTo(expected(21));
      assertThat(db.stats().lastReplay().damages()).isEmpty();
    }
  }

  @Test
  void checkpointsKeepEverythingTheHeadHolds() throws Exception {
    TsdbOptions options = smallSegments(FsyncPolicy.NONE).withCheckpointAfterSegments(2);
    try (Tsdb db = Tsdb.open(dir, options)) {
      write(db, 0, 100);
      CheckpointResult r = db.checkpoint(true);
      assertThat(r).isNotNull();
      assertThat(r.seriesKept()).isEqualTo(50);
      // Samples of the segment being written are not in the checkpoint; they stay in the WAL.
      assertThat(r.samplesKept()).isBetween(1L, 100L * 50);
      assertThat(r.segmentsDeleted()).isGreaterThan(2);
      write(db, 100, 20);
      assertThat(db.checkpoint(false)).isNotNull();
      assertThat(db.stats().checkpoints()).isEqualTo(2);
    }
    try (Tsdb db = Tsdb.open(dir, options)) {
      assertThat(readAll(db)).isEqualTo(expected(120));
      assertThat(db.stats().lastReplay().checkpoint()).isGreaterThan(0);
    }
  }

  @Test
  void nothingLeaksAfterOpenAndClose() throws Exception {
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      try (Tsdb db = Tsdb.open(dir.resolve("warmup-" + policy), smallSegments(policy))) {
        write(db, 0, 3);
      }
    }
    long before = openFileDescriptors();
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      Path d = dir.resolve(policy.name());
      for (int i = 0; i < 3; i++) {
        try (Tsdb db = Tsdb.open(d, smallSegments(policy))) {
          write(db, i * 10, 10);
          db.checkpoint(true);
        }
      }
      try (Tsdb db = Tsdb.open(d, smallSegments(policy))) {
        assertThat(readAll(db)).isEqualTo(expected(30));
      }
    }
    assertThat(openFileDescriptors()).isEqualTo(before);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(
            t ->
                t.isAlive()
                    && (t.getName().equals("nines-wal-flusher")
                        || t.getName().equals("nines-tsdb-checkpoint")));
  }

  /**
   * Regression: with several appenders the WAL holds SERIES records out of ref order; replay must
   * still leave every postings list sorted (intersections rely on it) without copying a list per
   * series.
   */
  @Test
  void seriesRecordsOutOfRefOrderReplayIntoSortedPostings() throws Exception {
    int n = 200;
    try (Tsdb db = Tsdb.open(dir, fast())) {
      Appender[] apps = new Appender[n];
      for (int i = 0; i < n; i++) {
        apps[i] = db.appender();
        Labels l =
            Labels.of(
                "__name__", "m", "job", i % 2 == 0 ? "even" : "odd", "i", Integer.toString(i));
        apps[i].append(0, l, 1_000L, i);
      }
      for (int i = n - 1; i >= 0; i--) { // newest ref first in the WAL
        apps[i].commit();
      }
    }
    try (Tsdb db = Tsdb.open(dir, fast())) {
      assertThat(db.numSeries()).isEqualTo(n);
      try (var q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        var even = TsdbFixtures.read(q, false, TsdbFixtures.eq("job", "even"));
        var evenAndM =
            TsdbFixtures.read(
                q, false, TsdbFixtures.eq("__name__", "m"), TsdbFixtures.eq("job", "even"));
        assertThat(even).hasSize(n / 2);
        assertThat(evenAndM.keySet()).containsExactlyElementsOf(even.keySet());
        // Unsorted selects come in ref order, which is creation order here: i = 0, 2, 4, ...
        assertThat(even.keySet().stream().map(l -> Integer.parseInt(l.get("i"))).toList())
            .isSorted();
      }
      // A live append after replay still lands in sorted lists.
      Appender app = db.appender();
      app.append(0, Labels.of("__name__", "m", "job", "even", "i", "new"), 2_000L, 1);
      app.commit();
      try (var q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertThat(
                TsdbFixtures.read(
                    q, false, TsdbFixtures.eq("__name__", "m"), TsdbFixtures.eq("job", "even")))
            .hasSize(n / 2 + 1);
      }
    }
  }

  @Test
  void closeIsIdempotent() throws IOException {
    Tsdb db = Tsdb.open(dir, fast());
    db.close();
    db.close();
  }
}
