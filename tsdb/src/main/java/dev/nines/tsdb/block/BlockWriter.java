package dev.nines.tsdb.block;

import dev.nines.tsdb.chunk.ForChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/*
 * Design notes.
 *
 * Crash safety comes from one rename. Everything is written under <parent>/<id>.tmp: chunk
 * segments, then the index, then meta.json, each fsynced, then the chunks folder and the temporary
 * folder are fsynced, the folder is renamed to <parent>/<id> atomically, and the parent is fsynced.
 * A crash before the rename leaves only a .tmp folder, which Blocks.cleanupTemporary deletes and
 * which nothing reads; after it, the block is complete. meta.json is written last, so a folder
 * without one is never a complete block (Blocks.list ignores it).
 *
 * The series are sorted by labels before anything is written, so the index's series references
 * (byte offsets) increase in label order, postings lists come out sorted for free, and a query
 * returns series in label order by walking postings in order. A series' chunks are written next
 * to each other in time order, so the index can delta-encode their references.
 */

/** Writes an immutable block from series given in any order. */
public final class BlockWriter {
  private BlockWriter() {}

  /**
   * How to write a block.
   *
   * @param maxSegmentBytes the largest chunk segment file, header and footer included (default 512
   *     MiB; between 1 KiB and 2 GiB - 1)
   * @param minTime with {@code maxTime}: the time range of the block, {@code [minTime, maxTime)};
   *     when both are 0 the range is derived from the chunks
   * @param maxTime the exclusive end of the time range
   * @param level the compaction level: 1 for a block cut from the head
   * @param parents the blocks compacted into this one (empty at level 1)
   * @param sources the level-1 blocks whose data this holds; empty means this block itself
   */
  public record Options(
      long maxSegmentBytes,
      long minTime,
      long maxTime,
      int level,
      List<String> parents,
      List<String> sources) {
    /** The default segment size: 512 MiB. */
    public static final long DEFAULT_SEGMENT_BYTES = 512L << 20;

    /** Validates the fields, naming the one that is wrong. */
    public Options {
      if (maxSegmentBytes < 1024 || maxSegmentBytes > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "maxSegmentBytes must be between 1024 and "
                + Integer.MAX_VALUE
                + ": "
                + maxSegmentBytes);
      }
      if ((minTime != 0 || maxTime != 0) && minTime >= maxTime) {
        throw new IllegalArgumentException(
            "minTime " + minTime + " must be below maxTime " + maxTime);
      }
      if (level < 1) {
        throw new IllegalArgumentException("level must be at least 1: " + level);
      }
      parents = List.copyOf(parents);
      sources = List.copyOf(sources);
    }

    /** Defaults: 512 MiB segments, range derived from the data, level 1. */
    public static Options defaults() {
      return new Options(DEFAULT_SEGMENT_BYTES, 0, 0, 1, List.of(), List.of());
    }

    /** These options with another segment size limit. */
    public Options withMaxSegmentBytes(long bytes) {
      return new Options(bytes, minTime, maxTime, level, parents, sources);
    }

    /** These options with an explicit time range {@code [min, max)}. */
    public Options withTimeRange(long min, long max) {
      return new Options(maxSegmentBytes, min, max, level, parents, sources);
    }

    /** These options with a compaction level and lineage. */
    public Options withCompaction(int newLevel, List<String> newParents, List<String> newSources) {
      return new Options(maxSegmentBytes, minTime, maxTime, newLevel, newParents, newSources);
    }

