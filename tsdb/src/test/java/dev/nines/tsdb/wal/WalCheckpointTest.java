package dev.nines.tsdb.wal;

import static dev.nines.tsdb.wal.WalFixtures.copyTree;
import static dev.nines.tsdb.wal.WalFixtures.labelsFor;
import static dev.nines.tsdb.wal.WalFixtures.samplesOf;
import static dev.nines.tsdb.wal.WalFixtures.seriesOf;
import static dev.nines.tsdb.wal.WalFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.tsdb.wal.WalFixtures.Event;
import dev.nines.tsdb.wal.WalFixtures.Recorder;
import dev.nines.tsdb.wal.WalFixtures.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointTest {
  @TempDir Path dir;

  static final LongPredicate EVEN = ref -> ref % 2 == 0;

  /** The live state a head would rebuild: series by ref, and all samples in order. */
  record State(Map<Long, SeriesRecord> series, List<Sample> samples) {}

  static State stateOf(Recorder rec) {
    Map<Long, SeriesRecord> series = new LinkedHashMap<>();
    for (SeriesRecord s : rec.allSeries()) {
      series.putIfAbsent(s.ref(), s);
    }
    return new State(series, rec.allSamples());
  }

  @Test
  void checkpointThenReplayGivesTheSameLiveSeries() throws IOException {
    List<Event> before;
    int upTo;
    CheckpointResult result;
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      before = WalFixtures.writeWorkload(w, 5, 50, 100);
      upTo = w.cutSegment() - 1;
      result = w.checkpoint(upTo, EVEN, Long.MAX_VALUE);
      w.logSeries(1000, labelsFor(1000));
      w.logSamples(new long[] {1000, 2}, new long[] {5, 6}, new double[] {1, 2}, 2);
    }
    assertThat(result.checkpoint()).isEqualTo(upTo);
    assertThat(result.seriesKept()).isEqualTo(25);
    assertThat(result.seriesDropped()).isEqualTo(25);
    assertThat(result.samplesKept()).isZero();
    assertThat(Segments.list(dir)).allSatisfy(s -> assertThat(s).isGreaterThan(upTo));
    assertThat(Segments.checkpointDir(dir, upTo)).isDirectory();

    Recorder rec = new Recorder();
    ReplayResult replay = WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(replay.checkpoint()).isEqualTo(upTo);
    List<SeriesRecord> expectedSeries = new ArrayList<>();
    for (SeriesRecord s : seriesOf(before)) {
      if (EVEN.test(s.ref())) {
        expectedSeries.add(s);
      }
    }
    expectedSeries.add(new SeriesRecord(1000, labelsFor(1000)));
    assertThat(rec.allSeries()).isEqualTo(expectedSeries);
    assertThat(rec.allSamples())
        .containsExactly(
            new Sample(1000, 5, Double.doubleToRawLongBits(1)),
            new Sample(2, 6, Double.doubleToRawLongBits(2)));
  }

  @Test
  void checkpointKeepsRecentSamplesOfLiveSeries() throws IOException {
    List<Event> written;
    int upTo;
    long minTime = 1_700_000_000_000L + 40 * 15_000L;
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      written = WalFixtures.writeWorkload(w, 7, 30, 80);
      upTo = w.cutSegment() - 1;
      w.checkpoint(upTo, EVEN, minTime);
    }
    List<Sample> expected = new ArrayList<>();
    for (Sample s : samplesOf(written)) {
      if (EVEN.test(s.ref()) && s.timestamp() >= minTime) {
        expected.add(s);
      }
    }
    assertThat(expected).isNotEmpty();
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.allSamples()).isEqualTo(expected);
  }

  @Test
  void secondCheckpointBuildsOnTheFirst() throws IOException {
    State expected;
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      WalFixtures.writeWorkload(w, 8, 40, 60);
      int first = w.cutSegment() - 1;
      w.checkpoint(first, ref -> true, Long.MIN_VALUE);
      Recorder full = new Recorder();
      WalReader.replay(dir, full, RepairMode.STRICT);
      expected = stateOf(full);
      for (int i = 0; i < 20; i++) {
        w.logSeries(40 + i, labelsFor(40 + i));
      }
      int second = w.cutSegment() - 1;
      w.checkpoint(second, ref -> ref < 50, Long.MIN_VALUE);
      assertThat(Segments.checkpoints(dir)).containsExactly(second);
    }
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    State state = stateOf(rec);
    assertThat(state.samples()).isEqualTo(expected.samples());
    assertThat(state.series().keySet()).hasSize(50);
    for (long ref = 0; ref < 40; ref++) {
      assertThat(state.series().get(ref)).isEqualTo(expected.series().get(ref));
    }
  }

  @Test
  void crashBeforeDeletingSegmentsReplaysTheSame() throws IOException {
    int upTo;
    Path saved = dir.resolveSibling(dir.getFileName() + "-saved");
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      WalFixtures.writeWorkload(w, 9, 20, 40);
      upTo = w.cutSegment() - 1;
      copyTree(dir, saved);
      w.checkpoint(upTo, EVEN, Long.MAX_VALUE);
    }
    Recorder clean = new Recorder();
    WalReader.replay(dir, clean, RepairMode.STRICT);
    // Put the covered segments back, as if the process died right after the rename.
    for (int seq : Segments.list(saved)) {
      if (seq <= upTo) {
        Files.copy(saved.resolve(Segments.name(seq)), dir.resolve(Segments.name(seq)));
      }
    }
    Files.createDirectories(dir.resolve("checkpoint.00000099.tmp"));
    Recorder rec = new Recorder();
    WalReader.replay(dir, rec, RepairMode.STRICT);
    assertThat(rec.events).isEqualTo(clean.events);
    // Running the same checkpoint again finishes the job.
    CheckpointResult again = WalCheckpoint.create(dir, upTo, EVEN, Long.MAX_VALUE);
    assertThat(again.segmentsDeleted()).isPositive();
    assertThat(Segments.list(dir)).allSatisfy(s -> assertThat(s).isGreaterThan(upTo));
    assertThat(dir.resolve("checkpoint.00000099.tmp")).doesNotExist();
    Segments.deleteTree(saved);
  }

  @Test
  void writerReopenedAfterCheckpointContinuesNumbering() throws IOException {
    int upTo;
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      WalFixtures.writeWorkload(w, 10, 5, 5);
      upTo = w.cutSegment() - 1;
      w.checkpoint(upTo, EVEN, Long.MAX_VALUE);
    }
    // Remove the (empty) segment after the checkpoint: a checkpoint alone must still set the
    // number.
    for (int seq : Segments.list(dir)) {
      Files.delete(dir.resolve(Segments.name(seq)));
    }
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      assertThat(w.currentSegment()).isEqualTo(upTo + 1);
    }
  }

  @Test
  void checkpointOfTheSegmentBeingWrittenIsRefused() throws IOException {
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      w.logSeries(1, labelsFor(1));
      assertThatThrownBy(() -> w.checkpoint(w.currentSegment(), EVEN, Long.MAX_VALUE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cutSegment");
    }
  }

  @Test
  void damageInACoveredSegmentAbortsTheCheckpointAndDeletesNothing() throws IOException {
    int upTo;
    try (WalWriter w = WalWriter.open(dir, small(FsyncPolicy.NONE))) {
      WalFixtures.writeWorkload(w, 11, 20, 60);
      upTo = w.cutSegment() - 1;
    }
    List<Integer> before = Segments.list(dir);
    Path victim = dir.resolve(Segments.name(before.getFirst()));
    WalFixtures.flipByte(victim, 20, 0x40);
    assertThatThrownBy(() -> WalCheckpoint.create(dir, upTo, EVEN, Long.MAX_VALUE))
        .isInstanceOf(WalCorruptionException.class);
    assertThat(Segments.list(dir)).isEqualTo(before);
    assertThat(Segments.checkpoints(dir)).isEmpty();
  }
}
