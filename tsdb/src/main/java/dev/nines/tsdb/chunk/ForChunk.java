package dev.nines.tsdb.chunk;

/*
 * Design notes (format: docs/formats/chunks.md, "Encoding 0x02").
 *
 * A block-only encoding: the head appends XOR or SCALED chunks; when a chunk is written into a
 * block, smallest() decodes it, checks whether every value is an integer divided by 10^e (bit-exact
 * round trip through the decoder's division, ScaledIntegers), and if so encodes timestamp deltas
 * and value deltas with one fixed bit width each per chunk (frame of reference), in a dense or a
 * sparse value mode, whichever is smaller. The result is kept only when it is smaller than the
 * chunk's own bytes. All delta arithmetic wraps, so no input can overflow: widths are bit lengths
 * of unsigned differences.
 */

/** The FOR chunk encoding (tag 0x02): scaled integers with frame-of-reference deltas. */
public final class ForChunk {
  /** The largest decimal scale: values are {@code n / 10^e}, {@code 0 <= e <= MAX_SCALE}. */
  public static final int MAX_SCALE = ScaledIntegers.MAX_SCALE;

  private ForChunk() {}

  /**
   * The smaller of {@code chunk} (an XOR or SCALED chunk) and its FOR encoding; {@code chunk}
   * itself when FOR does not apply or is not smaller. Chunks of other encodings are returned as
   * they are.
   */
  public static byte[] smallest(byte[] chunk) {
    if (chunk.length < XorChunk.HEADER_BYTES
        || (chunk[0] != ChunkEncoding.XOR.tag() && chunk[0] != ChunkEncoding.SCALED.tag())) {
      return chunk;
    }
    XorIterator it = new XorIterator().reset(chunk, 0, chunk.length);
    int n = it.numSamples();
    if (n == 0) {
      return chunk;
    }
    long[] ts = new long[n];
    long[] bits = new long[n];
    for (int i = 0; i < n; i++) {
      it.next();
      ts[i] = it.timestamp();
      bits[i] = it.valueBits();
    }
    byte[] f = encode(ts, bits, n);
    return f != null && f.length < chunk.length ? f : chunk;
  }

  /**
   * The FOR encoding of {@code n} samples (1 to 65535), or null when a value is not an integer
   * divided by a power of ten up to {@link #MAX_SCALE} (NaN, infinities, -0.0, fractions).
   */
  public static byte[] encode(long[] ts, long[] bits, int n) {
    if (n < 1 || n > XorChunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("sample count out of range: " + n);
    }
    long[] ints = new long[n];
    int scale = ScaledIntegers.leastScale(bits, n, ints);
    if (scale < 0) {
      return null;
    }
    long dmin = 0;
    long dmax = 0;
    long vmin = 0;
    long vmax = 0;
    long nzmin = 0;
    long nzmax = 0;
    int nonZero = 0;
    for (int i = 1; i < n; i++) {
      long d = ts[i] - ts[i - 1];
      long v = ints[i] - ints[i - 1];
      if (i == 1) {
        dmin = dmax = d;
        vmin = vmax = v;
      } else {
        dmin = Math.min(dmin, d);
        dmax = Math.max(dmax, d);
        vmin = Math.min(vmin, v);
        vmax = Math.max(vmax, v);
      }
      if (v != 0) {
        if (nonZero == 0) {
          nzmin = nzmax = v;
        } else {
          nzmin = Math.min(nzmin, v);
          nzmax = Math.max(nzmax, v);
        }
        nonZero++;
      }
    }
    int wt = width(dmax - dmin);
    int wv = width(vmax - vmin);
    int ws = width(nzmax - nzmin);
    long denseBits = (long) (n - 1) * wv;
    long sparseBits = (long) (n - 1) + (long) nonZero * ws;
    boolean sparse = sparseBits < denseBits;
    BitWriter w = new BitWriter(4 + 6 * 10 + 2 + (int) (((long) (n - 1) * (wt + 65) + 7) / 8));
    w.putByte(ChunkEncoding.FOR.tag());
    w.putByte((byte) (n >>> 8));
    w.putByte((byte) n);
    w.putByte((byte) scale);
    w.putVarint(ts[0]);
    w.putVarint(ints[0]);
    if (n >= 2) {
      long base = sparse ? nzmin : vmin;
      int vw = sparse ? ws : wv;
      w.putVarint(dmin);
      w.putByte((byte) wt);
      w.putVarint(base);
      w.putByte((byte) ((sparse ? 0x80 : 0) | vw));
      for (int i = 1; i < n; i++) {
        w.writeBits(ts[i] - ts[i - 1] - dmin, wt);
        long v = ints[i] - ints[i - 1];
        if (sparse) {
          if (v == 0) {
            w.writeBits(0, 1);
            continue;
          }
          w.writeBits(1, 1);
        }
        w.writeBits(v - base, vw);
      }
    }
    return w.toByteArray();
  }

  /** The bit length of {@code x} as an unsigned number: 0 for 0, up to 64. */
  static int width(long x) {
    return 64 - Long.numberOfLeadingZeros(x);
  }

  /** An append-only bit writer, most significant bit first. */
  private static final class BitWriter {
    private byte[] buf;
    private long bitPos;

    BitWriter(int capacity) {
      buf = new byte[capacity];
    }

    void putByte(byte b) {
      buf[(int) (bitPos >>> 3)] = b;
      bitPos += 8;
    }

    void putVarint(long x) {
      long u = (x << 1) ^ (x >> 63);
      while ((u & ~0x7FL) != 0) {
        putByte((byte) ((u & 0x7F) | 0x80));
        u >>>= 7;
      }
      putByte((byte) u);
    }

    /** Writes the low {@code n} bits of {@code x}, 0 <= n <= 64. */
    void writeBits(long x, int n) {
      for (int left = n; left > 0; ) {
        int index = (int) (bitPos >>> 3);
        int free = 8 - (int) (bitPos & 7);
        int take = Math.min(free, left);
        int chunk = (int) ((x >>> (left - take)) & ((1 << take) - 1));
        buf[index] |= (byte) (chunk << (free - take));
        bitPos += take;
        left -= take;
      }
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, (int) ((bitPos + 7) >>> 3));
    }
  }
}
