package dev.nines.tsdb.block;

import static dev.nines.tsdb.block.BlockFixtures.T0;
import static dev.nines.tsdb.block.BlockFixtures.clip;
import static dev.nines.tsdb.block.BlockFixtures.selectAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.tsdb.block.BlockFixtures.Data;
import dev.nines.tsdb.block.BlockFixtures.Samples;
import dev.nines.tsdb.chunk.XorChunk;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks read back exactly what was written, in label order, clipped to the query range. */
class BlockRoundTripTest {
  @TempDir Path dir;

  @Test
  void randomSeriesReadBackBitExactInLabelOrder() throws IOException {
    Data data = BlockFixtures.random(42, 400, 5);
    List<SeriesChunks> shuffled = new ArrayList<>(data.series);
    Collections.shuffle(shuffled, new java.util.Random(7));
    BlockMeta meta =
        BlockWriter.write(dir, shuffled, BlockWriter.Options.defaults().withMaxSegmentBytes(8192));

    try (Stream<Path> segments = Files.list(dir.resolve(meta.ulid()).resolve("chunks"))) {
      assertThat(segments.count()).isGreaterThan(3);
    }
    try (Block block = Block.open(dir.resolve(meta.ulid()));
        Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Map<Labels, Samples> read = selectAll(q);
      List<Labels> expectedOrder = new ArrayList<>(data.samples.keySet());
      Collections.sort(expectedOrder);
      assertThat(read.keySet()).containsExactlyElementsOf(expectedOrder);
      for (Labels l : expectedOrder) {
        assertThat(read.get(l).t()).as("timestamps of %s", l).isEqualTo(data.samples.get(l).t());
        assertThat(read.get(l).bits()).as("values of %s", l).isEqualTo(data.samples.get(l).bits());
      }
      block.verifyChunks();
    }
  }

  /**
   * The head hands the writer XOR and SCALED chunks: each one reads back bit for bit, whether the
   * writer made it FOR (a busy counter), kept it SCALED (one sample: FOR is no smaller) or kept it
   * XOR (a stale marker and a third).
   */
  @Test
  void headChunksOfEveryEncodingReadBackBitExact() throws IOException {
    long[][] values = {
      {},
      {Double.doubleToRawLongBits(12.5)},
      {Double.doubleToRawLongBits(1), 0x7ff0000000000002L, Double.doubleToRawLongBits(1.0 / 3)},
    };
    long[] counter = new long[120];
    SplittableRandom r = new SplittableRandom(3);
    long c = 0;
    for (int i = 0; i < counter.length; i++) {
      c += r.nextInt(100);
      counter[i] = Double.doubleToRawLongBits(c / 100.0);
    }
    values[0] = counter;
    List<SeriesChunks> series = new ArrayList<>();
    for (int s = 0; s < values.length; s++) {
      XorChunk chunk = XorChunk.adaptive(64);
      for (int i = 0; i < values[s].length; i++) {
        chunk.append(T0 + i * 15_000L, Double.longBitsToDouble(values[s][i]));
      }
      series.add(
          new SeriesChunks(
              Labels.of("__name__", "h", "s", Integer.toString(s)), List.of(ChunkData.of(chunk))));
    }
    BlockMeta meta = BlockWriter.write(dir, series, BlockWriter.Options.defaults());
    try (Block block = Block.open(dir.resolve(meta.ulid()));
        Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Map<Labels, Samples> read = selectAll(q);
      for (int s = 0; s < values.length; s++) {
        Samples got = read.get(Labels.of("__name__", "h", "s", Integer.toString(s)));
        assertThat(got.bits()).as("series %d", s).isEqualTo(values[s]);
        assertThat(got.t()[got.size() - 1]).isEqualTo(T0 + (values[s].length - 1) * 15_000L);
      }
      block.verifyChunks();
    }
  }

