package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One target's memory of its series between scrapes: the raw bytes of a sample's name and labels,
 * exactly as the target wrote them, mapped to the series they became after target labels,
 * relabelling and the label limits, with its storage reference and staleness marks.
 *
 * <p>Design notes. A target writes the same series text at every scrape, so after the first scrape
 * the loop finds each sample's series by hashing and comparing {@code body[start, end)} in place,
 * and builds no {@link Labels}, runs no relabelling and allocates nothing for it. Two maps:
 *
 * <ul>
 *   <li>raw text to entry, an open hash table of chained {@link Entry} nodes keyed by a copy of the
 *       bytes; the entry of a sample that {@code metric_relabel_configs} dropped has no series, so
 *       a dropped sample costs a lookup too;
 *   <li>labels to {@link Series}, because several texts can become one series (blanks or a trailing
 *       comma in the text format, relabelling that removes a label): staleness is tracked per
 *       series, not per text.
 * </ul>
 *
 * <p>Scrapes are numbered ({@link #begin}). A series carries the number of the last scrape that
 * used it, the last scrape that appended it without an explicit timestamp, and the last committed
 * scrape that did: the loop's "previous scrape" set is the series whose committed mark equals the
 * number of the last committed scrape, so no per-scrape set is built. After a successful scrape,
 * entries and series that it did not use are evicted (churned series, other spellings); after a
 * failed one they are kept unless the cache has grown past twice its size after the last successful
 * scrape plus 1,000, which bounds a target whose failing scrapes keep inventing series.
 * Prometheus's scrape cache follows the same idea; this is written for Nines's loop.
 *
 * <p>Not thread-safe: the owning loop's lock guards it.
 */
final class SeriesCache {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** One series as the loop writes it. */
  static final class Series {
    final Labels labels;
    long ref;
    long usedIter = -1;
    long seenIter = -1;
    long committedIter = -1;

    Series(Labels labels) {
      this.labels = labels;
    }
  }

  /** One spelling of a series in a target's exposition. */
  static final class Entry {
    final byte[] key;
    final int hash;
    final @Nullable Series series;
    long usedIter;
    @Nullable Entry next;

    Entry(byte[] key, int hash, @Nullable Series series) {
      this.key = key;
      this.hash = hash;
      this.series = series;
    }

    /** The series, or null when relabelling dropped samples written this way. */
    @Nullable Series series() {
      return series;
    }
  }

  private Entry[] table = new Entry[256];
  private int entries;
  private final Map<Labels, Series> series = new HashMap<>();
  private long iter;
  private int sizeAfterSuccess;
  private @Nullable Object format;

  /**
   * Starts the next scrape and returns its number. A scrape in another exposition format than the
   * last one starts from an empty cache, since the same text may mean another series there; null
   * (nothing was parsed: the fetch failed, or the loop stops) keeps the cache as it is.
   */
  long begin(@Nullable Object exposition) {
    if (exposition != null) {
      if (format != null && !format.equals(exposition)) {
        Arrays.fill(table, null);
        entries = 0;
        series.values().removeIf(s -> s.committedIter < 0);
      }
      format = exposition;
    }
    return ++iter;
  }

  /** The number of the current scrape. */
  long iteration() {
    return iter;
  }

  /** The entry written as {@code buf[start, end)}, marked used by this scrape, or null. */
  @Nullable Entry get(byte[] buf, int start, int end) {
    int h = hash(buf, start, end);
    for (Entry e = table[h & (table.length - 1)]; e != null; e = e.next) {
      if (e.hash == h && Arrays.equals(e.key, 0, e.key.length, buf, start, end)) {
        e.usedIter = iter;
        if (e.series != null) {
          e.series.usedIter = iter;
        }
        return e;
      }
    }
    return null;
  }

  /**
   * Remembers that {@code buf[start, end)} becomes {@code labels} (null: dropped), and returns the
   * series, shared with other spellings of the same labels.
   */
  @Nullable Series put(byte[] buf, int start, int end, @Nullable Labels labels) {
    Series s = null;
    if (labels != null) {
      s = series.computeIfAbsent(labels, Series::new);
      s.usedIter = iter;
    }
    int h = hash(buf, start, end);
    Entry e = new Entry(Arrays.copyOfRange(buf, start, end), h, s);
    e.usedIter = iter;
    int i = h & (table.length - 1);
    e.next = table[i];
    table[i] = e;
    if (++entries > table.length - (table.length >> 2)) {
      resize();
    }
    return s;
  }

  /**
   * A series known by its labels alone (carried over from another loop), to be found again when a
   * scrape writes it.
   */
  Series adopt(Labels labels) {
    Series s = series.computeIfAbsent(labels, Series::new);
    s.usedIter = iter;
    return s;
  }

  /** Every series the cache holds. */
  Collection<Series> series() {
    return series.values();
  }

  /** Raw spellings held, for tests. */
  int entries() {
    return entries;
  }

  /**
   * Ends the current scrape: after a success, forgets what it did not use; after a failure, only
   * when the cache has grown too much.
   */
  void end(boolean success) {
    int size = entries + series.size();
    if (!success && size <= 2 * sizeAfterSuccess + 1000) {
      return;
    }
    long now = iter;
    series.values().removeIf(s -> s.usedIter != now);
    for (int i = 0; i < table.length; i++) {
      Entry kept = null;
      for (Entry e = table[i]; e != null; ) {
        Entry next = e.next;
        if (e.usedIter == now) {
          e.next = kept;
          kept = e;
        } else {
          entries--;
        }
        e = next;
      }
      table[i] = kept;
    }
    if (success) {
      sizeAfterSuccess = entries + series.size();
    }
  }

  private void resize() {
    Entry[] old = table;
    table = new Entry[old.length * 2];
    for (Entry head : old) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next;
        int i = e.hash & (table.length - 1);
        e.next = table[i];
        table[i] = e;
        e = next;
      }
    }
  }

  /** A 32-bit hash of {@code buf[start, end)}, eight bytes per step. */
  static int hash(byte[] buf, int start, int end) {
    long h = 0x9E3779B97F4A7C15L ^ (end - start);
    int i = start;
    for (; i + 8 <= end; i += 8) {
      h = Long.rotateLeft(h ^ (long) LONGS.get(buf, i), 31) * 0xBF58476D1CE4E5B9L;
    }
    for (; i < end; i++) {
      h = (h ^ buf[i]) * 0x100000001B3L;
    }
    h ^= h >>> 29;
    h *= 0x94D049BB133111EBL;
    return (int) (h ^ (h >>> 32));
  }
}
