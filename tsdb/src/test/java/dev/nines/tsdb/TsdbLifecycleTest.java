package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.eq;
import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.openFileDescriptors;
import static dev.nines.tsdb.TsdbFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbFixtures.Sample;
import dev.nines.tsdb.block.BlockMeta;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block lifecycle through the querier: head cut and truncation, restart and crash between the
 * block and the WAL truncation, retention, compaction with tombstones, deletion, snapshots, leaks.
 */
class TsdbLifecycleTest {
  static final long H = Duration.ofHours(1).toMillis();
  static final long STEP = 60_000;
  static final int SERIES = 5;

  @TempDir Path dir;
  @TempDir Path snapshots;

  static TsdbOptions options() {
    return fast().withCompactionInterval(Duration.ZERO);
  }

  static Labels series(int i) {
    return Labels.of("__name__", "lc", "i", Integer.toString(i));
  }

  /** Writes every series at every STEP in [from, to) and returns what was written. */
  static Map<Labels, List<Sample>> write(Tsdb db, long from, long to) throws AppendException {
    Map<Labels, List<Sample>> out = new TreeMap<>();
    Appender app = db.appender();
    long[] refs = new long[SERIES];
    for (long t = from; t < to; t += STEP) {
      for (int i = 0; i < SERIES; i++) {
        // Thirds are no decimal, so blocks stay XOR-encoded and their size grows with the data;
        // the retention-by-size test relies on blocks being much larger than the WAL's noise.
        double v = t / 1000.0 + i + 1.0 / 3;
        refs[i] = app.append(refs[i], series(i), t, v);
        out.computeIfAbsent(series(i), k -> new ArrayList<>()).add(Sample.of(t, v));
      }
      app.commit();
    }
    return out;
  }

