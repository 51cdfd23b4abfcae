package dev.nines.tsdb.block;

import java.util.Arrays;

/** A growable array of ints, for postings while writing and reading. */
final class IntList {
  private int[] a;
  private int size;

  IntList() {
    this(8);
  }

  IntList(int capacity) {
    a = new int[Math.max(capacity, 1)];
  }

  void add(int v) {
    if (size == a.length) {
      a = Arrays.copyOf(a, a.length * 2);
    }
    a[size++] = v;
  }

  int get(int i) {
    return a[i];
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(a, size);
  }
}
