package dev.nines.tsdb.block;

import static dev.nines.tsdb.block.BlockFixtures.clip;
import static dev.nines.tsdb.block.BlockFixtures.matchesAll;
import static dev.nines.tsdb.block.BlockFixtures.selectAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.block.BlockFixtures.Data;
import dev.nines.tsdb.block.BlockFixtures.Samples;
import dev.nines.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleted ranges are hidden at read time, survive reopening, and merge. */
class TombstonesTest {
  @TempDir Path dir;

  @Test
  void intervalsMergeWhenTheyOverlapOrTouch() {
    long[] iv = Tombstones.add(new long[0], 10, 20);
    iv = Tombstones.add(iv, 30, 40);
    assertThat(iv).containsExactly(10, 20, 30, 40);
    iv = Tombstones.add(iv, 21, 25);
    assertThat(iv).containsExactly(10, 25, 30, 40);
    iv = Tombstones.add(iv, 0, 5);
    assertThat(iv).containsExactly(0, 5, 10, 25, 30, 40);
    iv = Tombstones.add(iv, 3, 35);
    assertThat(iv).containsExactly(0, 40);
    iv = Tombstones.add(iv, Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(iv).containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @Test
  void deletedRangesAreHiddenAndPersisted() throws IOException {
    Data data = BlockFixtures.random(21, 150, 4);
    BlockMeta meta = BlockWriter.write(dir, data.series, BlockWriter.Options.defaults());
    Path blockDir = dir.resolve(meta.ulid());
    long t0 = BlockFixtures.T0;
    List<LabelMatcher> apiOnly = List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "api"));
    List<LabelMatcher> nodeCpu =
        List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", "node_cpu_seconds_total"));
    try (Block block = Block.open(blockDir)) {
      Querier before = block.querier(Long.MIN_VALUE, Long.MAX_VALUE);
      block.delete(t0 + 600_000, t0 + 1_800_000, apiOnly);
      block.delete(t0 + 1_700_000, t0 + 2_400_000, apiOnly); // merges with the first
      block.delete(Long.MIN_VALUE, Long.MAX_VALUE, nodeCpu); // whole series gone
      assertThat(Files.exists(blockDir.resolve("tombstones"))).isTrue();
      assertThat(Files.exists(blockDir.resolve("tombstones.tmp"))).isFalse();
      // A querier opened before the deletes keeps its view.
      assertThat(selectAll(before)).hasSize(data.samples.size());
      before.close();
      checkHidden(block, data, apiOnly, nodeCpu, t0);
    }
    try (Block reopened = Block.open(blockDir)) {
      checkHidden(reopened, data, apiOnly, nodeCpu, t0);
    }
  }

  private static void checkHidden(
      Block block, Data data, List<LabelMatcher> apiOnly, List<LabelMatcher> nodeCpu, long t0) {
    try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Map<Labels, Samples> read = selectAll(q);
      for (Map.Entry<Labels, Samples> e : data.samples.entrySet()) {
        long[] deleted = new long[0];
        if (matchesAll(e.getKey(), nodeCpu)) {
          deleted = new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        } else if (matchesAll(e.getKey(), apiOnly)) {
          deleted = new long[] {t0 + 600_000, t0 + 2_400_000};
        }
        Samples want = clip(e.getValue(), Long.MIN_VALUE, Long.MAX_VALUE, deleted);
        if (want.size() == 0) {
          assertThat(read).as("fully deleted series").doesNotContainKey(e.getKey());
        } else {
          assertThat(read.get(e.getKey()).t()).isEqualTo(want.t());
          assertThat(read.get(e.getKey()).bits()).isEqualTo(want.bits());
        }
      }
    }
  }
}