    boolean hasTimeRange() {
      return minTime != 0 || maxTime != 0;
    }
  }

  /**
   * Writes a block of {@code series} into {@code parent} and returns its meta. The block appears
   * atomically as {@code parent/<id>}; on failure nothing but possibly a {@code .tmp} folder is
   * left. Series without chunks are left out.
   *
   * @throws IllegalArgumentException for a repeated label set, overlapping chunks of one series, a
   *     chunk outside the explicit time range or too big for a segment, or no data and no range
   */
  public static BlockMeta write(Path parent, Collection<SeriesChunks> series, Options options)
      throws IOException {
    List<SeriesChunks> sorted = prepare(series, options);
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    long numChunks = 0;
    long numSamples = 0;
    for (SeriesChunks s : sorted) {
      minTime = Math.min(minTime, s.chunks().getFirst().minTime());
      maxTime = Math.max(maxTime, s.chunks().getLast().maxTime());
      numChunks += s.chunks().size();
      for (ChunkData c : s.chunks()) {
        numSamples += c.numSamples();
      }
    }
    if (options.hasTimeRange()) {
      if (!sorted.isEmpty() && (minTime < options.minTime() || maxTime >= options.maxTime())) {
        throw new IllegalArgumentException(
            "chunks span ["
                + minTime
                + ", "
                + maxTime
                + "], outside the block range ["
                + options.minTime()
                + ", "
                + options.maxTime()
                + ")");
      }
      minTime = options.minTime();
      maxTime = options.maxTime();
    } else if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a block without series needs an explicit time range");
    } else {
      maxTime = maxTime == Long.MAX_VALUE ? maxTime : maxTime + 1;
      if (minTime == maxTime) {
        minTime--;
      }
    }

    String id = BlockIds.next(System.currentTimeMillis());
    List<String> sources = options.sources().isEmpty() ? List.of(id) : options.sources();
    BlockMeta meta =
        new BlockMeta(
            id,
            BlockMeta.FORMAT_VERSION,
            minTime,
            maxTime,
            new BlockMeta.Stats(sorted.size(), numChunks, numSamples),
            new BlockMeta.Compaction(options.level(), sources, options.parents()));

    Files.createDirectories(parent);
    Path tmp = parent.resolve(id + Blocks.TMP_SUFFIX);
    Path chunksDir = tmp.resolve(ChunkFiles.DIR);
    boolean done = false;
    try {
      Files.createDirectories(chunksDir);
      long[][] refs = new long[sorted.size()][];
      try (ChunkFiles.Writer chunks = new ChunkFiles.Writer(chunksDir, options.maxSegmentBytes())) {
        for (int i = 0; i < sorted.size(); i++) {
          List<ChunkData> list = sorted.get(i).chunks();
          refs[i] = new long[list.size()];
          for (int c = 0; c < list.size(); c++) {
            refs[i][c] = chunks.write(ForChunk.smallest(list.get(c).bytes()));
          }
        }
        chunks.finish();
      }
      Index.write(tmp.resolve(Index.FILE), sorted, refs);
      Blocks.writeFileSynced(tmp.resolve(Blocks.META_FILE), meta.toJson());
      Blocks.fsyncDir(chunksDir);
      Blocks.fsyncDir(tmp);
      Files.move(tmp, parent.resolve(id), StandardCopyOption.ATOMIC_MOVE);
      Blocks.fsyncDir(parent);
      done = true;
    } finally {
      if (!done) {
        Blocks.deleteTree(tmp);
      }
    }
    return meta;
  }

  private static List<SeriesChunks> prepare(Collection<SeriesChunks> series, Options options) {
    List<SeriesChunks> sorted = new ArrayList<>(series.size());
    long maxChunk = options.maxSegmentBytes() - ChunkFiles.HEADER_BYTES - ChunkFiles.FOOTER_BYTES;
    for (SeriesChunks s : series) {
      if (s.chunks().isEmpty()) {
        continue;
      }
      List<ChunkData> chunks = new ArrayList<>(s.chunks());
      chunks.sort(Comparator.comparingLong(ChunkData::minTime));
      for (int i = 0; i < chunks.size(); i++) {
        ChunkData c = chunks.get(i);
        if (i > 0 && c.minTime() <= chunks.get(i - 1).maxTime()) {
          throw new IllegalArgumentException(
              "series " + s.labels() + ": chunks overlap at " + c.minTime());
        }
        if (ChunkFiles.framedSize(c.bytes().length) > maxChunk) {
          throw new IllegalArgumentException(
              "series "
                  + s.labels()
                  + ": a chunk of "
                  + c.bytes().length
                  + " bytes does not fit a segment of "
                  + options.maxSegmentBytes()
                  + " bytes");
        }
      }
      sorted.add(new SeriesChunks(s.labels(), chunks));
    }
    sorted.sort(Comparator.comparing(SeriesChunks::labels));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).labels().equals(sorted.get(i - 1).labels())) {
        throw new IllegalArgumentException("series " + sorted.get(i).labels() + " given twice");
      }
    }
    return sorted;
  }
}
