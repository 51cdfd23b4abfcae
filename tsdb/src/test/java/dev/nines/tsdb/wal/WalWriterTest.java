package dev.nines.tsdb.wal;

import static dev.nines.tsdb.wal.WalFixtures.labelsFor;
import static dev.nines.tsdb.wal.WalFixtures.samplesOf;
import static dev.nines.tsdb.wal.WalFixtures.seriesOf;
import static dev.nines.tsdb.wal.WalFixtures.small;
import static dev.nines.tsdb.wal.WalFixtures.writeWorkload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.tsdb.wal.WalFixtures.Event;
import dev.nines.tsdb.wal.WalFixtures.Recorder;
import dev.nines.tsdb.wal.WalFixtures.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WalWriterTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void roundTripAcrossSeveralSegments(FsyncPolicy policy) throws IOException {
    List<Event> written;
    try (WalWriter w = WalWriter.open(dir, small(policy))) {
      written = writeWorkload(w, 1, 60, 150);
      assertThat(w.stats().segmentsCreated()).isGreaterThan(3);
    }
    assertThat(Segments.list(dir)).hasSizeGreaterThan(3);
    for (int seq : Segments.list(dir)) {
      assertThat(Files.size(dir.resolve(Segments.name(seq)))).isLessThanOrEqualTo(4096);
    }
    Recorder rec = new Recorder();
    ReplayResult result = WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.allSeries()).isEqualTo(seriesOf(written));
    assertThat(rec.allSamples()).isEqualTo(samplesOf(written));
    assertThat(result.damages()).isEmpty();
    assertThat(result.samples()).isEqualTo(samplesOf(written).size());
    assertThat(result.seriesRecords()).isEqualTo(60);
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void acknowledgedRecordsAreReadableWithoutClose(FsyncPolicy policy) throws IOException {
    // What a process kill leaves: the writer is never closed, the bytes are only in the kernel.
    WalWriter w = WalWriter.open(dir, small(policy));
    try {
      List<Event> written = writeWorkload(w, 2, 10, 30);
      Recorder rec = new Recorder();
      WalReader.replay(dir, rec, RepairMode.STRICT);
      assertThat(rec.allSamples()).isEqualTo(samplesOf(written));
    } finally {
      w.close();
    }
  }

  @Test
  void reopenedWriterStartsANewSegmentAndReplayKeepsOrder() throws IOException {
    List<Event> first;
    List<Event> second;
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      first = writeWorkload(w, 3, 5, 3);
    }
    int before = Segments.list(dir).getLast();
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      assertThat(w.currentSegment()).isEqualTo(before + 1);
      second = writeWorkload(w, 4, 5, 3);
    }
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    List<Sample> expected = new ArrayList<>(samplesOf(first));
    expected.addAll(samplesOf(second));
    assertThat(rec.allSamples()).isEqualTo(expected);
  }

  @Test
  void extremeValuesAndLabelsRoundTrip() throws IOException {
    Labels labels =
        Labels.of("__name__", "x", "emoji", "🔥 héllo ☃", "long", "v".repeat(1000), "z", "last");
    long[] refs = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1};
    long[] ts = {Long.MAX_VALUE, Long.MIN_VALUE, -5, 0};
    double[] vs = {
      Double.longBitsToDouble(0x7ff0000000000002L), -0.0, Double.POSITIVE_INFINITY, Double.NaN
    };
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.ALWAYS))) {
      w.logSeries(Long.MIN_VALUE, labels);
      w.logSeries(7, Labels.EMPTY);
      w.logSamples(refs, ts, vs, 4);
    }
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.allSeries())
        .containsExactly(
            new SeriesRecord(Long.MIN_VALUE, labels), new SeriesRecord(7, Labels.EMPTY));
    List<Sample> samples = rec.allSamples();
    for (int i = 0; i < 4; i++) {
      assertThat(samples.get(i))
          .isEqualTo(new Sample(refs[i], ts[i], Double.doubleToRawLongBits(vs[i])));
    }
  }

  @Test
  void largeSampleBatchIsSplitIntoRecordsThatFit() throws IOException {
    int n = 1000; // about 15 KB encoded, almost four 4 KiB segments
    long[] refs = new long[n];
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      refs[i] = i * 1_000_003L;
      ts[i] = 1_700_000_000_000L + i;
      vs[i] = i;
    }
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      w.logSamples(refs, ts, vs, n);
      assertThat(w.stats().records()).isGreaterThanOrEqualTo(4);
    }
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.allSamples()).hasSize(n);
    assertThat(rec.allSamples().get(n - 1))
        .isEqualTo(new Sample(refs[n - 1], ts[n - 1], Double.doubleToRawLongBits(999.0)));
  }

  @Test
  void seriesTooLargeForASegmentIsRejected() throws IOException {
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      assertThatThrownBy(() -> w.logSeries(1, Labels.of("big", "x".repeat(5000))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("series 1");
      w.logSeries(2, labelsFor(2));
    }
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.allSeries()).containsExactly(new SeriesRecord(2, labelsFor(2)));
  }

  /**
   * Group commit: concurrent appenders share fsyncs. Each append waits for its fsync, and the
   * flusher waits the batch interval between fsyncs, so the other writers have always appended by
   * then; with 4 writers an fsync covers about 4 appends. The bound is half of that.
   */
  @ParameterizedTest
  @EnumSource(
      value = FsyncPolicy.class,
      names = {"BATCH", "ALWAYS"})
  void concurrentWritersShareFsyncs(FsyncPolicy policy) throws Exception {
    WalOptions options = new WalOptions(1 << 20, policy, Duration.ofMillis(5));
    int threads = 4;
    int perThread = 40;
    WalWriterStats stats;
    try (WalWriter w = WalWriter.open(dir, options);
        ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long ref = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    w.logSamples(new long[] {ref}, new long[] {i}, new double[] {i}, 1);
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      stats = w.stats();
    }
    assertThat(stats.records()).isEqualTo(threads * perThread);
    if (policy == FsyncPolicy.BATCH) {
      assertThat(stats.fsyncs()).isLessThanOrEqualTo(threads * perThread / 2);
    }
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.allSamples()).hasSize(threads * perThread);
    for (int t = 0; t < threads; t++) {
      long ref = t;
      assertThat(rec.allSamples().stream().filter(s -> s.ref() == ref).map(Sample::timestamp))
          .as("samples of writer %d in order", t)
          .isSorted()
          .hasSize(perThread);
    }
  }

  @Test
  void closedWriterRejectsAppends() throws IOException {
    WalWriter w = WalWriter.open(dir, small(FsyncPolicy.BATCH));
    w.close();
    w.close();
    assertThatThrownBy(() -> w.logSeries(1, labelsFor(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void cutSegmentStartsTheNextSegment() throws IOException {
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      int first = w.currentSegment();
      assertThat(w.cutSegment()).as("an empty segment is not cut").isEqualTo(first);
      w.logSeries(1, labelsFor(1));
      assertThat(w.cutSegment()).isEqualTo(first + 1);
    }
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new WalOptions(10, FsyncPolicy.NONE, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSegmentBytes");
    assertThatThrownBy(() -> new WalOptions(1 << 20, FsyncPolicy.BATCH, Duration.ofMillis(-1)))
        .hasMessageContaining("batchInterval");
    assertThat(WalOptions.defaults().maxSegmentBytes()).isEqualTo(128L << 20);
  }
}
