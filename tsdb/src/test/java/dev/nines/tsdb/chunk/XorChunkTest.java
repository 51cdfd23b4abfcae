package dev.nines.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class XorChunkTest {
  static final long STALE_NAN = 0x7ff0000000000002L;

  static final long[] SPECIAL_BITS = {
    STALE_NAN,
    Double.doubleToRawLongBits(Double.NaN),
    0x7ff8000000000001L, // quiet NaN with a payload
    0xfff0000000000001L, // negative signalling NaN
    0xffffffffffffffffL, // all ones: a NaN
    Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
    Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
    Double.doubleToRawLongBits(-0.0),
    Double.doubleToRawLongBits(0.0),
    Double.doubleToRawLongBits(Double.MIN_VALUE),
    Double.doubleToRawLongBits(-Double.MAX_VALUE),
    Double.doubleToRawLongBits(Double.MAX_VALUE),
    Double.doubleToRawLongBits(1.0),
    Double.doubleToRawLongBits(1e300),
    Double.doubleToRawLongBits(-1e-300),
  };

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  /** A random sample sequence; which shape it has depends on the seed. */
  static Samples randomSamples(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1 + r.nextInt(r.nextInt(4) == 0 ? 600 : 150);
    long[] ts = randomTimestamps(r, n);
    long[] vs = new long[n];
    int valueShape = r.nextInt(6);
    double counter = r.nextDouble() * 1e6;
    for (int i = 0; i < n; i++) {
      vs[i] =
          switch (valueShape) {
            case 0 -> SPECIAL_BITS[r.nextInt(SPECIAL_BITS.length)];
            case 1 -> r.nextLong(); // any bit pattern
            case 2 -> {
              counter += r.nextInt(100);
              yield Double.doubleToRawLongBits(counter);
            }
            case 3 -> Double.doubleToRawLongBits(r.nextInt(3) == 0 ? 42.0 : 42.5); // equal runs
            case 4 -> // huge jumps mixed with special values
                r.nextInt(5) == 0
                    ? SPECIAL_BITS[r.nextInt(SPECIAL_BITS.length)]
                    : Double.doubleToRawLongBits(
                        (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextInt(-300, 300)));
            default -> Double.doubleToRawLongBits(r.nextDouble() * 100); // noisy gauge
          };
    }
    return new Samples(ts, vs);
  }

  /**
   * Random timestamps of every shape the chunk formats allow: regular, jittered, going backwards,
   * repeating, huge jumps, anywhere in int64 and its extremes (shared by the encodings' tests).
   */
  static long[] randomTimestamps(SplittableRandom r, int n) {
    long[] ts = new long[n];
    int timeShape = r.nextInt(7);
    long t =
        switch (r.nextInt(5)) {
          case 0 -> Long.MIN_VALUE + r.nextInt(1000);
          case 1 -> Long.MAX_VALUE - r.nextInt(1000) - 16L * n;
          case 2 -> -r.nextLong(1L << 50);
          default -> 1_700_000_000_000L + r.nextLong(1L << 30);
        };
    long interval = r.nextBoolean() ? 15_000 : 1 + r.nextLong(3_600_000);
    for (int i = 0; i < n; i++) {
      ts[i] = t;
      t =
          switch (timeShape) {
            case 0 -> t + interval;
            case 1 -> t + interval + r.nextInt(41) - 20; // jitter
            case 2 -> t - r.nextLong(100_000); // backwards
            case 3 -> r.nextLong(); // anywhere in the int64 range
            case 4 -> r.nextBoolean() ? t : t + interval; // repeats
            case 5 -> t + (r.nextInt(10) == 0 ? r.nextLong(1L << 40) - (1L << 39) : interval);
            default -> r.nextInt(20) == 0 ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : t;
          };
    }
    return ts;
  }

  record Samples(long[] timestamps, long[] valueBits) {}

  static XorChunk encode(Samples s) {
    XorChunk chunk = new XorChunk(16);
    for (int i = 0; i < s.timestamps().length; i++) {
      chunk.append(s.timestamps()[i], Double.longBitsToDouble(s.valueBits()[i]));
    }
    return chunk;
  }

  static void assertDecodes(byte[] bytes, int offset, int length, Samples s, XorIterator it) {
    it.reset(bytes, offset, length);
    assertThat(it.numSamples()).isEqualTo(s.timestamps().length);
    for (int i = 0; i < s.timestamps().length; i++) {
      assertThat(it.next()).as("sample %d", i).isTrue();
      assertThat(it.timestamp()).as("timestamp %d", i).isEqualTo(s.timestamps()[i]);
      assertThat(it.valueBits()).as("value bits %d", i).isEqualTo(s.valueBits()[i]);
    }
    assertThat(it.next()).isFalse();
    assertDecodesInBulk(bytes, offset, length, s.timestamps(), s.valueBits(), it);
  }

  /**
   * {@link XorIterator#decodeRemaining} yields what next() yields, from the start and after any
   * number of next() calls, and leaves the iterator exhausted on the last sample.
   */
  static void assertDecodesInBulk(
      byte[] bytes, int offset, int length, long[] ts, long[] vs, XorIterator it) {
    int n = ts.length;
    for (int skip : new int[] {0, 1, 2, 3, n / 2, n}) {
      if (skip > n) {
        continue;
      }
      it.reset(bytes, offset, length);
      for (int i = 0; i < skip; i++) {
        assertThat(it.next()).isTrue();
      }
      long[] gotT = new long[n];
      long[] gotV = new long[n];
      assertThat(it.decodeRemaining(gotT, gotV)).as("after %d", skip).isEqualTo(n - skip);
      assertThat(java.util.Arrays.copyOf(gotT, n - skip))
          .isEqualTo(java.util.Arrays.copyOfRange(ts, skip, n));
      assertThat(java.util.Arrays.copyOf(gotV, n - skip))
          .isEqualTo(java.util.Arrays.copyOfRange(vs, skip, n));
      assertThat(it.next()).isFalse();
      if (n > 0) {
        assertThat(it.timestamp()).isEqualTo(ts[n - 1]);
        assertThat(it.valueBits()).isEqualTo(vs[n - 1]);
      }
    }
  }

  /** Bulk decoding of a damaged chunk fails exactly when decoding sample by sample fails. */
  static void assertBulkFailsLikeNext(byte[] bytes, int length) {
    XorIterator one = new XorIterator();
    XorIterator bulk = new XorIterator();
    boolean resetFailed = false;
    try {
      one.reset(bytes, 0, length);
      bulk.reset(bytes, 0, length);
    } catch (ChunkCorruptionException e) {
      resetFailed = true;
    }
    if (resetFailed) {
      return;
    }
    int read = 0;
    ChunkCorruptionException oneError = null;
    try {
      while (one.next()) {
        read++;
      }
    } catch (ChunkCorruptionException e) {
      oneError = e;
    }
    long[] t = new long[bulk.numSamples()];
    long[] v = new long[bulk.numSamples()];
    if (oneError == null) {
      assertThat(bulk.decodeRemaining(t, v)).isEqualTo(read);
    } else {
      ChunkCorruptionException expected = oneError;
      assertThatThrownBy(() -> bulk.decodeRemaining(t, v))
          .isInstanceOf(ChunkCorruptionException.class)
          .hasMessage(expected.getMessage());
    }
  }

  @Test
  void bulkDecodingOfTruncatedAndDamagedChunksFailsLikeSampleBySample() {
    SplittableRandom r = new SplittableRandom(17);
    for (int seed = 0; seed < 100; seed++) {
      byte[] bytes = encode(randomSamples(seed)).toByteArray();
      for (int cut = 3; cut <= bytes.length; cut++) {
        assertBulkFailsLikeNext(bytes, cut);
      }
      for (int k = 0; k < 20; k++) {
        byte[] damaged = bytes.clone();
        int at = 3 + r.nextInt(Math.max(1, damaged.length - 3));
        if (at < damaged.length) {
          damaged[at] ^= (byte) (1 << r.nextInt(8));
        }
        assertBulkFailsLikeNext(damaged, damaged.length);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void roundTripsRandomSequences(long seed) {
    Samples s = randomSamples(seed);
    XorChunk chunk = encode(s);
    XorIterator it = new XorIterator();
    // From the growing array, from an exact copy, and from inside a larger array.
    assertDecodes(chunk.bytes(), 0, chunk.length(), s, it);
    byte[] exact = chunk.toByteArray();
    assertDecodes(exact, 0, exact.length, s, it);
    byte[] embedded = new byte[exact.length + 20];
    java.util.Arrays.fill(embedded, (byte) 0xA5);
    System.arraycopy(exact, 0, embedded, 7, exact.length);
    assertDecodes(embedded, 7, exact.length, s, it);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void resetChunkIsReusable(long seed) {
    XorChunk chunk = encode(randomSamples(seed));
    chunk.reset();
    Samples s = randomSamples(seed + 10_000);
    for (int i = 0; i < s.timestamps().length; i++) {
      chunk.append(s.timestamps()[i], Double.longBitsToDouble(s.valueBits()[i]));
    }
    assertDecodes(chunk.toByteArray(), 0, chunk.length(), s, new XorIterator());
  }

  @Test
  void everySpecialValueAfterEverySpecialValue() {
    long[] ts = new long[SPECIAL_BITS.length * SPECIAL_BITS.length * 2];
    long[] vs = new long[ts.length];
    int k = 0;
    for (long a : SPECIAL_BITS) {
      for (long b : SPECIAL_BITS) {
        ts[k] = k * 1000L;
        vs[k++] = a;
        ts[k] = k * 1000L;
        vs[k++] = b;
      }
    }
    Samples s = new Samples(ts, vs);
    byte[] bytes = encode(s).toByteArray();
    assertDecodes(bytes, 0, bytes.length, s, new XorIterator());
  }

  @Test
  void staleMarkerKeepsItsExactBits() {
    XorChunk chunk = new XorChunk();
    chunk.append(1000, 1.0);
    chunk.append(2000, Double.longBitsToDouble(STALE_NAN));
    chunk.append(3000, Double.longBitsToDouble(STALE_NAN));
    chunk.append(4000, 2.0);
    XorIterator it = chunk.iterator(new XorIterator());
    it.next();
    it.next();
    assertThat(it.valueBits()).isEqualTo(STALE_NAN);
    it.next();
    assertThat(it.valueBits()).isEqualTo(STALE_NAN);
    it.next();
    assertThat(it.value()).isEqualTo(2.0);
  }

  @Test
  void extremeTimestampsRoundTrip() {
    long[] ts = {Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 1};
    long[] vs = new long[ts.length];
    Samples s = new Samples(ts, vs);
    byte[] bytes = encode(s).toByteArray();
    assertDecodes(bytes, 0, bytes.length, s, new XorIterator());
  }

  @Test
  void workedExampleFromTheFormatDoc() {
    XorChunk chunk = new XorChunk();
    chunk.append(1000, 1.0);
    chunk.append(16000, 1.0);
    assertThat(HexFormat.ofDelimiter(" ").formatHex(chunk.toByteArray()))
        .isEqualTo("01 00 02 d0 0f 3f f0 00 00 00 00 00 00 b0 ea 01 00");
    chunk.append(31000, 1.0);
    assertThat(chunk.length()).isEqualTo(17);
    assertThat(chunk.numSamples()).isEqualTo(3);
  }

  @Test
  void emptyChunkIsJustTheHeader() {
    XorChunk chunk = new XorChunk();
    assertThat(chunk.toByteArray()).containsExactly(0x01, 0, 0);
    assertThat(new XorIterator().reset(chunk.toByteArray(), 0, 3).next()).isFalse();
  }

  /**
   * A 15 s counter that grows slowly (0 to 9 per scrape, well under one event per second), the most
   * common kind of series. Timestamps cost 1 bit; an XOR of two nearby integers of this size keeps
   * its window, costing 2 bits plus about 8 to 10 significant bits, and the header and first sample
   * (about 19 bytes) are spread over 120 samples. That is about 1.5 bytes per sample, so the bound
   * of 2 leaves room for the seed without letting a regression of a few bits pass.
   */
  @Test
  void regularCounterIsSmall() {
    assertThat(counterBytesPerSample(10)).isLessThan(2.0);
  }

  /**
   * A busier counter (0 to 99 per scrape) has more random low bits, about 2 bytes per sample with
   * XOR encoding; it must stay under 2.5.
   */
  @Test
  void busyCounterStaysBounded() {
    assertThat(counterBytesPerSample(100)).isLessThan(2.5);
  }

  private static double counterBytesPerSample(int maxIncrement) {
    XorChunk chunk = counter(new XorChunk(), maxIncrement);
    return (double) chunk.length() / chunk.numSamples();
  }

  /**
   * Appends to {@code chunk} 120 samples of a counter growing by 0..maxIncrement-1 per 15 s scrape
   * (the same samples every time; shared by the encodings' size checks).
   */
  static XorChunk counter(XorChunk chunk, int maxIncrement) {
    SplittableRandom r = new SplittableRandom(7);
    double value = 123_456;
    long t = 1_700_000_000_000L;
    for (int i = 0; i < 120; i++) {
      chunk.append(t, value);
      t += 15_000;
      value += r.nextInt(maxIncrement);
    }
    return chunk;
  }

  /** A constant gauge costs 2 bits per sample after the first two. */
  @Test
  void constantGaugeIsTiny() {
    XorChunk chunk = new XorChunk();
    for (int i = 0; i < 120; i++) {
      chunk.append(1_700_000_000_000L + i * 15_000L, 1.0);
    }
    assertThat(chunk.length()).isLessThanOrEqualTo(3 + 6 + 8 + 3 + (118 * 2 + 1 + 7) / 8);
  }

  @Test
  void fullChunkRejectsAppend() {
    XorChunk chunk = new XorChunk();
    for (int i = 0; i < XorChunk.MAX_SAMPLES; i++) {
      chunk.append(i, 0);
    }
    assertThat(chunk.isFull()).isTrue();
    assertThatThrownBy(() -> chunk.append(1, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("65535");
  }

  @Test
  void truncatedChunkIsReportedNotInvented() {
    Samples s = randomSamples(3);
    byte[] bytes = encode(s).toByteArray();
    XorIterator it = new XorIterator();
    for (int cut = 3; cut < bytes.length - 1; cut++) {
      it.reset(bytes, 0, cut);
      int n = 0;
      try {
        while (it.next()) {
          assertThat(it.timestamp()).isEqualTo(s.timestamps()[n]);
          n++;
        }
        assertThat(n).as("cut at %d decoded every sample", cut).isLessThan(s.timestamps().length);
      } catch (ChunkCorruptionException expected) {
        assertThat(expected.byteOffset()).isBetween(0, cut + 8);
      }
    }
  }

  @Test
  void unknownTagIsCorruption() {
    assertThatThrownBy(() -> new XorIterator().reset(new byte[] {0x7f, 0, 0}, 0, 3))
        .isInstanceOf(ChunkCorruptionException.class)
        .hasMessageContaining("0x7f");
  }

  @Test
  void appendAndIterateAllocateNothingPerSample() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    XorChunk chunk = new XorChunk(64 * 1024);
    XorIterator it = new XorIterator();
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      chunk.reset();
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 10_000; i++) {
        chunk.append(1_700_000_000_000L + i * 15_000L + (i % 7), i * 1.5);
      }
      chunk.iterator(it);
      while (it.next()) {
        sink += it.timestamp() + it.valueBits();
      }
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      // 20,000 operations; one object each would be at least 320,000 bytes.
      assertThat(allocated).as("bytes allocated in round %d", round).isLessThan(4096);
    }
    assertThat(sink).isNotZero();
  }
}
