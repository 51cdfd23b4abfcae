package dev.nines.tsdb.head;

import dev.nines.common.Labels;
import java.util.Collection;

/*
 * Design notes. Two open-addressing (linear probing) tables of MemSeries references, one keyed by
 * label set and one by ref; the key is read from the series itself, so there is no key array and
 * no boxing. Each table is split into 64 stripes so that growth copies a 64th at a time.
 *
 * Reads take no lock. A stripe's table is a volatile field; slots are filled with plain stores of
 * series whose identifying fields are final, so a racing reader sees null or a complete series
 * (JLS 17.5). A reader may miss a series inserted concurrently; callers treat a miss as "maybe" and
 * re-check under the creation lock, which every writer holds. Load factor at most 1/2 keeps probe
 * sequences short: 8 to 16 bytes per series per table with compressed references.
 *
 * Removal (head truncation) rebuilds each affected stripe's table without the removed series and
 * publishes it through the volatile field, under the creation lock: a lock-free reader sees the
 * old or the new table, each complete, so a live series is never missed because of a removal.
 */

/** The head's series, by label set and by ref; lock-free reads, writes under the creation lock. */
final class SeriesMap {
  private static final int STRIPE_BITS = 6;
  private static final int STRIPES = 1 << STRIPE_BITS;

  private final Stripe[] byLabels = new Stripe[STRIPES];
  private final Stripe[] byRef = new Stripe[STRIPES];

  SeriesMap() {
    for (int i = 0; i < STRIPES; i++) {
      byLabels[i] = new Stripe(true);
      byRef[i] = new Stripe(false);
    }
  }

  private static final class Stripe {
    final boolean keyedByLabels;
    volatile MemSeries[] table = new MemSeries[16];
    int size;

    Stripe(boolean keyedByLabels) {
      this.keyedByLabels = keyedByLabels;
    }

    int hash(MemSeries s) {
      return keyedByLabels ? labelsHash(s.labels) : refHash(s.ref);
    }
  }

  static int refHash(long ref) {
    long h = ref * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  static int labelsHash(Labels labels) {
    int h = labels.hashCode() * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** The series with this ref, or null (possibly a stale miss; see the design notes). */
  MemSeries get(long ref) {
    int h = refHash(ref);
    MemSeries[] t = byRef[h & (STRIPES - 1)].table;
    int mask = t.length - 1;
    for (int i = (h >>> STRIPE_BITS) & mask; ; i = (i + 1) & mask) {
      MemSeries s = t[i];
      if (s == null) {
        return null;
      }
      if (s.ref == ref) {
        return s;
      }
    }
  }

  /** The series with these labels, or null (possibly a stale miss; see the design notes). */
  MemSeries get(Labels labels) {
    int h = labelsHash(labels);
    MemSeries[] t = byLabels[h & (STRIPES - 1)].table;
    int mask = t.length - 1;
    int hc = labels.hashCode();
    for (int i = (h >>> STRIPE_BITS) & mask; ; i = (i + 1) & mask) {
      MemSeries s = t[i];
      if (s == null) {
        return null;
      }
      if (s.labels.hashCode() == hc && s.labels.equals(labels)) {
        return s;
      }
    }
  }

  /** Adds a series that is in neither table. Creation lock held. */
  void put(MemSeries s) {
    int lh = labelsHash(s.labels);
    insert(byLabels[lh & (STRIPES - 1)], s, lh);
    int rh = refHash(s.ref);
    insert(byRef[rh & (STRIPES - 1)], s, rh);
  }

  private static void insert(Stripe stripe, MemSeries s, int hash) {
    MemSeries[] t = stripe.table;
    if ((stripe.size + 1) * 2 > t.length) {
      MemSeries[] bigger = new MemSeries[t.length * 2];
      for (MemSeries old : t) {
        if (old != null) {
          place(bigger, old, stripe.hash(old));
        }
      }
      // Fill the new table completely before publishing it through the volatile field.
      place(bigger, s, hash);
      stripe.table = bigger;
    } else {
      place(t, s, hash);
    }
    stripe.size++;
  }

  private static void place(MemSeries[] t, MemSeries s, int hash) {
    int mask = t.length - 1;
    int i = (hash >>> STRIPE_BITS) & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = s;
  }

  /** Removes every series in {@code removed} (each marked removed). Creation lock held. */
  void removeAll(Collection<MemSeries> removed) {
    if (removed.isEmpty()) {
      return;
    }
    boolean[] touchedLabels = new boolean[STRIPES];
    boolean[] touchedRefs = new boolean[STRIPES];
    for (MemSeries s : removed) {
      touchedLabels[labelsHash(s.labels) & (STRIPES - 1)] = true;
      touchedRefs[refHash(s.ref) & (STRIPES - 1)] = true;
    }
    for (int i = 0; i < STRIPES; i++) {
      if (touchedLabels[i]) {
        rebuild(byLabels[i]);
      }
      if (touchedRefs[i]) {
        rebuild(byRef[i]);
      }
    }
  }

  private static void rebuild(Stripe stripe) {
    MemSeries[] old = stripe.table;
    int live = 0;
    for (MemSeries s : old) {
      if (s != null && !isRemoved(s)) {
        live++;
      }
    }
    int capacity = 16;
    while (capacity < live * 2) {
      capacity *= 2;
    }
    MemSeries[] fresh = new MemSeries[capacity];
    for (MemSeries s : old) {
      if (s != null && !isRemoved(s)) {
        place(fresh, s, stripe.hash(s));
      }
    }
    stripe.size = live;
    stripe.table = fresh;
  }

  private static boolean isRemoved(MemSeries s) {
    synchronized (s) {
      return s.removed;
    }
  }

  /** Calls {@code action} with every series (the ref tables, one stripe at a time). */
  void forEach(java.util.function.Consumer<MemSeries> action) {
    for (Stripe stripe : byRef) {
      for (MemSeries s : stripe.table) {
        if (s != null) {
          action.accept(s);
        }
      }
    }
  }
}
