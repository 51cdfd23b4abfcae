package dev.nines.ingest.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A direct-mapped cache from UTF-8 byte ranges to the strings they decode to, so that the names and
 * values an exposition repeats on every scrape (metric names, {@code job}, {@code cpu="0"}, {@code
 * le="0.5"}) become one {@code String} each instead of one per line.
 *
 * <p>Each slot holds one entry; a miss overwrites it. There is no eviction policy beyond that, no
 * locking (one cache per parser, one parser per thread) and a fixed footprint: at most {@link
 * #SLOTS} entries of at most {@link #MAX_BYTES} bytes, about 150 KiB when full. Longer ranges
 * bypass the cache.
 */
final class StringCache {
  static final int SLOTS = 1024;
  static final int MAX_BYTES = 64;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];

  /** The string that {@code buf[start, end)} decodes to, from the cache when possible. */
  String get(byte[] buf, int start, int end) {
    int len = end - start;
    if (len == 0) {
      return "";
    }
    if (len > MAX_BYTES) {
      return new String(buf, start, len, StandardCharsets.UTF_8);
    }
    int h = 0x811C9DC5;
    for (int i = start; i < end; i++) {
      h = (h ^ buf[i]) * 0x01000193;
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] key = keys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, buf, start, end)) {
      return values[slot];
    }
    String s = new String(buf, start, len, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(buf, start, end);
    values[slot] = s;
    return s;
  }
}
