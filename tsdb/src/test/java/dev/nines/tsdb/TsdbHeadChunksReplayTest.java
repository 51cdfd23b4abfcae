package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.eq;
import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbFixtures.Sample;
import dev.nines.tsdb.head.Head;
import dev.nines.tsdb.head.HeadChunks;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.wal.RepairMode;
import dev.nines.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay with the head chunk files of the previous run (docs/tsdb.md, "Skipping the samples
 * chunks_head/ holds"): the samples they hold are skipped once the WAL confirms them, and whatever
 * is wrong with them (torn, damaged, missing, out of step with the WAL) costs replay time, never a
 * sample.
 */
class TsdbHeadChunksReplayTest {
  static final int SERIES = 20;
  static final long STEP = 15_000;

  @TempDir Path dir;

  static TsdbOptions options() {
    return fast().withCompactionInterval(Duration.ZERO);
  }

  static Labels series(int i) {
    return Labels.of("__name__", "hc", "i", Integer.toString(i));
  }

  /** Writes rounds [from, to) of every series (one commit a round); adds them to {@code into}. */
  static void write(Tsdb db, int from, int to, Map<Labels, List<Sample>> into) throws Exception {
    Appender app = db.appender();
    for (int r = from; r < to; r++) {
      for (int i = 0; i < SERIES; i++) {
        double v = i * 1000 + r + (r % 3) / 4.0;
        app.append(0, series(i), r * STEP, v);
        into.computeIfAbsent(series(i), k -> new ArrayList<>()).add(Sample.of(r * STEP, v));
      }
      app.commit();
    }
  }

  static List<Path> chunkFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(Tsdb.HEAD_CHUNKS_DIR))) {
      return files.sorted().toList();
    }
  }

  @Test
  void replaySkipsTheSamplesOfFullChunksAndReadsTheSameData() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data); // 2 full chunks of 120 and an open one of 60 per series
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo(SERIES * 240L);
      assertThat(db.stats().replaySeriesFromWalOnly()).isZero();
      assertThat(db.stats().headChunkFilesDamaged()).isZero();
      // Appends continue after the replayed data: more chunks are cut, into new files.
      write(db, 300, 500, data);
      assertThat(readAll(db)).isEqualTo(data);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      // Chunks of both earlier runs are used: 4 full chunks of 120 per series now.
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo(SERIES * 480L);
      assertThat(db.stats().replaySeriesFromWalOnly()).isZero();
    }
  }

  /**
   * Head chunks are SCALED while their values are decimals and XOR from a value that is not (1/3
   * here, in the second chunk of half of the series): replay skips the samples of both kinds.
   */
  @Test
  void chunksOfBothEncodingsAreSkippedAtReplay() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      Appender app = db.appender();
      for (int r = 0; r < 300; r++) {
        for (int i = 0; i < SERIES; i++) {
          double v = i % 2 == 0 && r == 150 ? 1.0 / 3 : i * 1000 + r + (r % 3) / 4.0;
          app.append(0, series(i), r * STEP, v);
          data.computeIfAbsent(series(i), k -> new ArrayList<>()).add(Sample.of(r * STEP, v));
        }
        app.commit();
      }
    }
    java.util.Set<Byte> tags = new java.util.TreeSet<>();
    for (Path f : chunkFiles(dir)) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
      for (int at = 8; at < b.limit(); at += 32 + b.getInt(at + 24)) {
        tags.add(b.get(at + 28)); // the chunk's tag, after ref, minTime, maxTime and length
      }
    }
    assertThat(tags).containsExactly((byte) 0x01, (byte) 0x03);
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo(SERIES * 240L);
      assertThat(db.stats().replaySeriesFromWalOnly()).isZero();
    }
  }

  @Test
  void aTornChunkFileIsReadUpToTheTearAndTheWalGivesTheRest() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data);
    }
    Path file = chunkFiles(dir).getLast();
    long size = Files.size(file);
    // A crash while the page cache had written only part of the file: cut in the last record.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size - 10);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().headChunkFilesDamaged()).isEqualTo(1);
      // The last series' second chunk is gone from the file; its samples come from the WAL.
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo(SERIES * 240L - 120);
    }
  }

  @Test
  void aDamagedRecordEndsItsFileAndNothingIsLost() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data);
    }
    Path file = chunkFiles(dir).getFirst();
    // Flip a byte in the middle of the file: a record's CRC no longer matches.
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.put(0, (byte) ~b.get(0));
      b.rewind();
      ch.write(b, at);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().headChunkFilesDamaged()).isEqualTo(1);
      assertThat(db.stats().replaySamplesInHeadChunks()).isLessThan(SERIES * 240L);
    }
  }

  @Test
  void aChunkLostBetweenTwoLoadedOnesIsReplayedFromTheWal() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data); // file 1: chunks 1 and 2 of every series
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 300, 500, data); // file 2: chunks 3 and 4
    }
    List<Path> files = chunkFiles(dir);
    assertThat(files).hasSize(2);
    // Lose the second half of file 1 (the chunks 2): the series have chunks 1, 3 and 4, and the
    // WAL's samples of chunk 2 fall in the gap.
    try (FileChannel ch = FileChannel.open(files.getFirst(), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2 + 5);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().headChunkFilesDamaged()).isEqualTo(1);
      assertThat(db.stats().replaySeriesFromWalOnly()).isEqualTo(SERIES);
      assertThat(db.stats().replaySamplesInHeadChunks()).isZero();
    }
  }

  interface Damage {
    void apply(Path file) throws IOException;
  }

  /**
   * Damages the first chunk file of a run; the next open drops it, counts it, and loses nothing.
   */
  private void firstFileIsDroppedAfter(Damage damage) throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data);
    }
    Path file = chunkFiles(dir).getFirst();
    damage.apply(file);
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().headChunkFilesDamaged()).isEqualTo(1);
      assertThat(db.stats().replaySamplesInHeadChunks()).isZero();
    }
    assertThat(chunkFiles(dir)).doesNotContain(file);
  }

  @Test
  void aFileThatIsNotAHeadChunkFileIsDeleted() throws Exception {
    firstFileIsDroppedAfter(
        f -> Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  }

  @Test
  void aChunkFileThatCannotBeReadIsDroppedAndTheDatabaseOpens() throws Exception {
    // A file whose every read fails with EIO, as a bad sector would: a link to /proc/self/mem,
    // whose page 0 is never mapped.
    firstFileIsDroppedAfter(
        f -> {
          Files.delete(f);
          Files.createSymbolicLink(f, Path.of("/proc/self/mem"));
        });
  }

  @Test
  void aConfirmedSeriesWhoseLastChunkCannotBeReadBackReplaysFromTheWal() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 240, data); // chunk 1 (rounds 0-119) cut; 120-239 open
    }
    Path wal = dir.resolve("wal");
    List<Path> segmentsBefore;
    try (Stream<Path> s = Files.list(wal)) {
      segmentsBefore = s.toList();
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 240, 241, new TreeMap<>()); // cuts chunk 2 (120-239) into a second file
    }
    // Lose round 240 (the new WAL segment): every WAL sample now lies in the two file chunks, so
    // replay confirms them and must read the last one back to append after it.
    try (Stream<Path> s = Files.list(wal)) {
      for (Path p : s.filter(p -> !segmentsBefore.contains(p)).toList()) {
        Files.delete(p);
      }
    }
    TsdbStats stats = new TsdbStats();
    Head head = new Head(options(), stats);
    try (HeadChunks files = HeadChunks.load(dir.resolve(Tsdb.HEAD_CHUNKS_DIR), stats)) {
      head.attachChunkFiles(files);
      // The second file goes bad after it was loaded: flip a byte of every record's chunk.
      Path second = chunkFiles(dir).getLast();
      try (FileChannel ch =
          FileChannel.open(second, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        for (long at = 8; at + 32 < ch.size(); ) {
          ByteBuffer len = ByteBuffer.allocate(4);
          ch.read(len, at + 24);
          int length = len.getInt(0);
          ByteBuffer b = ByteBuffer.allocate(1);
          ch.read(b, at + 28 + length - 1);
          b.put(0, (byte) ~b.get(0));
          ch.write(b.rewind(), at + 28 + length - 1);
          at += 32 + length;
        }
      }
      WalReader.replay(wal, head.replayHandler(), RepairMode.MOVE_ASIDE);
      assertThat(head.concludeChunkCheck()).isTrue();
      WalReader.replay(wal, head.fallbackHandler(), RepairMode.MOVE_ASIDE);
      head.finishReplay();
      assertThat(stats.replaySeriesFromWalOnly()).isEqualTo(SERIES);
      assertThat(stats.replaySamplesInHeadChunks()).isZero();
      try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertThat(TsdbFixtures.read(q, true, TsdbFixtures.re("__name__", ".+"))).isEqualTo(data);
      }
    }
  }

  @Test
  void missingChunkFilesAreReplayedFromTheWal() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data);
    }
    for (Path p : chunkFiles(dir)) {
      Files.delete(p);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySamplesInHeadChunks()).isZero();
    }
  }

  @Test
  void anOutOfOrderSampleInsideAChunksRangeMakesItsSeriesReplayFromTheWal() throws Exception {
    TsdbOptions options = options().withOutOfOrderWindow(Duration.ofHours(1));
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options)) {
      write(db, 0, 300, data);
      // Late: inside the range of series 3's second chunk ([120, 240) * STEP), between samples.
      long late = 200 * STEP + 7;
      Appender app = db.appender();
      app.append(0, series(3), late, -1);
      app.commit();
      List<Sample> s3 = new ArrayList<>(data.get(series(3)));
      s3.add(201, Sample.of(late, -1)); // after the sample at 200 * STEP
      data.put(series(3), s3);
      assertThat(readAll(db)).isEqualTo(data);
    }
    try (Tsdb db = Tsdb.open(dir, options)) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySeriesFromWalOnly()).isEqualTo(1);
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo((SERIES - 1) * 240L);
    }
  }

  @Test
  void aDeletionThatRewroteChunksIsReplayedFromTheWalAndAppliedAgain() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, 300, data);
      db.deleteSeries(50 * STEP, 60 * STEP, List.of(eq("i", "5")));
    }
    data.put(
        series(5),
        data.get(series(5)).stream().filter(s -> s.t() < 50 * STEP || s.t() > 60 * STEP).toList());
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySeriesFromWalOnly()).isEqualTo(1);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
    }
  }

  @Test
  void afterACutTheChunksBelowTheFloorAreNotUsedAndTheRestAre() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    long rounds = 4 * 3600_000L / STEP + 1; // a little over 4 h: the head cuts [0, 2h)
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, (int) rounds, data);
      assertThat(db.compactHead()).isEqualTo(1);
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySeriesFromWalOnly()).isZero();
      // [2h, 4h) is 480 samples a series: 4 full chunks.
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo(SERIES * 480L);
      assertThat(db.compactHead()).isZero();
    }
  }

  @Test
  void aCrashBetweenBlockAndWalTruncationKeepsChunksAboveTheBlock() throws Exception {
    Map<Labels, List<Sample>> data = new TreeMap<>();
    long rounds = 5 * 3600_000L / STEP;
    try (Tsdb db = Tsdb.open(dir, options())) {
      write(db, 0, (int) rounds, data);
      assertThat(db.writeHeadBlock(0, 2 * 3600_000L)).isNotNull(); // then "crash"
    }
    try (Tsdb db = Tsdb.open(dir, options())) {
      assertThat(readAll(db)).isEqualTo(data);
      assertThat(db.stats().replaySeriesFromWalOnly()).isZero();
      // The chunks of [0, 2h) are below the block's end and not used; [2h, 5h) has 5 full ones
      // (the sixth, the last 30 minutes, was still open).
      assertThat(db.stats().replaySamplesInHeadChunks()).isEqualTo(SERIES * 600L);
    }
  }
}
