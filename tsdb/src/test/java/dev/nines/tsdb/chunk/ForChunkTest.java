package dev.nines.tsdb.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FOR encoding (tag 0x02): every chunk that {@link ForChunk#smallest} returns decodes to
 * exactly the samples of the XOR chunk it started from, bit for bit; it is chosen only when it
 * applies and is smaller.
 */
class ForChunkTest {
  private static final long STALE = 0x7ff0000000000002L;

  /** Builds the XOR chunk, picks the smallest encoding and checks the round trip. */
  private static byte[] roundTrip(long[] ts, long[] bits) {
    XorChunk xor = new XorChunk(64);
    for (int i = 0; i < ts.length; i++) {
      xor.append(ts[i], Double.longBitsToDouble(bits[i]));
    }
    byte[] chosen = ForChunk.smallest(xor.toByteArray());
    assertThat(chosen.length).isLessThanOrEqualTo(xor.length());
    XorIterator it = new XorIterator().reset(chosen, 0, chosen.length);
    assertThat(it.numSamples()).isEqualTo(ts.length);
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).as("t[%d]", i).isEqualTo(ts[i]);
      assertThat(it.valueBits()).as("v[%d]", i).isEqualTo(bits[i]);
    }
    assertThat(it.next()).isFalse();
    XorChunkTest.assertDecodesInBulk(chosen, 0, chosen.length, ts, bits, it);
    // FOR itself, when it applies, also round-trips on its own.
    byte[] f = ForChunk.encode(ts, bits, ts.length);
    if (f != null) {
      XorIterator fi = new XorIterator().reset(f, 0, f.length);
      for (int i = 0; i < ts.length; i++) {
        assertThat(fi.next()).isTrue();
        assertThat(fi.timestamp()).isEqualTo(ts[i]);
        assertThat(fi.valueBits()).isEqualTo(bits[i]);
      }
      XorChunkTest.assertDecodesInBulk(f, 0, f.length, ts, bits, fi);
      for (int cut = 4; cut < f.length; cut += 1 + f.length / 16) {
        XorChunkTest.assertBulkFailsLikeNext(f, cut);
      }
    }
    return chosen;
  }

  private static long[] doubles(double... v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }

  private static long[] regular(int n, long start, long step) {
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = start + i * step;
    }
    return ts;
  }

  @Test
  void counterWithRandomIncrementsIsForAndSmaller() {
    Random r = new Random(1);
    long[] ts = new long[120];
    double[] v = new double[120];
    double c = 1_000_000;
    for (int i = 0; i < 120; i++) {
      ts[i] = 1_700_000_000_000L + 15_000L * i + (r.nextInt(4) == 0 ? r.nextInt(3) - 1 : 0);
      c += r.nextInt(100);
      v[i] = c;
    }
    byte[] chosen = roundTrip(ts, doubles(v));
    assertThat(chosen[0]).isEqualTo(ChunkEncoding.FOR.tag());
    assertThat(chosen.length / 120.0).isLessThan(1.5); // about 10 bits a sample
  }

  @Test
  void hundredthsUseScaleTwo() {
    Random r = new Random(2);
    double[] v = new double[120];
    long c = 12_345_678;
    for (int i = 0; i < 120; i++) {
      c += r.nextInt(1500);
      v[i] = Double.parseDouble(c / 100 + "." + String.format("%02d", c % 100));
    }
    byte[] chosen = roundTrip(regular(120, 0, 15_000), doubles(v));
    assertThat(chosen[0]).isEqualTo(ChunkEncoding.FOR.tag());
    assertThat(chosen[3]).isEqualTo((byte) 2);
  }

  @Test
  void staleMarkerNanInfinitiesAndNegativeZeroStayXorAndExact() {
    long[] ts = regular(6, 0, 15_000);
    for (long special :
        new long[] {
          STALE,
          Double.doubleToRawLongBits(Double.NaN),
          Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
          Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
          Double.doubleToRawLongBits(-0.0)
        }) {
      long[] bits = doubles(1, 2, 3, 4, 5, 6);
      bits[3] = special;
      assertThat(ForChunk.encode(ts, bits, 6)).isNull();
      assertThat(roundTrip(ts, bits)[0]).isEqualTo(ChunkEncoding.XOR.tag());
    }
  }

  static Stream<Arguments> shapes() {
    Random r = new Random(3);
    long[] jumps = new long[50];
    double[] jv = new double[50];
    for (int i = 0; i < 50; i++) {
      jumps[i] = i * 1000L;
      jv[i] = r.nextBoolean() ? 0 : (r.nextBoolean() ? 4e15 : -4e15);
    }
    return Stream.of(
        Arguments.of("equal values", regular(120, 0, 15_000), doubles(repeat(120, 42))),
        Arguments.of("one sample", new long[] {-5}, doubles(7)),
        Arguments.of("two samples", new long[] {1, 2}, doubles(7, -7)),
        Arguments.of("negative timestamps", regular(30, -1_000_000, 1000), doubles(seq(30, 1))),
        Arguments.of(
            "timestamps at the int64 limits",
            new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE},
            doubles(1, 2, 3, 4)),
        Arguments.of(
            "timestamps going backwards", new long[] {100, 50, 75, -10}, doubles(1, 1, 1, 1)),
        Arguments.of("huge value jumps", jumps, doubles(jv)),
        Arguments.of(
            "integers at 2^53",
            new long[] {0, 1, 2},
            doubles(9007199254740991.0, -9007199254740991.0, 0)),
        Arguments.of("beyond 2^53", new long[] {0, 1}, doubles(1e300, 1)),
        Arguments.of("fractions", regular(10, 0, 1), doubles(seq(10, 0.1234567))),
        Arguments.of("sparse gauge", regular(120, 0, 15_000), doubles(sparse(120))));
  }

  private static double[] repeat(int n, double v) {
    return IntStream.range(0, n).mapToDouble(i -> v).toArray();
  }

  private static double[] seq(int n, double step) {
    return IntStream.range(0, n).mapToDouble(i -> i * step).toArray();
  }

  private static double[] sparse(int n) {
    return IntStream.range(0, n)
        .mapToDouble(i -> (i / 4) * 4096.0 * (i % 8 == 0 ? -1 : 1))
        .toArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void everyShapeRoundTripsBitForBit(String name, long[] ts, long[] bits) {
    roundTrip(ts, bits);
  }

  @Test
  void randomChunksRoundTrip() {
    Random r = new Random(4);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + r.nextInt(200);
      long[] ts = new long[n];
      long[] bits = new long[n];
      long t = r.nextLong();
      long v = r.nextInt(1000) - 500;
      int scale = r.nextInt(4);
      for (int i = 0; i < n; i++) {
        t +=
            switch (r.nextInt(4)) {
              case 0 -> r.nextLong();
              case 1 -> 15_000 + r.nextInt(3) - 1;
              default -> 15_000;
            };
        v += r.nextInt(8) == 0 ? (long) (r.nextGaussian() * 1e6) : r.nextInt(3);
        ts[i] = t;
        double d = v / ScaledIntegers.POW10[scale];
        bits[i] = r.nextInt(50) == 0 ? STALE : Double.doubleToRawLongBits(d);
      }
      roundTrip(ts, bits);
    }
  }

  /** Head chunks reach the block writer as SCALED too: FOR replaces them only when smaller. */
  @Test
  void aScaledChunkBecomesForWhenSmallerAndStaysAsItIsOtherwise() {
    Random r = new Random(6);
    XorChunk busy = XorChunk.adaptive(64);
    long[] ts = new long[120];
    long[] bits = new long[120];
    long c = 1_000_000;
    for (int i = 0; i < 120; i++) {
      c += r.nextInt(100);
      ts[i] = 15_000L * i + r.nextInt(3);
      bits[i] = Double.doubleToRawLongBits(c / 10.0);
      busy.append(ts[i], Double.longBitsToDouble(bits[i]));
    }
    assertThat(busy.encoding()).isEqualTo(ChunkEncoding.SCALED);
    byte[] f = ForChunk.smallest(busy.toByteArray());
    assertThat(f[0]).isEqualTo(ChunkEncoding.FOR.tag());
    assertThat(f[3]).isEqualTo((byte) 1);
    assertThat(f.length).isLessThan(busy.length());
    XorChunkTest.assertDecodesInBulk(f, 0, f.length, ts, bits, new XorIterator());

    XorChunk one = XorChunk.adaptive(64);
    one.append(5, 12.5); // FOR is no smaller for one sample
    byte[] kept = one.toByteArray();
    assertThat(ForChunk.smallest(kept)).isSameAs(kept);
  }

  @Test
  void aTruncatedForChunkIsCorruption() {
    long[] ts = regular(100, 0, 15_000);
    Random r = new Random(5);
    double[] v = new double[100];
    for (int i = 1; i < 100; i++) {
      v[i] = v[i - 1] + r.nextInt(1000);
    }
    byte[] f = ForChunk.encode(ts, doubles(v), 100);
    assertThat(f).isNotNull();
    byte[] cut = java.util.Arrays.copyOf(f, f.length - 3);
    XorIterator it = new XorIterator().reset(cut, 0, cut.length);
    assertThatThrownBy(
            () -> {
              while (it.next()) {
                // read until the end or the corruption
              }
            })
        .isInstanceOf(ChunkCorruptionException.class);
  }
}
