package dev.nines.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.tsdb.chunk.XorChunkTest.Samples;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SCALED encoding (tag 0x03) and the adaptive head chunk that writes it: every sequence of
 * samples decodes to exactly the timestamps and value bits appended, whether the chunk stays
 * SCALED, changes scale, or turns into XOR on the way; a reader of the chunk while it is appended
 * to sees a prefix of the samples, across re-encodes too.
 */
class ScaledChunkTest {
  private static final long STALE = XorChunkTest.STALE_NAN;
  private static final long LIMIT = (1L << 53) - 1; // the largest |n| a SCALED chunk holds

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  private static long bitsOf(long n, int scale) {
    return Double.doubleToRawLongBits(n / ScaledIntegers.POW10[scale]);
  }

  private static long[] doubles(double... v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }

  private static long[] regular(int n) {
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
    }
    return ts;
  }

  /**
   * Random integers of one shape, every one with {@code |n| <= LIMIT}: counters, gauges, equal
   * runs, huge jumps between the extremes, widths that change within the chunk, and deltas with
   * trailing zeros (pages of 4096 bytes, and shifts that change).
   */
  private static long[] integers(SplittableRandom r, int n) {
    long[] ns = new long[n];
    long v = r.nextInt(4) == 0 ? r.nextLong(-LIMIT, LIMIT) : r.nextInt(1_000_000);
    int shape = r.nextInt(9);
    if (shape == 7) {
      v = 4096L * r.nextInt(1 << 20); // a byte count in pages
    }
    for (int i = 0; i < n; i++) {
      v =
          switch (shape) {
            case 7 -> v + 4096L * (r.nextInt(4) == 0 ? 0 : r.nextInt(2001) - 1000);
            case 8 -> v + ((long) r.nextInt(-1000, 1000) << r.nextInt(40)); // shifts that vary
            case 0 -> v + r.nextInt(10); // slow counter
            case 1 -> v + r.nextInt(100); // busy counter
            case 2 -> r.nextInt(3) == 0 ? v : v + r.nextInt(2001) - 1000; // gauge, some repeats
            case 3 -> v; // constant
            case 4 -> r.nextBoolean() ? LIMIT : -LIMIT; // the biggest deltas there are
            case 5 -> r.nextInt(8) == 0 ? v + (1L << r.nextInt(50)) : v + r.nextInt(4); // bursts
            default -> r.nextLong(-LIMIT, LIMIT); // any width
          };
      v = Math.max(-LIMIT, Math.min(LIMIT, v));
      ns[i] = v;
    }
    return ns;
  }

  /** The adaptive chunk of these samples, checking after each append that it decodes so far. */
  private static XorChunk appendChecked(Samples s, boolean checkEveryPrefix) {
    XorChunk chunk = XorChunk.adaptive(16);
    long[] ts = s.timestamps();
    long[] vs = s.valueBits();
    XorIterator it = new XorIterator();
    for (int i = 0; i < ts.length; i++) {
      chunk.append(ts[i], Double.longBitsToDouble(vs[i]));
      assertThat(chunk.numSamples()).isEqualTo(i + 1);
      assertThat(chunk.lastTimestamp()).isEqualTo(ts[i]);
      assertThat(chunk.lastValueBits()).isEqualTo(vs[i]);
      assertThat(chunk.firstTimestamp()).isEqualTo(ts[0]);
      assertThat(chunk.bytes()[0]).isEqualTo(chunk.encoding().tag());
      if (checkEveryPrefix) {
        assertDecodesPrefix(chunk.bytes(), chunk.length(), i + 1, ts, vs, it);
      }
    }
    return chunk;
  }

  /** The first {@code count} samples of a live chunk array, read with an explicit count. */
  private static void assertDecodesPrefix(
      byte[] bytes, int length, int count, long[] ts, long[] vs, XorIterator it) {
    it.reset(bytes, 0, length, count);
    for (int i = 0; i < count; i++) {
      assertThat(it.next()).as("sample %d of %d", i, count).isTrue();
      assertThat(it.timestamp()).as("timestamp %d of %d", i, count).isEqualTo(ts[i]);
      assertThat(it.valueBits()).as("value %d of %d", i, count).isEqualTo(vs[i]);
    }
    assertThat(it.next()).isFalse();
  }

  /** Decodes with next() and in bulk, from the growing array, an exact copy and an embedding. */
  private static void assertRoundTrips(XorChunk chunk, Samples s) {
    XorIterator it = new XorIterator();
    XorChunkTest.assertDecodes(chunk.bytes(), 0, chunk.length(), s, it);
    byte[] exact = chunk.toByteArray();
    XorChunkTest.assertDecodes(exact, 0, exact.length, s, it);
    byte[] embedded = new byte[exact.length + 20];
    Arrays.fill(embedded, (byte) 0x5A);
    System.arraycopy(exact, 0, embedded, 9, exact.length);
    XorChunkTest.assertDecodes(embedded, 9, exact.length, s, it);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void scaledIntegersAtEveryScaleRoundTripAndStayScaled(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 1 + r.nextInt(r.nextInt(4) == 0 ? 600 : 150);
    int scale = (int) (seed % (ScaledIntegers.MAX_SCALE + 1));
    long[] ns = integers(r, n);
    long[] vs = new long[n];
    boolean allQualify = true;
    for (int i = 0; i < n; i++) {
      vs[i] = bitsOf(ns[i], scale);
      allQualify &= ScaledIntegers.integerAt(vs[i], scale) == ns[i];
    }
    Samples s = new Samples(XorChunkTest.randomTimestamps(r, n), vs);
    XorChunk chunk = appendChecked(s, seed % 10 == 0);
    assertRoundTrips(chunk, s);
    if (allQualify) {
      // Division can fold n / 10^e onto a value with fewer decimals; never onto more.
      assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
      assertThat((int) chunk.bytes()[3]).isBetween(0, scale);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anySequenceRoundTripsThroughTheAdaptiveChunk(long seed) {
    Samples s = XorChunkTest.randomSamples(seed);
    XorChunk chunk = appendChecked(s, seed % 10 == 0);
    assertRoundTrips(chunk, s);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void scaledSeriesThatChangeScaleOrTurnXorMidChunk(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 2 + r.nextInt(200);
    long[] ns = integers(r, n);
    long[] vs = new long[n];
    int scale = r.nextInt(ScaledIntegers.MAX_SCALE + 1);
    int switchAt = 1 + r.nextInt(n - 1);
    for (int i = 0; i < n; i++) {
      vs[i] = bitsOf(ns[i] % 1_000_000_000L, i < switchAt ? 0 : scale);
      if (i == switchAt && r.nextInt(3) == 0) {
        vs[i] = XorChunkTest.SPECIAL_BITS[r.nextInt(XorChunkTest.SPECIAL_BITS.length)];
      }
    }
    Samples s = new Samples(XorChunkTest.randomTimestamps(r, n), vs);
    assertRoundTrips(appendChecked(s, true), s);
  }

  @Test
  void integersStartScaleZeroAndAFirstDecimalMovesTheWholeChunkToScaleOne() {
    XorChunk chunk = XorChunk.adaptive(64);
    for (int i = 0; i < 10; i++) {
      chunk.append(i * 15_000L, 100 + i);
    }
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
    assertThat(chunk.bytes()[3]).isEqualTo((byte) 0);
    chunk.append(10 * 15_000L, 110.5);
    assertThat(chunk.bytes()[3]).isEqualTo((byte) 1);
    chunk.append(11 * 15_000L, 110.25);
    assertThat(chunk.bytes()[3]).isEqualTo((byte) 2);
    chunk.append(12 * 15_000L, 111); // an integer again: the scale stays
    assertThat(chunk.bytes()[3]).isEqualTo((byte) 2);
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
    long[] ts = new long[13];
    double[] v = new double[13];
    for (int i = 0; i < 13; i++) {
      ts[i] = i * 15_000L;
      v[i] = i < 10 ? 100 + i : new double[] {110.5, 110.25, 111}[i - 10];
    }
    assertRoundTrips(chunk, new Samples(ts, doubles(v)));
  }

  @Test
  void everyValueScaledCannotHoldTurnsTheChunkIntoXorForGood() {
    long[] specials = {
      STALE,
      Double.doubleToRawLongBits(Double.NaN),
      0x7ff8000000000001L,
      Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
      Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
      Double.doubleToRawLongBits(-0.0),
      Double.doubleToRawLongBits(1.0 / 3),
      Double.doubleToRawLongBits(1e-7), // needs scale 7
      Double.doubleToRawLongBits(9007199254740992.0), // 2^53
      Double.doubleToRawLongBits(1e300),
      Double.doubleToRawLongBits(Double.MIN_VALUE),
    };
    for (long special : specials) {
      for (int at = 0; at < 4; at++) {
        long[] vs = doubles(1, 2, 3.5, 4, 5, 6);
        vs[at] = special;
        Samples s = new Samples(regular(6), vs);
        XorChunk chunk = appendChecked(s, true);
        assertThat(chunk.encoding())
            .as("%x at %d", special, at)
            .isEqualTo(ChunkEncoding.XOR); // the integers after it stay XOR
        assertRoundTrips(chunk, s);
      }
    }
  }

  @Test
  void everySpecialValueAfterEveryScaledValueAndBack() {
    long[] scaled = doubles(0, 1, -1, 0.5, 1234.56, -0.000001, 4503599627370495.0);
    for (long a : scaled) {
      for (long b : XorChunkTest.SPECIAL_BITS) {
        Samples s = new Samples(regular(4), new long[] {a, b, a, b});
        assertRoundTrips(appendChecked(s, true), s);
        s = new Samples(regular(4), new long[] {b, a, a, a});
        assertRoundTrips(appendChecked(s, true), s);
      }
    }
  }

  @Test
  void extremeAndBackwardsTimestampsRoundTrip() {
    long[] ts = {Long.MIN_VALUE, Long.MAX_VALUE, 0, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 1, -5};
    long[] vs = doubles(1, 2, 3, 2, 1, 0, 1.5, 7);
    Samples s = new Samples(ts, vs);
    XorChunk chunk = appendChecked(s, true);
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
    assertRoundTrips(chunk, s);
  }

  @Test
  void hugeJumpsBetweenTheLargestIntegersRoundTrip() {
    long[] vs = new long[40];
    for (int i = 0; i < vs.length; i++) {
      vs[i] = bitsOf(i % 3 == 0 ? LIMIT : (i % 3 == 1 ? -LIMIT : 0), 0);
    }
    Samples s = new Samples(regular(vs.length), vs);
    XorChunk chunk = appendChecked(s, true);
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
    assertRoundTrips(chunk, s);
  }

  @Test
  void reEncodingLeavesTheOldArrayAndItsSamplesAsTheyWere() {
    XorChunk chunk = XorChunk.adaptive(64);
    long[] ts = regular(30);
    long[] vs = new long[30];
    for (int i = 0; i < 20; i++) {
      vs[i] = Double.doubleToRawLongBits(1000 + 7 * i);
      chunk.append(ts[i], Double.longBitsToDouble(vs[i]));
    }
    // A reader copied nothing: it kept the live array and the count, as a lock-free reader could.
    byte[] before = chunk.bytes();
    int beforeLength = chunk.length();
    byte[] beforeCopy = before.clone();
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);

    vs[20] = Double.doubleToRawLongBits(1140.5); // re-encodes at scale 1
    chunk.append(ts[20], Double.longBitsToDouble(vs[20]));
    byte[] atScaleOne = chunk.bytes();
    int atScaleOneLength = chunk.length();
    assertThat(atScaleOne).isNotSameAs(before);
    assertThat(before).isEqualTo(beforeCopy);
    XorIterator it = new XorIterator();
    assertDecodesPrefix(before, beforeLength, 20, ts, vs, it);
    assertDecodesPrefix(atScaleOne, atScaleOneLength, 21, ts, vs, it);

    vs[21] = STALE; // re-encodes as XOR
    chunk.append(ts[21], Double.longBitsToDouble(vs[21]));
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.XOR);
    assertThat(chunk.bytes()).isNotSameAs(atScaleOne);
    for (int i = 22; i < 30; i++) {
      vs[i] = Double.doubleToRawLongBits(i);
      chunk.append(ts[i], i);
    }
    assertDecodesPrefix(before, beforeLength, 20, ts, vs, it);
    assertDecodesPrefix(atScaleOne, atScaleOneLength, 21, ts, vs, it);
    assertDecodesPrefix(chunk.bytes(), chunk.length(), 30, ts, vs, it);
  }

  @Test
  void resetMakesAnAdaptiveChunkChooseAgain() {
    XorChunk chunk = XorChunk.adaptive(64);
    chunk.append(0, Double.NaN);
    chunk.append(1, 1);
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.XOR);
    chunk.reset();
    chunk.append(0, 1);
    chunk.append(1, 2);
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
    assertRoundTrips(chunk, new Samples(new long[] {0, 1}, doubles(1, 2)));
    XorChunk xor = new XorChunk(64);
    xor.append(0, 1);
    assertThat(xor.encoding()).isEqualTo(ChunkEncoding.XOR);
  }

  /** The example of docs/formats/chunks.md, "Encoding 0x03", byte for byte. */
  @Test
  void workedExampleFromTheFormatDoc() {
    XorChunk chunk = XorChunk.adaptive(64);
    chunk.append(1000, 1.0);
    chunk.append(16000, 2.0);
    chunk.append(31000, 2.0);
    assertThat(HexFormat.ofDelimiter(" ").formatHex(chunk.toByteArray()))
        .isEqualTo("03 00 03 00 d0 0f 02 b0 ea 01 c0 c0");
  }

  // Corruption.

  private static byte[] scaledChunk(int n) {
    XorChunk chunk = XorChunk.adaptive(64);
    SplittableRandom r = new SplittableRandom(n);
    long v = 5_000;
    for (int i = 0; i < n; i++) {
      v += r.nextInt(100);
      chunk.append(1_700_000_000_000L + i * 15_000L + r.nextInt(3), v / 100.0);
    }
    assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
    return chunk.toByteArray();
  }

  @Test
  void aScaleOverSixIsCorruption() {
    for (int bad : new int[] {7, 0x80, 0xff}) {
      byte[] b = scaledChunk(10);
      b[3] = (byte) bad;
      assertThatThrownBy(() -> new XorIterator().reset(b, 0, b.length))
          .isInstanceOf(ChunkCorruptionException.class)
          .hasMessage("corrupt chunk at byte 3: SCALED scale " + bad + " out of range 0..6");
    }
  }

  @Test
  void aChunkWithoutItsScaleByteIsCorruption() {
    assertThatThrownBy(() -> new XorIterator().reset(new byte[] {3, 0, 0}, 0, 3))
        .isInstanceOf(ChunkCorruptionException.class)
        .hasMessageContaining("no scale byte");
    // Count 0 with the scale byte: an empty chunk, as a reader of a live chunk may see it.
    assertThat(new XorIterator().reset(new byte[] {3, 0, 0, 2}, 0, 4).next()).isFalse();
  }

  @Test
  void aTruncatedChunkFailsAtEveryCutAndNeverInventsSamples() {
    byte[] b = scaledChunk(120);
    XorIterator it = new XorIterator();
    for (int cut = 4; cut < b.length; cut++) {
      it.reset(b, 0, cut);
      int read = 0;
      byte[] copy = Arrays.copyOf(b, cut);
      XorIterator whole = new XorIterator().reset(b, 0, b.length);
      try {
        while (it.next()) {
          whole.next();
          assertThat(it.timestamp()).isEqualTo(whole.timestamp());
          assertThat(it.valueBits()).isEqualTo(whole.valueBits());
          read++;
        }
        assertThat(read).as("cut at %d decoded every sample", cut).isLessThan(120);
      } catch (ChunkCorruptionException expected) {
        assertThat(expected.getMessage()).contains("runs past the end of the chunk");
        assertThat(expected.byteOffset()).isBetween(0, cut + 8);
      }
      XorChunkTest.assertBulkFailsLikeNext(copy, cut);
    }
  }

  @Test
  void damagedChunksFailInBulkAsTheyDoSampleBySample() {
    SplittableRandom r = new SplittableRandom(23);
    for (int round = 0; round < 200; round++) {
      byte[] b = scaledChunk(1 + r.nextInt(150));
      for (int k = 0; k < 10; k++) {
        byte[] damaged = b.clone();
        int at = 4 + r.nextInt(Math.max(1, damaged.length - 4));
        if (at < damaged.length) {
          damaged[at] ^= (byte) (1 << r.nextInt(8));
        }
        XorChunkTest.assertBulkFailsLikeNext(damaged, damaged.length);
      }
    }
  }

  /** A hand-written bit stream, for codes the encoder never writes. */
  private static byte[] chunkOf(int count, int scale, String bitsAfterHeader) {
    String bits = bitsAfterHeader.replace(" ", "");
    byte[] out = new byte[4 + (bits.length() + 7) / 8];
    out[0] = ChunkEncoding.SCALED.tag();
    out[1] = (byte) (count >>> 8);
    out[2] = (byte) count;
    out[3] = (byte) scale;
    for (int i = 0; i < bits.length(); i++) {
      if (bits.charAt(i) == '1') {
        out[4 + i / 8] |= (byte) (0x80 >>> (i % 8));
      }
    }
    return out;
  }

  @Test
  void aWidthReusedBeforeAnyWasWrittenIsCorruption() {
    // t[0] = 0, n[0] = 0, d[1] = 0, then `10`: reuse a width there is none of.
    byte[] b = chunkOf(2, 0, "00000000 00000000 00000000 10 000000");
    XorIterator it = new XorIterator().reset(b, 0, b.length);
    assertThat(it.next()).isTrue();
    assertThatThrownBy(it::next)
        .isInstanceOf(ChunkCorruptionException.class)
        .hasMessage("corrupt chunk at byte 7: value code reuses a width before any was written");
    XorChunkTest.assertBulkFailsLikeNext(b, b.length);
  }

  /**
   * Widths run from 1 to 64 and cannot go over (6 bits hold the width minus one), and the sums
   * wrap: a 64-bit ZigZag delta that no encoder writes (it needs |n| of 2^62 or more) still
   * decodes, to the wrapped integer, in next() and in bulk alike.
   */
  @Test
  void theWidestDeltaDecodesAndWraps() {
    String z64 = "1".repeat(64); // z = 2^64 - 1: dv = -2^63
    byte[] b =
        chunkOf(
            3,
            0,
            "00000000 00001010 00000000 " // t[0] = 0, n[0] = 5 (ZigZag 10), d[1] = 0
                + "110 111111 "
                + z64 // a new width of 64, then z
                + " 0 10 "
                + z64); // dod 0, then z again in the same width
    long[] ts = {0, 0, 0};
    long n1 = 5 + Long.MIN_VALUE;
    long[] vs = {bitsOf(5, 0), bitsOf(n1, 0), bitsOf(n1 + Long.MIN_VALUE, 0)};
    XorChunkTest.assertDecodes(b, 0, b.length, new Samples(ts, vs), new XorIterator());
  }

  /** The widest shift: a delta of -2^63 as one bit (q = -1) shifted by 63, twice, wrapping. */
  @Test
  void theWidestShiftDecodesAndWraps() {
    byte[] b =
        chunkOf(
            3,
            0,
            "00000000 00001010 00000000 " // t[0] = 0, n[0] = 5, d[1] = 0
                + "111 000000 111111 1 " // new width 1 and shift 63, z = 1: q = -1
                + "0 10 1"); // dod 0, reuse: the same again
    long n1 = 5 + Long.MIN_VALUE;
    long[] vs = {bitsOf(5, 0), bitsOf(n1, 0), bitsOf(5, 0)};
    XorChunkTest.assertDecodes(b, 0, b.length, new Samples(new long[3], vs), new XorIterator());
  }

  // Size and cost.

  /**
   * A 120-sample counter growing by 0..99 per 15 s scrape: about 10 bits of value (2 of prefix, 8
   * of ZigZag delta) and 1 of timestamp a sample, where XOR needs about 16. Measured: 1.49 bytes
   * per sample against XOR's 2.06 (docs/formats/chunks.md, "Encoding 0x03", "Size").
   */
  @Test
  void aBusyCounterIsSmallerThanXor() {
    XorChunk scaled = XorChunkTest.counter(XorChunk.adaptive(64), 100);
    XorChunk xor = XorChunkTest.counter(new XorChunk(64), 100);
    assertThat(scaled.encoding()).isEqualTo(ChunkEncoding.SCALED);
    assertThat(scaled.length()).isLessThan(xor.length());
    assertThat(scaled.length() / 120.0).isLessThan(1.6);
  }

  /** A slow counter (0..9 per scrape): about 8 bits a sample, 1.04 bytes; XOR needs 1.48. */
  @Test
  void aSlowCounterIsSmallerThanXor() {
    XorChunk scaled = XorChunkTest.counter(XorChunk.adaptive(64), 10);
    XorChunk xor = XorChunkTest.counter(new XorChunk(64), 10);
    assertThat(scaled.length()).isLessThan(xor.length());
    assertThat(scaled.length() / 120.0).isLessThan(1.15);
  }

  /** A gauge in hundredths (CPU seconds, load): XOR pays for the mantissa of every decimal. */
  @Test
  void aGaugeInHundredthsIsLessThanHalfOfXor() {
    SplittableRandom r = new SplittableRandom(9);
    XorChunk scaled = XorChunk.adaptive(64);
    XorChunk xor = new XorChunk(64);
    for (int i = 0; i < 120; i++) {
      double v = r.nextInt(1024) / 100.0;
      scaled.append(i * 15_000L, v);
      xor.append(i * 15_000L, v);
    }
    assertThat(scaled.bytes()[3]).isEqualTo((byte) 2);
    assertThat(scaled.length() * 2).isLessThan(xor.length());
  }

  /**
   * A byte count in pages (a multiple of 4096 that changes every scrape): the shift drops the 12
   * zero bits every delta has, which XOR gets for free from its trailing-zero window.
   */
  @Test
  void bytesInPagesAreSmallerThanXor() {
    SplittableRandom r = new SplittableRandom(9);
    XorChunk scaled = XorChunk.adaptive(64);
    XorChunk xor = new XorChunk(64);
    long c = 4096L * 250_000;
    for (int i = 0; i < 120; i++) {
      c += 4096L * (r.nextInt(2001) - 1000);
      scaled.append(i * 15_000L, c);
      xor.append(i * 15_000L, c);
    }
    assertThat(scaled.encoding()).isEqualTo(ChunkEncoding.SCALED);
    assertThat(scaled.length()).isLessThan(xor.length());
  }

  /** A constant costs 2 bits a sample after the first two, as in XOR, with a shorter start. */
  @Test
  void aConstantIsTiny() {
    XorChunk chunk = XorChunk.adaptive(64);
    for (int i = 0; i < 120; i++) {
      chunk.append(1_700_000_000_000L + i * 15_000L, 1.0);
    }
    assertThat(chunk.length()).isLessThanOrEqualTo(4 + 6 + 1 + 3 + (1 + 118 * 2 + 7) / 8);
  }

  @Test
  void appendingQualifyingSamplesAndIteratingAllocateNothingPerSample() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    XorChunk chunk = XorChunk.adaptive(64 * 1024);
    XorIterator it = new XorIterator();
    long[] ts = new long[10_000];
    long[] vs = new long[10_000];
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      chunk.reset();
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 10_000; i++) {
        chunk.append(1_700_000_000_000L + i * 15_000L + (i % 7), (1 + i * 37 % 1000) / 100.0);
      }
      chunk.iterator(it);
      while (it.next()) {
        sink += it.timestamp() + it.valueBits();
      }
      sink += chunk.iterator(it).decodeRemaining(ts, vs);
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      assertThat(chunk.encoding()).isEqualTo(ChunkEncoding.SCALED);
      assertThat(allocated).as("bytes allocated in round %d", round).isLessThan(4096);
    }
    assertThat(sink).isNotZero();
  }
}
