package dev.nines.tsdb;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.block.Block;
import dev.nines.tsdb.block.BlockMeta;
import dev.nines.tsdb.block.BlockWriter;
import dev.nines.tsdb.block.ChunkData;
import dev.nines.tsdb.block.SeriesChunks;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/*
 * Design notes. Planning follows Prometheus's LeveledCompactor:
 *
 *  - Ranges grow by 3x from the block range (2 h, 6 h, 18 h, 54 h, ...) up to a tenth of the time
 *    retention, and never beyond 31 days.
 *  - The newest block is left out of planning: it gives backups a full block range to copy new
 *    blocks piece by piece without overlap.
 *  - First, blocks that overlap in time (a backfill, a crash between writing a compacted block and
 *    deleting its parents is handled at open instead) are merged. Then, for each range from the
 *    second up, blocks falling inside one aligned window of that range are merged when the window
 *    is full (the blocks span it) or lies entirely before the newest planned block. Last, a block
 *    with tombstones is rewritten alone, so deleted data really leaves the disk.
 *
 * Merging reads the parents through their queriers (so tombstones are applied), merges series
 * with equal labels and equal timestamps (MergeQuerier), and encodes the samples again into chunks
 * cut at the chunk size and at chunk-range boundaries. Version 1 holds the output in memory before
 * BlockWriter writes it (the writer takes a collection); streaming is future work.
 */

/** Plans and runs the compaction of blocks into larger ones. */
final class BlockCompactor {
  private static final long MAX_RANGE = Duration.ofDays(31).toMillis();

  private BlockCompactor() {}

  /** The compaction ranges for a block range and a time retention (zero: none). */
  static List<Long> ranges(long blockRange, Duration retention) {
    long max = MAX_RANGE;
    if (!retention.isZero()) {
      max = Math.min(max, retention.toMillis() / 10);
    }
    List<Long> out = new ArrayList<>();
    out.add(blockRange);
    long r = blockRange;
    while (r <= max / 3) {
      r *= 3;
      out.add(r);
    }
    return out;
  }

  /** The blocks to merge next (sorted by time), or an empty list. {@code blocks} sorted by time. */
  static List<Block> plan(List<Block> blocks, List<Long> ranges) {
    if (blocks.size() < 2) {
      return List.of();
    }
    List<Block> candidates = new ArrayList<>(blocks.subList(0, blocks.size() - 1));
    List<Block> overlapping = overlapping(blocks);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    long highTime = candidates.getLast().meta().minTime();
    for (int r = 1; r < ranges.size(); r++) {
      long range = ranges.get(r);
      int i = 0;
      while (i < candidates.size()) {
        long window = Math.floorDiv(candidates.get(i).meta().minTime(), range);
        long windowEnd = (window + 1) * range;
        List<Block> group = new ArrayList<>();
        while (i < candidates.size()
            && Math.floorDiv(candidates.get(i).meta().minTime(), range) == window) {
          Block b = candidates.get(i);
          if (b.meta().maxTime() <= windowEnd) {
            group.add(b);
          } else {
            group.clear(); // a block wider than the window: already compacted beyond this range
          }
          i++;
        }
        if (group.size() > 1) {
          long mint = group.getFirst().meta().minTime();
          long maxt = group.getLast().meta().maxTime();
          if (maxt - mint == range || maxt <= highTime) {
            return group;
          }
        }
      }
    }
    for (Block b : candidates) {
      if (!b.tombstones().isEmpty()) {
        return List.of(b);
      }
    }
    return List.of();
  }

  /** The first run of blocks overlapping in time, or an empty list. */
  private static List<Block> overlapping(List<Block> blocks) {
    List<Block> group = new ArrayList<>();
    long groupMax = Long.MIN_VALUE;
    for (Block b : blocks) {
      if (!group.isEmpty() && b.meta().minTime() < groupMax) {
        group.add(b);
        groupMax = Math.max(groupMax, b.meta().maxTime());
        continue;
      }
      if (group.size() > 1) {
        return group;
      }
      group.clear();
      group.add(b);
      groupMax = b.meta().maxTime();
    }
    return group.size() > 1 ? group : List.of();
  }

  /**
   * Writes one block holding the merged data of {@code parents} (tombstones applied) into {@code
   * dir}; returns its meta, or null when nothing is left (every sample deleted), in which case no
   * block is written.
   */
  static BlockMeta merge(List<Block> parents, Path dir, int samplesPerChunk, long chunkRange)
      throws IOException {
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int level = 0;
    TreeSet<String> sources = new TreeSet<>();
    List<String> parentIds = new ArrayList<>();
    for (Block b : parents) {
      BlockMeta m = b.meta();
      mint = Math.min(mint, m.minTime());
      maxt = Math.max(maxt, m.maxTime());
      level = Math.max(level, m.compaction().level());
      sources.addAll(m.compaction().sources());
      parentIds.add(m.ulid());
    }
    List<Querier> queriers = new ArrayList<>();
    List<SeriesChunks> out = new ArrayList<>();
    try {
      List<SeriesSet> sets = new ArrayList<>();
      List<LabelMatcher> all = List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", ".+"));
      for (Block b : parents) {
        Querier q = b.querier(mint, maxt - 1);
        queriers.add(q);
        sets.add(q.select(true, SelectHints.range(mint, maxt - 1), all));
      }
      SeriesSet merged = MergeQuerier.merge(sets);
      SampleIterator reuse = null;
      while (merged.next()) {
        reuse = merged.at().iterator(reuse);
        List<ChunkData> chunks = ChunkData.encode(reuse, samplesPerChunk, chunkRange);
        if (!chunks.isEmpty()) {
          out.add(new SeriesChunks(merged.at().labels(), chunks));
        }
      }
      if (merged.error() != null) {
        throw merged.error();
      }
    } finally {
      for (Querier q : queriers) {
        q.close();
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    out.sort(Comparator.comparing(SeriesChunks::labels));
    BlockWriter.Options options =
        BlockWriter.Options.defaults()
            .withTimeRange(mint, maxt)
            .withCompaction(level + 1, parentIds, new ArrayList<>(sources));
    return BlockWriter.write(dir, out, options);
  }
}
