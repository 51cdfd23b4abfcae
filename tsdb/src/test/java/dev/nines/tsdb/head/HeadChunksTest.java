package dev.nines.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.TsdbStats;
import dev.nines.tsdb.chunk.ChunkCorruptionException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.SampleIterator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Head chunk files: round trip, file rotation and deletion, CRC checks, and a head using them. */
class HeadChunksTest {
  @TempDir Path dir;

  @Test
  void chunksRoundTripAcrossFiles() throws IOException {
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats(), 4096)) {
      List<Long> handles = new ArrayList<>();
      List<byte[]> written = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        byte[] chunk = new byte[1 + (i * 37) % 300];
        for (int j = 0; j < chunk.length; j++) {
          chunk[j] = (byte) (i * 31 + j);
        }
        long h = files.write(i, i * 1000L, i * 1000L + 999, chunk, chunk.length);
        assertThat(h).isNotNegative();
        handles.add(h);
        written.add(chunk);
      }
      assertThat(files.fileCount()).isGreaterThan(1);
      for (int i = 0; i < handles.size(); i++) {
        assertThat(files.readCopy(handles.get(i))).isEqualTo(written.get(i));
      }
      files.deleteBefore(50_000);
      assertThat(files.fileCount()).isGreaterThanOrEqualTo(1);
      assertThat(files.readCopy(handles.get(99))).isEqualTo(written.get(99));
    }
  }

  @Test
  void openRemovesFilesOfAPreviousRun() throws IOException {
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      files.write(1, 0, 1, new byte[] {1, 0, 0}, 3);
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(1);
    }
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      try (Stream<Path> s = Files.list(dir)) {
        assertThat(s.count()).isZero();
      }
    }
  }

  /** A chunk of {@code n} XOR samples from {@code t0}, every 15 s. */
  private static byte[] xorChunk(long t0, int n) {
    dev.nines.tsdb.chunk.XorChunk c = new dev.nines.tsdb.chunk.XorChunk(64);
    for (int i = 0; i < n; i++) {
      c.append(t0 + i * 15_000L, i * 0.5);
    }
    return c.toByteArray();
  }

  @Test
  void loadFindsTheChunksOfAPreviousRunAndWritesAfterThem() throws IOException {
    List<Long> handles = new ArrayList<>();
    List<byte[]> written = new ArrayList<>();
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats(), 4096)) {
      for (int i = 0; i < 60; i++) {
        byte[] chunk = xorChunk(i * 1_000_000L, 1 + i % 50);
        handles.add(files.write(i % 7, i * 1_000_000L, i * 1_000_000L + 999, chunk, chunk.length));
        written.add(chunk);
      }
    }
    TsdbStats stats = new TsdbStats();
    try (HeadChunks files = HeadChunks.load(dir, stats, 4096)) {
      HeadChunks.Loaded l = files.loaded();
      assertThat(l.size()).isEqualTo(60);
      assertThat(stats.headChunkFilesDamaged()).isZero();
      // Per ref, in the order written, with the handles that were handed out.
      for (int ref = 0; ref < 7; ref++) {
        List<Integer> seen = new ArrayList<>();
        for (int i = l.first(ref); i >= 0; i = l.next(i)) {
          int k = (int) (l.minTime(i) / 1_000_000L);
          seen.add(k);
          assertThat(l.handle(i)).isEqualTo(handles.get(k));
          assertThat(l.count(i)).isEqualTo(1 + k % 50);
          assertThat(files.readCopy(l.handle(i))).isEqualTo(written.get(k));
        }
        int r = ref;
        assertThat(seen)
            .isEqualTo(
                java.util.stream.IntStream.range(0, 60).filter(k -> k % 7 == r).boxed().toList());
      }
      int before = files.fileCount();
      long h = files.write(99, 0, 1, new byte[] {1, 0, 1, 0}, 4);
      assertThat(files.fileCount()).isEqualTo(before + 1); // a new file, after the loaded ones
      assertThat(files.readCopy(h)).containsExactly(1, 0, 1, 0);
    }
  }

  /** A chunk of {@code n} samples from {@code t0} as the head appends it now: SCALED. */
  private static byte[] scaledChunk(long t0, int n) {
    dev.nines.tsdb.chunk.XorChunk c = dev.nines.tsdb.chunk.XorChunk.adaptive(64);
    for (int i = 0; i < n; i++) {
      c.append(t0 + i * 15_000L, i * 0.25);
    }
    assertThat(c.encoding()).isEqualTo(dev.nines.tsdb.chunk.ChunkEncoding.SCALED);
    return c.toByteArray();
  }

  /**
   * Files of an older Nines hold XOR chunks only, files of this one SCALED ones too; both load,
   * side by side, and read back byte for byte.
   */
  @Test
  void loadAcceptsScaledChunksBesideTheXorChunksOfOlderVersions() throws IOException {
    List<byte[]> written = new ArrayList<>();
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      for (int i = 0; i < 10; i++) {
        byte[] chunk = i % 2 == 0 ? xorChunk(i * 1_000_000L, 30) : scaledChunk(i * 1_000_000L, 30);
        files.write(1, i * 1_000_000L, i * 1_000_000L + 29 * 15_000L, chunk, chunk.length);
        written.add(chunk);
      }
    }
    TsdbStats stats = new TsdbStats();
    try (HeadChunks files = HeadChunks.load(dir, stats)) {
      HeadChunks.Loaded l = files.loaded();
      assertThat(l.size()).isEqualTo(10);
      assertThat(stats.headChunkFilesDamaged()).isZero();
      int k = 0;
      for (int i = l.first(1); i >= 0; i = l.next(i)) {
        assertThat(files.readCopy(l.handle(i))).isEqualTo(written.get(k++));
      }
    }
  }

  /** FOR is a block encoding: a record holding one is damage, and ends its file. */
  @Test
  void loadStopsAFileAtAChunkOfAnotherEncoding() throws IOException {
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      for (int i = 0; i < 3; i++) {
        byte[] chunk = i == 1 ? new byte[] {2, 0, 1, 0, 0, 2} : scaledChunk(i * 1_000_000L, 5);
        files.write(1, i * 1_000_000L, i * 1_000_000L + 60_000L, chunk, chunk.length);
      }
    }
    TsdbStats stats = new TsdbStats();
    try (HeadChunks files = HeadChunks.load(dir, stats)) {
      assertThat(files.loaded().size()).isEqualTo(1);
      assertThat(stats.headChunkFilesDamaged()).isEqualTo(1);
    }
  }

  @Test
  void loadStopsAFileAtItsFirstBadRecord() throws IOException {
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      for (int i = 0; i < 10; i++) {
        byte[] chunk = xorChunk(i * 1_000_000L, 10);
        files.write(1, i * 1_000_000L, i * 1_000_000L + 135_000, chunk, chunk.length);
      }
    }
    Path file = dir.resolve("000001");
    long recordBytes = (Files.size(file) - HeadChunks.HEADER_BYTES) / 10;
    // Zeros over the fourth record, as a power loss can leave a file the kernel had not written.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate((int) recordBytes), HeadChunks.HEADER_BYTES + 3 * recordBytes);
    }
    TsdbStats stats = new TsdbStats();
    try (HeadChunks files = HeadChunks.load(dir, stats)) {
      assertThat(files.loaded().size()).isEqualTo(3);
      assertThat(stats.headChunkFilesDamaged()).isEqualTo(1);
    }
  }

  @Test
  void aSeriesLeftWithOnlyLoadedChunksReopensItsLastOne() throws IOException {
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      byte[] c1 = xorChunk(0, 120);
      byte[] c2 = xorChunk(120 * 15_000L, 120);
      long h1 = files.write(1, 0, 119 * 15_000L, c1, c1.length);
      long h2 = files.write(1, 120 * 15_000L, 239 * 15_000L, c2, c2.length);
      MemSeries s = new MemSeries(1, Labels.of("__name__", "m"));
      synchronized (s) {
        s.attachLoaded(new long[] {0, 119 * 15_000L, h1, 120 * 15_000L, 239 * 15_000L, h2}, 2);
        assertThat(s.hasSamples()).isFalse();
        s.reopenLastChunk(files, new dev.nines.tsdb.chunk.XorIterator());
        assertThat(s.hasSamples()).isTrue();
        assertThat(s.maxTime()).isEqualTo(239 * 15_000L);
        assertThat(s.numChunks()).isEqualTo(2);
        // The next sample is newer: the reopened chunk is full, so it is cut and a new one starts.
        long t = 240 * 15_000L;
        assertThat(s.apply(t, Double.doubleToRawLongBits(7), 120, 7_200_000L, files))
            .isEqualTo(MemSeries.APPLIED);
        assertThat(s.numChunks()).isEqualTo(3);
        HeadIterator it = new HeadIterator();
        s.snapshotInto(it, Long.MIN_VALUE, Long.MAX_VALUE, files);
        int n = 0;
        while (it.next() != SampleIterator.NONE) {
          assertThat(it.timestamp()).isEqualTo(n * 15_000L);
          assertThat(it.value()).isEqualTo(n < 240 ? (n % 120) * 0.5 : 7);
          n++;
        }
        assertThat(n).isEqualTo(241);
      }
    }
  }

  @Test
  void aFlippedByteIsACorruptionNotWrongSamples() throws IOException {
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      long h = files.write(7, 0, 1, new byte[] {1, 0, 0, 42}, 4);
      try (FileChannel ch = FileChannel.open(dir.resolve("000001"), StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {43}), HeadChunks.HEADER_BYTES + 28 + 3);
      }
      assertThatThrownBy(() -> files.readCopy(h)).isInstanceOf(ChunkCorruptionException.class);
    }
  }

  @Test
  void aHeadWithChunkFilesReadsLikeAHeadWithout() throws Exception {
    TsdbOptions options = TsdbOptions.defaults();
    Head onHeap = new Head(options, new TsdbStats());
    Head onDisk = new Head(options, new TsdbStats());
    try (HeadChunks files = HeadChunks.open(dir, new TsdbStats())) {
      onDisk.attachChunkFiles(files);
      for (Head h : List.of(onHeap, onDisk)) {
        Appender app = h.appender();
        for (int i = 0; i < 1000; i++) {
          for (int s = 0; s < 20; s++) {
            Labels l = Labels.of("__name__", "m", "s", Integer.toString(s));
            long bits = i % 97 == 0 ? 0x7ff0000000000002L : Double.doubleToRawLongBits(i * 1.5 + s);
            app.append(0, l, 15_000L * i, Double.longBitsToDouble(bits));
          }
          app.commit();
        }
      }
      assertThat(files.fileCount()).isEqualTo(1);
      assertThat(readAll(onDisk)).isEqualTo(readAll(onHeap)).hasSize(20 * 1000);
      assertThat(readRange(onDisk, 3_000_000, 6_000_000))
          .isEqualTo(readRange(onHeap, 3_000_000, 6_000_000))
          .hasSize(20 * 201);
    }
  }

  private static List<String> readAll(Head h) {
    return readRange(h, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private static List<String> readRange(Head h, long mint, long maxt) {
    List<String> out = new ArrayList<>();
    try (var q = h.querier(mint, maxt)) {
      var set =
          q.select(
              true,
              dev.nines.tsdb.storage.SelectHints.range(0, 0),
              List.of(
                  dev.nines.common.LabelMatcher.of(
                      dev.nines.common.LabelMatcher.Type.EQUAL, "__name__", "m")));
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next() != SampleIterator.NONE) {
          out.add(
              set.at().labels()
                  + " "
                  + it.timestamp()
                  + " "
                  + Long.toHexString(Double.doubleToRawLongBits(it.value())));
        }
      }
    }
    return out;
  }
}