  @Test
  void metaDescribesTheBlock() throws IOException {
    Data data = BlockFixtures.random(1, 50, 3);
    BlockMeta meta = BlockWriter.write(dir, data.series, BlockWriter.Options.defaults());
    long samples = data.samples.values().stream().mapToLong(Samples::size).sum();
    long min = data.samples.values().stream().mapToLong(s -> s.t()[0]).min().orElseThrow();
    long max =
        data.samples.values().stream().mapToLong(s -> s.t()[s.size() - 1]).max().orElseThrow();
    assertThat(meta.stats().numSeries()).isEqualTo(50);
    assertThat(meta.stats().numSamples()).isEqualTo(samples);
    assertThat(meta.minTime()).isEqualTo(min);
    assertThat(meta.maxTime()).isEqualTo(max + 1);
    assertThat(meta.compaction().level()).isEqualTo(1);
    assertThat(meta.compaction().sources()).containsExactly(meta.ulid());
    assertThat(BlockIds.timestamp(meta.ulid()))
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    try (Block block = Block.open(dir.resolve(meta.ulid()))) {
      assertThat(block.meta()).isEqualTo(meta);
    }
    assertThat(BlockMeta.parse(meta.toJson())).isEqualTo(meta);
  }

  @Test
  void samplesAreClippedToTheQueryRangeAndEmptySeriesSkipped() throws IOException {
    Data data = BlockFixtures.random(3, 120, 4);
    BlockMeta meta = BlockWriter.write(dir, data.series, BlockWriter.Options.defaults());
    SplittableRandom r = new SplittableRandom(5);
    try (Block block = Block.open(dir.resolve(meta.ulid()))) {
      for (int round = 0; round < 40; round++) {
        long mint = T0 + r.nextLong(-100_000, 12_000_000);
        long maxt = mint + r.nextLong(0, 6_000_000);
        if (round == 0) {
          maxt = mint; // a single instant
        }
        try (Querier q = block.querier(mint, maxt)) {
          Map<Labels, Samples> read = selectAll(q);
          int expectedSeries = 0;
          for (Map.Entry<Labels, Samples> e : data.samples.entrySet()) {
            Samples want = clip(e.getValue(), mint, maxt, new long[0]);
            if (want.size() == 0) {
              assertThat(read).doesNotContainKey(e.getKey());
              continue;
            }
            expectedSeries++;
            assertThat(read.get(e.getKey()).t()).isEqualTo(want.t());
            assertThat(read.get(e.getKey()).bits()).isEqualTo(want.bits());
          }
          assertThat(read).hasSize(expectedSeries);
        }
      }
    }
  }