  static Map<Labels, List<Sample>> without(
      Map<Labels, List<Sample>> data, Labels labels, long mint, long maxt) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    data.forEach(
        (l, samples) ->
            out.put(
                l,
                l.equals(labels)
                    ? samples.stream().filter(s -> s.t() < mint || s.t() > maxt).toList()
                    : samples));
    return out;
  }

  static Map<Labels, List<Sample>> from(Map<Labels, List<Sample>> data, long mint) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    data.forEach((l, samples) -> out.put(l, samples.stream().filter(s -> s.t() >= mint).toList()));
    return out;
  }

  @Test
  void cutWritesTheOldestRangeAndTheSameSamplesAreReadBackFromBlockAndHead() throws Exception {
    Map<Labels, List<Sample>> data;
    try (Tsdb db = Tsdb.open(dir, options())) {
      data = write(db, 0, 7 * H);
      assertThat(db.compactHead()).isEqualTo(2);
      assertThat(db.blocks())
          .extracting(BlockMeta::minTime, BlockMeta::maxTime)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(0L, 2 * H),
              org.assertj.core.groups.Tuple.tuple(2 * H, 4 * H));
      assertThat(db.head().minValidTime()).isEqualTo(4 * H);
      assertThat(db.head().minTime()).isEqualTo(4 * H);
      assertThat(readAll(db)).isEqualTo(data);
      // A query across the boundary merges block and head.
      try (Querier q = db.querier(4 * H - 2 * STEP, 4 * H + STEP)) {
        assertThat(TsdbFixtures.read(q, false, eq("i", "0")).get(series(0)))
            .extracting(Sample::t)
            .containsExactly(4 * H - 2 * STEP, 4 * H - STEP, 4 * H, 4 * H + STEP);
      }
      assertThatThrownBy(() -> db.appender().append(0, series(0), 3 * H, 1))
          .isInstanceOfSatisfying(
              AppendException.class,
              e -> assertThat(e.reason()).isEqualTo(AppendException.Reason.TOO_OLD));
      assertThat(db.stats().blocksCut()).isEqualTo(2);
      assertThat(db.stats().checkpoints()).isEqualTo(1);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      // The checkpoint dropped what the blocks hold: replay reads only the head's range.
      assertThat(db.stats().lastReplay().samples()).isEqualTo(SERIES * (3 * H / STEP));
      assertThat(db.stats().replaySamplesBelowBlocks()).isZero();
    }
  }

  @Test
  void crashBetweenBlockAndWalTruncationReplaysWithoutDuplicates() throws Exception {
    Map<Labels, List<Sample>> data;
    try (Tsdb db = Tsdb.open(dir, options())) {
      data = write(db, 0, 7 * H);
      assertThat(db.writeHeadBlock(0, 2 * H)).isNotNull(); // and then "crash": no truncation
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(db.stats().replaySamplesBelowBlocks()).isEqualTo(SERIES * (2 * H / STEP));
      assertThat(db.head().minTime()).isEqualTo(2 * H);
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.compactHead()).isEqualTo(1); // carries on: [2h, 4h)
      assertThat(readAll(db)).isEqualTo(data);
    }
  }

  @Test
  void retentionByTimeDeletesBlocksEndingTooLongBeforeTheNewest() throws Exception {
    try (Tsdb db = Tsdb.open(dir, options().withRetention(Duration.ofHours(4), 0))) {
      Map<Labels, List<Sample>> data = write(db, 0, 11 * H);
      assertThat(db.compactHead()).isEqualTo(4);
      assertThat(db.applyRetention()).isEqualTo(2);
      assertThat(db.blocks()).extracting(BlockMeta::minTime).containsExactly(4 * H, 6 * H);
      assertThat(db.stats().blocksDeletedByTime()).isEqualTo(2);
      assertThat(readAll(db)).isEqualTo(from(data, 4 * H));
      try (Stream<Path> left = Files.list(dir.resolve("blocks"))) {
        assertThat(left).hasSize(2);
      }
    }
  }

  @Test
  void retentionBySizeDeletesTheOldestBlocksFirst() throws Exception {
    Map<Labels, List<Sample>> data;
    try (Tsdb db = Tsdb.open(dir, options())) {
      data = write(db, 0, 11 * H);
      db.compactHead();
    }
    long newestBlockBytes;
    long headChunks; // written again by every replay
    try (Tsdb db = Tsdb.open(dir, options())) {
      newestBlockBytes = TsdbFixtures.dirSize(dir.resolve("blocks").resolve(lastId(db)));
      headChunks = TsdbFixtures.dirSize(dir.resolve(Tsdb.HEAD_CHUNKS_DIR));
    }
    long wal = TsdbFixtures.dirSize(dir.resolve("wal"));
    // Room for the WAL, the head chunk files and a bit more than one block: only the newest block
    // stays.
    long limit = wal + headChunks + newestBlockBytes + newestBlockBytes / 2;
    try (Tsdb db = Tsdb.open(dir, options().withRetention(Duration.ZERO, limit))) {
      assertThat(db.applyRetention()).isEqualTo(3);
      assertThat(db.stats().blocksDeletedBySize()).isEqualTo(3);
      assertThat(db.blocks()).extracting(BlockMeta::minTime).containsExactly(6 * H);
      assertThat(readAll(db)).isEqualTo(from(data, 6 * H));
    }
  }

  @Test
  void retentionBySizeCountsTheHeadChunkFilesWithTheWal() throws Exception {
    Map<Labels, List<Sample>> data;
    try (Tsdb db = Tsdb.open(dir, options())) {
      data = write(db, 0, 11 * H);
      db.compactHead(); // blocks [0h, 2h) .. [6h, 8h); the head keeps [8h, 11h)
    }
    long wal = TsdbFixtures.dirSize(dir.resolve("wal"));
    long headChunks = TsdbFixtures.dirSize(dir.resolve(Tsdb.HEAD_CHUNKS_DIR));
    assertThat(headChunks).isGreaterThan(0);
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(db.headDiskBytes())
          .isEqualTo(
              TsdbFixtures.dirSize(dir.resolve("wal"))
                  + TsdbFixtures.dirSize(dir.resolve(Tsdb.HEAD_CHUNKS_DIR)));
    }
    // Replay used the head chunk files as they were and wrote no new ones.
    assertThat(TsdbFixtures.dirSize(dir.resolve(Tsdb.HEAD_CHUNKS_DIR))).isEqualTo(headChunks);
    List<Long> blockBytes = new ArrayList<>();
    try (Stream<Path> ids = Files.list(dir.resolve("blocks"))) {
      for (Path b : ids.sorted().toList()) {
        blockBytes.add(
            TsdbFixtures.dirSize(b.resolve("index")) + TsdbFixtures.dirSize(b.resolve("chunks")));
      }
    }
    assertThat(blockBytes).hasSize(4);
    long newest = blockBytes.get(3);
    long second = blockBytes.get(2);
    // One byte too little for the two newest blocks with the WAL and the head chunk files: only
    // the newest stays. Counted without chunks_head/, the two newest would fit.
    long limit = wal + headChunks + newest + second - 1;
    try (Tsdb db = Tsdb.open(dir, options().withRetention(Duration.ZERO, limit))) {
      assertThat(db.applyRetention()).isEqualTo(3);
      assertThat(db.stats().blocksDeletedBySize()).isEqualTo(3);
      assertThat(db.blocks()).extracting(BlockMeta::minTime).containsExactly(6 * H);
      assertThat(readAll(db)).isEqualTo(from(data, 6 * H));
    }
  }

  private static String lastId(Tsdb db) {
    return db.blocks().getLast().ulid();
  }

  @Test
  void compactionMergesBlocksAndRemovesDeletedSamples() throws Exception {
    try (Tsdb db = Tsdb.open(dir, options())) {
      Map<Labels, List<Sample>> data = write(db, 0, 11 * H + 30 * STEP);
      assertThat(db.compactHead()).isEqualTo(5);
      db.deleteSeries(H, 3 * H, List.of(eq("i", "1")));
      Map<Labels, List<Sample>> expected = without(data, series(1), H, 3 * H);
      assertThat(readAll(db)).isEqualTo(expected);

      assertThat(db.compactBlocks()).isEqualTo(1);
      List<BlockMeta> metas = db.blocks();
      assertThat(metas).extracting(BlockMeta::minTime).containsExactly(0L, 6 * H, 8 * H);
      BlockMeta merged = metas.getFirst();
      assertThat(merged.maxTime()).isEqualTo(6 * H);
      assertThat(merged.compaction().level()).isEqualTo(2);
      assertThat(merged.compaction().parents()).hasSize(3);
      assertThat(merged.compaction().sources()).hasSize(3);
      long deleted = (2 * H) / STEP + 1;
      assertThat(merged.stats().numSamples()).isEqualTo(SERIES * (6 * H / STEP) - deleted);
      assertThat(readAll(db)).isEqualTo(expected);
      try (Stream<Path> left = Files.list(dir.resolve("blocks"))) {
        assertThat(left).hasSize(3);
      }
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(db.blocks()).hasSize(3);
    }
  }

  @Test
  void deleteSeriesIsVisibleAtOnceAndSurvivesRestart() throws Exception {
    Map<Labels, List<Sample>> expected;
    try (Tsdb db = Tsdb.open(dir, options())) {
      Map<Labels, List<Sample>> data = write(db, 0, 5 * H);
      db.compactHead(); // [0, 2h) in a block, the rest in the head
      db.deleteSeries(H, 3 * H, List.of(eq("i", "2")));
      expected = without(data, series(2), H, 3 * H);
      assertThat(readAll(db)).isEqualTo(expected);
      assertThat(db.stats().headSamplesDeleted()).isEqualTo(H / STEP + 1);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(expected);
    }
  }

  @Test
  void snapshotOpensAsADatabaseWithTheSameData() throws Exception {
    Map<Labels, List<Sample>> data;
    String name;
    try (Tsdb db = Tsdb.open(dir, options())) {
      data = write(db, 0, 7 * H);
      db.compactHead();
      name = db.snapshot(snapshots, true);
      assertThat(readAll(db)).isEqualTo(data);
    }
    Path copy = snapshots.resolve(name);
    try (Tsdb db = Tsdb.open(copy, options())) {
      assertThat(db.blocks()).hasSize(3);
      assertThat(readAll(db)).isEqualTo(data);
    }
  }

  @Test
  void closeReleasesEveryMapAndFileDescriptor() throws Exception {
    long fds = openFileDescriptors();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 11 * H);
      db.compactHead();
      db.compactBlocks();
      assertThat(readAll(db)).isNotEmpty();
      assertThat(TsdbFixtures.mappingsUnder(dir)).isPositive();
    }
    assertThat(TsdbFixtures.mappingsUnder(dir)).isZero();
    assertThat(openFileDescriptors()).isLessThanOrEqualTo(fds);
  }

  @Test
  void backgroundCompactorCutsTheHead() throws Exception {
    try (Tsdb db = Tsdb.open(dir, options().withCompactionInterval(Duration.ofMillis(50)))) {
      Map<Labels, List<Sample>> data = write(db, 0, 7 * H);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (db.blocks().size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(db.blocks()).hasSize(2);
      assertThat(readAll(db)).isEqualTo(data);
    }
  }
}
