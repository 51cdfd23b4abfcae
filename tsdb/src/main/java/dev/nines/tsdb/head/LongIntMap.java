package dev.nines.tsdb.head;

import java.util.Arrays;

/**
 * A map from long to non-negative int with open addressing and no boxing, cleared in time
 * proportional to its use; an appender keeps one per batch.
 */
final class LongIntMap {
  private long[] keys = new long[64];
  private int[] values = new int[64];
  private boolean[] used = new boolean[64];
  private int[] usedSlots = new int[32];
  private int size;

  /** The value for {@code key}, or -1. */
  int get(long key) {
    int mask = keys.length - 1;
    for (int i = SeriesMap.refHash(key) & mask; used[i]; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return values[i];
      }
    }
    return -1;
  }

  /** Sets the value for {@code key}. */
  void put(long key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = SeriesMap.refHash(key) & mask;
    while (used[i]) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    keys[i] = key;
    values[i] = value;
    if (size == usedSlots.length) {
      usedSlots = Arrays.copyOf(usedSlots, size * 2);
    }
    usedSlots[size++] = i;
  }

  int size() {
    return size;
  }

  /** Removes every entry. */
  void clear() {
    for (int k = 0; k < size; k++) {
      used[usedSlots[k]] = false;
    }
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    int[] oldSlots = usedSlots;
    int oldSize = size;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    used = new boolean[oldKeys.length * 2];
    usedSlots = new int[Math.max(32, oldSize * 2)];
    size = 0;
    for (int k = 0; k < oldSize; k++) {
      int slot = oldSlots[k];
      put(oldKeys[slot], oldValues[slot]);
    }
  }
}
