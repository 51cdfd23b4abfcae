package dev.nines.tsdb.head;

import java.util.Arrays;
import java.util.List;

/**
 * A sorted, duplicate-free list of series refs: the first {@code size} elements of {@code refs},
 * which never change (the array may be shared with an append-only postings list). Set operations
 * return new lists.
 */
final class Postings {
  static final Postings EMPTY = new Postings(new long[0], 0);

  private final long[] refs;
  private final int size;

  Postings(long[] refs, int size) {
    this.refs = refs;
    this.size = size;
  }

  /** The backing array; only the first {@link #size()} elements belong to this list. */
  long[] refs() {
    return refs;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The refs in both lists; gallops through the longer one when the sizes differ a lot. */
  static Postings intersect(Postings a, Postings b) {
    if (a.size > b.size) {
      Postings t = a;
      a = b;
      b = t;
    }
    if (a.size == 0) {
      return EMPTY;
    }
    long[] out = new long[a.size];
    int n = 0;
    if ((long) a.size * 16 < b.size) {
      int from = 0;
      for (int i = 0; i < a.size && from < b.size; i++) {
        int j = Arrays.binarySearch(b.refs, from, b.size, a.refs[i]);
        if (j >= 0) {
          out[n++] = a.refs[i];
          from = j + 1;
        } else {
          from = -(j + 1);
        }
      }
    } else {
      int i = 0;
      int j = 0;
      while (i < a.size && j < b.size) {
        long x = a.refs[i];
        long y = b.refs[j];
        if (x < y) {
          i++;
        } else if (x > y) {
          j++;
        } else {
          out[n++] = x;
          i++;
          j++;
        }
      }
    }
    return new Postings(out, n);
  }

  /** The refs in {@code a} and not in {@code b}. */
  static Postings subtract(Postings a, Postings b) {
    if (a.size == 0 || b.size == 0) {
      return a;
    }
    long[] out = new long[a.size];
    int n = 0;
    int j = 0;
    for (int i = 0; i < a.size; i++) {
      long x = a.refs[i];
      while (j < b.size && b.refs[j] < x) {
        j++;
      }
      if (j < b.size && b.refs[j] == x) {
        continue;
      }
      out[n++] = x;
    }
    return new Postings(out, n);
  }

  /** The refs in any of the lists: concatenated, sorted, deduplicated. */
  static Postings union(List<Postings> lists) {
    if (lists.isEmpty()) {
      return EMPTY;
    }
    if (lists.size() == 1) {
      return lists.get(0);
    }
    long total = 0;
    for (Postings p : lists) {
      total += p.size;
    }
    long[] all = new long[Math.toIntExact(total)];
    int n = 0;
    for (Postings p : lists) {
      System.arraycopy(p.refs, 0, all, n, p.size);
      n += p.size;
    }
    Arrays.sort(all, 0, n);
    int w = 0;
    for (int i = 0; i < n; i++) {
      if (w == 0 || all[w - 1] != all[i]) {
        all[w++] = all[i];
      }
    }
    return new Postings(all, w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Postings p
        && p.size == size
        && Arrays.equals(refs, 0, size, p.refs, 0, p.size);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < size; i++) {
      h = 31 * h + Long.hashCode(refs[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    return Arrays.toString(Arrays.copyOf(refs, size));
  }
}
