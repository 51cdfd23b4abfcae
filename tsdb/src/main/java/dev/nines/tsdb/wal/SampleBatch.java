package dev.nines.tsdb.wal;

import java.util.Arrays;

/**
 * A reusable batch of samples, each a series ref, a millisecond timestamp and the raw bits of a
 * float64 value. Replay fills one instance again for every SAMPLES record.
 */
public final class SampleBatch {
  private long[] refs;
  private long[] timestamps;
  private long[] valueBits;
  private int size;

  /** Creates an empty batch with room for {@code capacity} samples before it grows. */
  public SampleBatch(int capacity) {
    int c = Math.max(capacity, 1);
    refs = new long[c];
    timestamps = new long[c];
    valueBits = new long[c];
  }

  /** Creates an empty batch. */
  public SampleBatch() {
    this(256);
  }

  /** Removes all samples, keeping the arrays. */
  public void clear() {
    size = 0;
  }

  /** Adds one sample, growing the arrays by doubling when full. */
  public void add(long ref, long timestamp, long bits) {
    if (size == refs.length) {
      int c = refs.length * 2;
      refs = Arrays.copyOf(refs, c);
      timestamps = Arrays.copyOf(timestamps, c);
      valueBits = Arrays.copyOf(valueBits, c);
    }
    refs[size] = ref;
    timestamps[size] = timestamp;
    valueBits[size] = bits;
    size++;
  }

  /** Adds one sample with a float value. */
  public void add(long ref, long timestamp, double value) {
    add(ref, timestamp, Double.doubleToRawLongBits(value));
  }

  /** The number of samples in the batch. */
  public int size() {
    return size;
  }

  /** The series ref of sample {@code i}. */
  public long ref(int i) {
    check(i);
    return refs[i];
  }

  /** The timestamp in milliseconds of sample {@code i}. */
  public long timestamp(int i) {
    check(i);
    return timestamps[i];
  }

  /** The raw IEEE-754 bits of the value of sample {@code i}. */
  public long valueBits(int i) {
    check(i);
    return valueBits[i];
  }

  /** The value of sample {@code i}. */
  public double value(int i) {
    return Double.longBitsToDouble(valueBits(i));
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size);
    }
  }
}