  @Test
  void seekMovesForwardOnlyAndStopsAtTheRangeEnd() throws IOException {
    XorChunk a = new XorChunk();
    XorChunk b = new XorChunk();
    for (int i = 0; i < 10; i++) {
      a.append(1000 + i * 10, i);
      b.append(5000 + i * 10, 100 + i);
    }
    BlockMeta meta =
        BlockWriter.write(
            dir,
            List.of(
                new SeriesChunks(
                    Labels.of("__name__", "x"), List.of(ChunkData.of(b), ChunkData.of(a)))),
            BlockWriter.Options.defaults());
    try (Block block = Block.open(dir.resolve(meta.ulid()));
        Querier q = block.querier(1015, 5050)) {
      SeriesSet set = q.select(false, SelectHints.range(1015, 5050), List.of());
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      assertThat(it.seek(0)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(1020);
      assertThat(it.seek(1000)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).as("seek never moves backwards").isEqualTo(1020);
      assertThat(it.seek(1085)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(1090);
      assertThat(it.seek(2000)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(5000);
      assertThat(it.value()).isEqualTo(100.0);
      assertThat(it.next()).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.seek(5050)).isEqualTo(SampleIterator.FLOAT);
      assertThat(it.timestamp()).isEqualTo(5050);
      assertThat(it.next()).as("5060 is after maxt").isEqualTo(SampleIterator.NONE);
      assertThat(it.seek(0)).isEqualTo(SampleIterator.NONE);
      // The iterator is reusable for another series.
      SampleIterator again = set.at().iterator(it);
      assertThat(again).isSameAs(it);
      assertThat(again.next()).isEqualTo(SampleIterator.FLOAT);
      assertThat(again.timestamp()).isEqualTo(1020);
      assertThat(set.next()).isFalse();
    }
  }

  @Test
  void iteratingSamplesAllocatesNothingPerSample() throws IOException {
    List<ChunkData> chunks = new ArrayList<>();
    long t = 0;
    for (int c = 0; c < 200; c++) {
      XorChunk chunk = new XorChunk();
      for (int i = 0; i < 120; i++) {
        chunk.append(t, (double) (t % 977));
        t += 15_000;
      }
      chunks.add(ChunkData.of(chunk));
    }
    BlockMeta meta =
        BlockWriter.write(
            dir,
            List.of(new SeriesChunks(Labels.of("__name__", "long"), chunks)),
            BlockWriter.Options.defaults());
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (Block block = Block.open(dir.resolve(meta.ulid()));
        Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(0, t), List.of());
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      long[] sums = new long[2];
      long allocated = 0;
      for (int pass = 0; pass < 2; pass++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        it = set.at().iterator(it);
        while (it.next() == SampleIterator.FLOAT) {
          sums[pass] += it.timestamp() + (long) it.value();
        }
        allocated = threads.getCurrentThreadAllocatedBytes() - before;
      }
      assertThat(sums[1]).isEqualTo(sums[0]);
      // 24,000 samples in 200 chunks; a second pass over a reused iterator allocates nothing
      // (a few hundred bytes of slack for the measurement itself).
      assertThat(allocated).as("bytes allocated iterating 24,000 samples").isLessThan(1024);
    }
  }

  @Test
  void writerRejectsBadInputWithoutLeavingAnything() throws IOException {
    XorChunk c = new XorChunk();
    c.append(10, 1);
    c.append(20, 2);
    ChunkData chunk = ChunkData.of(c);
    Labels l = Labels.of("__name__", "x");
    assertThatThrownBy(
            () ->
                BlockWriter.write(
                    dir,
                    List.of(
                        new SeriesChunks(l, List.of(chunk)), new SeriesChunks(l, List.of(chunk))),
                    BlockWriter.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
    assertThatThrownBy(
            () ->
                BlockWriter.write(
                    dir,
                    List.of(new SeriesChunks(l, List.of(chunk, chunk))),
                    BlockWriter.Options.defaults()))
        .hasMessageContaining("overlap");
    assertThatThrownBy(
            () ->
                BlockWriter.write(
                    dir,
                    List.of(new SeriesChunks(l, List.of(chunk))),
                    BlockWriter.Options.defaults().withTimeRange(0, 15)))
        .hasMessageContaining("outside the block range");
    assertThatThrownBy(() -> BlockWriter.Options.defaults().withMaxSegmentBytes(10))
        .hasMessageContaining("maxSegmentBytes");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.toList()).isEmpty();
    }
  }

  @Test
  void emptyBlockWithExplicitRangeOpensAndSelectsNothing() throws IOException {
    BlockMeta meta =
        BlockWriter.write(
            dir, List.of(), BlockWriter.Options.defaults().withTimeRange(0, 7200_000));
    try (Block block = Block.open(dir.resolve(meta.ulid()));
        Querier q = block.querier(0, 7200_000)) {
      assertThat(selectAll(q)).isEmpty();
      assertThat(q.labelNames(List.of())).isEmpty();
      assertThat(q.labelValues("job", List.of())).isEmpty();
    }
  }

  @Test
  void blockIdsSortByCreationTime() {
    String a = BlockIds.next(1_000);
    String b = BlockIds.next(2_000);
    assertThat(a).hasSize(26).isLessThan(b);
    assertThat(BlockIds.isValid(a)).isTrue();
    assertThat(BlockIds.timestamp(b)).isEqualTo(2_000);
    assertThat(BlockIds.isValid("not-an-id")).isFalse();
  }
}
