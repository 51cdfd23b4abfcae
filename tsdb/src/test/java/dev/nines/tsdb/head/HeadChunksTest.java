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
