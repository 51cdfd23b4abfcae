package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.eq;
import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.read;
import static dev.nines.tsdb.TsdbFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbFixtures.Sample;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.AppendException.Reason;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write path: round trips, ordering rules, duplicates, chunk cutting and the stale marker. */
class TsdbAppendTest {
  static final long STALE_BITS = 0x7ff0000000000002L;
  static final Labels UP = Labels.of("__name__", "up", "job", "node");
  static final Labels CPU = Labels.of("__name__", "cpu", "job", "node", "mode", "idle");

  @TempDir Path dir;
  Tsdb db;

  @AfterEach
  void closeDb() throws IOException {
    if (db != null) {
      db.close();
    }
  }

  Tsdb open(TsdbOptions options) throws IOException {
    db = Tsdb.open(dir, options);
    return db;
  }

  @Test
  void appendedSamplesReadBackExactlyAcrossChunks() throws Exception {
    open(fast());
    Appender app = db.appender();
    long ref = 0;
    List<Sample> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      long t = 1_700_000_000_000L + i * 15_000L;
      double v = i % 7 == 0 ? Double.longBitsToDouble(STALE_BITS) : i * 1.5;
      ref = app.append(ref, UP, t, v);
      expected.add(new Sample(t, Double.doubleToRawLongBits(v)));
      if (i % 100 == 99) {
        app.commit();
      }
    }
    app.commit();
    assertThat(readAll(db)).containsExactly(Map.entry(UP, expected));
    assertThat(db.stats().samplesAppended()).isEqualTo(1000);
  }

  @Test
  void nothingIsVisibleBeforeCommitAndRollbackDiscards() throws Exception {
    open(fast());
    Appender app = db.appender();
    app.append(0, UP, 1000, 1);
    assertThat(readAll(db)).isEmpty();
    app.rollback();
    app.commit();
    assertThat(readAll(db)).isEmpty();
    app.append(0, UP, 2000, 2);
    app.commit();
    assertThat(readAll(db)).containsExactly(Map.entry(UP, List.of(Sample.of(2000, 2))));
  }

  @Test
  void queryRangeIsInclusiveAndSeekWorks() throws Exception {
    open(fast());
    Appender app = db.appender();
    for (int i = 0; i < 500; i++) {
      app.append(0, UP, i * 1000L, i);
    }
    app.commit();
    try (Querier q = db.querier(100_000, 200_000)) {
      List<Sample> got = read(q, false, eq("__name__", "up")).get(UP);
      assertThat(got).hasSize(101);
      assertThat(got.getFirst()).isEqualTo(Sample.of(100_000, 100));
      assertThat(got.getLast()).isEqualTo(Sample.of(200_000, 200));
      SeriesSet set = q.select(false, SelectHints.range(0, 0), List.of(eq("job", "node")));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      assertThat(it.seek(150_500)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(151_000);
      assertThat(it.seek(10)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(151_000);
      assertThat(it.next()).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(152_000);
      assertThat(it.seek(300_000)).isEqualTo(SampleIterator.NONE);
      assertThat(set.next()).isFalse();
    }
    try (Querier q = db.querier(600_000, 700_000)) {
      assertThat(read(q, false, eq("__name__", "up"))).isEmpty();
    }
  }

  @Test
  void chunksAreCutAtTheChunkRangeBoundary() throws Exception {
    open(fast());
    Appender app = db.appender();
    long range = Duration.ofHours(2).toMillis();
    // Ten samples straddling a 2h boundary, including negative timestamps around the epoch.
    List<Sample> expected = new ArrayList<>();
    for (long t = -5 * 60_000; t <= 4 * 60_000; t += 60_000) {
      app.append(0, UP, t, (double) t);
      expected.add(Sample.of(t, (double) t));
    }
    for (long t = range - 60_000; t <= range + 60_000; t += 60_000) {
      app.append(0, UP, t, (double) t);
      expected.add(Sample.of(t, (double) t));
    }
    app.commit();
    assertThat(readAll(db).get(UP)).isEqualTo(expected);
    try (Querier q = db.querier(range, range + 60_000)) {
      assertThat(read(q, false, eq("job", "node")).get(UP))
          .containsExactly(
              Sample.of(range, (double) range),
              Sample.of(range + 60_000, (double) (range + 60_000)));
    }
  }

  @Test
  void olderSampleIsRefusedAsOutOfOrderAndTheBatchStaysUsable() throws Exception {
    open(fast());
    Appender app = db.appender();
    long ref = app.append(0, UP, 2000, 2);
    app.commit();
    assertThatThrownBy(() -> app.append(ref, UP, 1000, 1))
        .isInstanceOfSatisfying(
            AppendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_ORDER))
        .hasMessageContaining("up")
        .hasMessageContaining("timestamp 1000 is older than the series' newest sample at 2000");
    app.append(ref, UP, 3000, 3);
    // Older than a sample of the same uncommitted batch is out of order too.
    assertThatThrownBy(() -> app.append(ref, UP, 2500, 2.5))
        .isInstanceOfSatisfying(
            AppendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_ORDER));
    app.commit();
    assertThat(readAll(db).get(UP)).containsExactly(Sample.of(2000, 2), Sample.of(3000, 3));
    assertThat(db.stats().refused(Reason.OUT_OF_ORDER)).isEqualTo(2);
  }

  @Test
  void sameTimestampIsANoOpWithTheSameValueAndRefusedWithAnother() throws Exception {
    open(fast());
    Appender app = db.appender();
    long ref = app.append(0, UP, 1000, 1);
    app.append(ref, UP, 1000, 1); // same sample in the same batch
    app.commit();
    app.append(ref, UP, 1000, 1); // same sample after commit
    assertThatThrownBy(() -> app.append(ref, UP, 1000, 2))
        .isInstanceOfSatisfying(
            AppendException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP))
        .hasMessageContaining("duplicate sample for timestamp 1000");
    // NaN payloads are compared by bits: the stale marker differs from the canonical NaN.
    app.append(ref, UP, 2000, Double.longBitsToDouble(STALE_BITS));
    assertThatThrownBy(() -> app.append(ref, UP, 2000, Double.NaN))
        .isInstanceOf(AppendException.class);
    app.append(ref, UP, 2000, Double.longBitsToDouble(STALE_BITS));
    app.commit();
    assertThat(readAll(db).get(UP))
        .containsExactly(Sample.of(1000, 1), new Sample(2000, STALE_BITS));
    assertThat(db.stats().samplesAppended()).isEqualTo(2);
    assertThat(db.stats().refused(Reason.DUPLICATE_TIMESTAMP)).isEqualTo(2);
  }

  @Test
  void outOfOrderBufferIsCappedPerSeriesWithItsOwnReason() throws Exception {
    open(fast().withOutOfOrderWindow(Duration.ofMinutes(10)).withMaxOutOfOrderSamplesPerSeries(5));
    Labels other = Labels.of("__name__", "up", "job", "other");
    Appender app = db.appender();
    app.append(0, UP, 100_000, 0);
    app.append(0, other, 100_000, 0);
    app.commit();
    for (int i = 1; i <= 3; i++) {
      app.append(0, UP, i * 1000L, i);
    }
    app.commit();
    app.append(0, UP, 4000, 4);
    app.append(0, UP, 5000, 5); // 3 held + 2 in this batch: the cap is reached
    assertThatThrownBy(() -> app.append(0, UP, 6000, 6))
        .isInstanceOfSatisfying(
            AppendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_ORDER_CAP))
        .hasMessageContaining("maxOutOfOrderSamplesPerSeries")
        .hasMessageContaining("holds 5 samples");
    app.append(0, other, 6000, 6); // another series has its own buffer
    app.append(0, UP, 200_000, 1); // in-order samples are not affected
    app.commit();
    assertThat(db.stats().refused(Reason.OUT_OF_ORDER_CAP)).isEqualTo(1);
    assertThat(db.stats().outOfOrderAccepted()).isEqualTo(6);
    assertThat(readAll(db).get(UP)).hasSize(7);
  }

  @Test
  void outOfOrderWindowAcceptsLateSamplesAndMergesThemIntoReads() throws Exception {
    open(fast().withOutOfOrderWindow(Duration.ofMinutes(10)));
    Appender app = db.appender();
    long first = app.append(0, UP, 0, 0);
    for (int i = 2; i <= 200; i += 2) {
      app.append(first, UP, i * 1000L, i);
    }
    long ref = first;
    app.commit();
    // Late samples inside the window, in any order, some in the same batch as newer ones.
    for (int i = 199; i >= 1; i -= 2) {
      app.append(ref, UP, i * 1000L, i);
    }
    app.append(ref, UP, 201_000, 201);
    app.append(ref, UP, 150_000, 150); // same as an in-order sample: hidden by it
    app.commit();
    assertThatThrownBy(() -> app.append(ref, UP, 3000, 4))
        .isInstanceOfSatisfying(
            AppendException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_TIMESTAMP));
    app.append(ref, UP, 3000, 3); // identical late sample: no-op
    long tooOld = 201_000 - Duration.ofMinutes(10).toMillis() - 1;
    assertThatThrownBy(() -> app.append(ref, UP, tooOld, 0))
        .isInstanceOfSatisfying(
            AppendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OUT_OF_ORDER))
        .hasMessageContaining("out-of-order window of 600000ms");
    app.commit();
    List<Sample> expected = new ArrayList<>();
    for (int i = 0; i <= 201; i++) {
      expected.add(Sample.of(i * 1000L, i));
    }
    assertThat(readAll(db).get(UP)).isEqualTo(expected);
    try (Querier q = db.querier(99_500, 104_000)) {
      assertThat(read(q, false, eq("__name__", "up")).get(UP))
          .containsExactly(
              Sample.of(100_000, 100),
              Sample.of(101_000, 101),
              Sample.of(102_000, 102),
              Sample.of(103_000, 103),
              Sample.of(104_000, 104));
    }
    assertThat(db.stats().outOfOrderAccepted()).isEqualTo(101);
    // The merged data survives a restart identically.
    db.close();
    open(fast().withOutOfOrderWindow(Duration.ofMinutes(10)));
    assertThat(readAll(db).get(UP)).isEqualTo(expected);
  }

  @Test
  void aStaleRefFallsBackToTheLabels() throws Exception {
    open(fast());
    Appender app = db.appender();
    long up = app.append(0, UP, 1000, 1);
    long cpu = app.append(0, CPU, 1000, 5);
    assertThat(up).isNotEqualTo(cpu);
    // The ref of another series, or an unknown ref, does not redirect the sample.
    assertThat(app.append(up, CPU, 2000, 6)).isEqualTo(cpu);
    assertThat(app.append(987_654, UP, 2000, 2)).isEqualTo(up);
    app.commit();
    assertThat(readAll(db))
        .containsEntry(UP, List.of(Sample.of(1000, 1), Sample.of(2000, 2)))
        .containsEntry(CPU, List.of(Sample.of(1000, 5), Sample.of(2000, 6)));
  }

  @Test
  void commitAfterCloseIsNotAcknowledged() throws Exception {
    open(fast());
    Appender app = db.appender();
    app.append(0, UP, 1000, 1);
    db.close();
    assertThatThrownBy(app::commit).isInstanceOf(java.io.UncheckedIOException.class);
    assertThatThrownBy(() -> db.appender()).isInstanceOf(IllegalStateException.class);
    db = Tsdb.open(dir, fast());
    assertThat(readAll(db)).isEmpty();
  }
}
