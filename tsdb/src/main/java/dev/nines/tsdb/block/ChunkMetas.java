package dev.nines.tsdb.block;

import java.util.Arrays;

/** The chunk metas of one series, as parallel arrays; reused while decoding. */
final class ChunkMetas {
  long[] minT = new long[8];
  long[] maxT = new long[8];
  long[] ref = new long[8];
  int size;

  void reset(int capacity) {
    if (minT.length < capacity) {
      minT = new long[capacity];
      maxT = new long[capacity];
      ref = new long[capacity];
    }
    size = 0;
  }

  void add(long min, long max, long chunkRef) {
    if (size == minT.length) {
      minT = Arrays.copyOf(minT, size * 2);
      maxT = Arrays.copyOf(maxT, size * 2);
      ref = Arrays.copyOf(ref, size * 2);
    }
    minT[size] = min;
    maxT[size] = max;
    ref[size] = chunkRef;
    size++;
  }
}
