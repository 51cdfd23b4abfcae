package dev.nines.tsdb.wal;

import java.util.Arrays;

/** A set of longs with open addressing and no boxing; for checkpointing many series. */
final class LongHashSet {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] slots = new long[64];
  private int size;
  private boolean hasEmptyKey;

  LongHashSet() {
    Arrays.fill(slots, EMPTY);
  }

  /** Adds {@code v}; returns whether it was absent. */
  boolean add(long v) {
    if (v == EMPTY) {
      boolean added = !hasEmptyKey;
      hasEmptyKey = true;
      return added;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    return insert(slots, v);
  }

  boolean contains(long v) {
    if (v == EMPTY) {
      return hasEmptyKey;
    }
    int mask = slots.length - 1;
    for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == v) {
        return true;
      }
      if (s == EMPTY) {
        return false;
      }
    }
  }

  private boolean insert(long[] table, long v) {
    int mask = table.length - 1;
    for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
      long s = table[i];
      if (s == v) {
        return false;
      }
      if (s == EMPTY) {
        table[i] = v;
        size++;
        return true;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    Arrays.fill(slots, EMPTY);
    size = 0;
    for (long v : old) {
      if (v != EMPTY) {
        insert(slots, v);
      }
    }
  }

  private static int mix(long v) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
