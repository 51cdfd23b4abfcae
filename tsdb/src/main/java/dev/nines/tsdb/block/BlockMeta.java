package dev.nines.tsdb.block;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contents of a block's {@code meta.json}: its id, the time range it covers, counts, and where
 * it came from. Immutable; written last when a block is created and never changed afterwards.
 *
 * @param ulid the block id, equal to the block folder's name
 * @param version the block format version ({@link #FORMAT_VERSION})
 * @param minTime the first millisecond the block covers, inclusive
 * @param maxTime the end of the covered range, exclusive (Prometheus's convention)
 * @param stats counts of what the block holds
 * @param compaction the compaction level and the blocks this one was made from
 */
public record BlockMeta(
    String ulid, int version, long minTime, long maxTime, Stats stats, Compaction compaction) {
  /** The only format version this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** Validates the fields. */
  public BlockMeta {
    if (!BlockIds.isValid(ulid)) {
      throw new IllegalArgumentException("ulid: not a block id: \"" + ulid + "\"");
    }
    if (minTime >= maxTime) {
      throw new IllegalArgumentException(
          "minTime " + minTime + " must be below maxTime " + maxTime);
    }
  }

  /**
   * How much a block holds.
   *
   * @param numSeries series with at least one chunk
   * @param numChunks chunks in the chunk files
   * @param numSamples samples in all chunks, from the chunk headers
   */
  public record Stats(long numSeries, long numChunks, long numSamples) {}

  /**
   * Where a block came from.
   *
   * @param level 1 for a block cut from the head, one more than the highest parent when compacted
   * @param sources the ids of the level-1 blocks whose data this block holds (itself at level 1)
   * @param parents the ids of the blocks compacted into this one (empty at level 1)
   */
  public record Compaction(int level, List<String> sources, List<String> parents) {
    /** Copies the lists. */
    public Compaction {
      if (level < 1) {
        throw new IllegalArgumentException("compaction.level must be at least 1, got " + level);
      }
      sources = List.copyOf(sources);
      parents = List.copyOf(parents);
    }
  }

  /** The meta as {@code meta.json} bytes: UTF-8 JSON, indented, one field a line. */
  public byte[] toJson() {
    StringBuilder out = new StringBuilder(256);
    out.append("{\n  \"ulid\": ");
    Json.quote(ulid, out);
    out.append(",\n  \"version\": ").append(version);
    out.append(",\n  \"minTime\": ").append(minTime);
    out.append(",\n  \"maxTime\": ").append(maxTime);
    out.append(",\n  \"stats\": {\"numSeries\": ").append(stats.numSeries());
    out.append(", \"numChunks\": ").append(stats.numChunks());
    out.append(", \"numSamples\": ").append(stats.numSamples());
    out.append("},\n  \"compaction\": {\"level\": ").append(compaction.level());
    out.append(", \"sources\": ");
    appendList(compaction.sources(), out);
    out.append(", \"parents\": ");
    appendList(compaction.parents(), out);
    out.append("}\n}\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendList(List<String> values, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      Json.quote(values.get(i), out);
    }
    out.append(']');
  }

  /**
   * Parses {@code meta.json} bytes.
   *
   * @throws IllegalArgumentException naming the field (or character offset) that is wrong
   */
  public static BlockMeta parse(byte[] json) {
    Object root;
    try {
      root = Json.parse(new String(json, StandardCharsets.UTF_8));
    } catch (Json.SyntaxException e) {
      throw new IllegalArgumentException("meta.json: " + e.getMessage(), e);
    }
    Map<?, ?> m = object(root, "meta.json");
    int version = (int) number(m, "version");
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "version: unsupported block format version " + version + " (this code reads 1)");
    }
    Map<?, ?> stats = object(m.get("stats"), "stats");
    Map<?, ?> compaction = object(m.get("compaction"), "compaction");
    return new BlockMeta(
        string(m, "ulid"),
        version,
        number(m, "minTime"),
        number(m, "maxTime"),
        new Stats(
            number(stats, "numSeries"), number(stats, "numChunks"), number(stats, "numSamples")),
        new Compaction(
            (int) number(compaction, "level"),
            strings(compaction, "sources"),
            strings(compaction, "parents")));
  }

  private static Map<?, ?> object(Object v, String field) {
    if (v instanceof Map<?, ?> map) {
      return map;
    }
    throw new IllegalArgumentException(field + ": expected an object");
  }

  private static long number(Map<?, ?> m, String field) {
    if (m.get(field) instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException(field + ": expected an integer");
  }

  private static String string(Map<?, ?> m, String field) {
    if (m.get(field) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(field + ": expected a string");
  }

  private static List<String> strings(Map<?, ?> m, String field) {
    if (!(m.get(field) instanceof List<?> list)) {
      throw new IllegalArgumentException(field + ": expected a list of block ids");
    }
    List<String> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof String s) || !BlockIds.isValid(s)) {
        throw new IllegalArgumentException(field + ": " + o + " is not a block id");
      }
      out.add(s);
    }
    return out;
  }
}
