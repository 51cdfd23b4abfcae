package dev.nines.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/*
 * Design notes.
 *
 * The format (docs/formats/chunks.md) is Gorilla's idea (Pelkonen et al., "Gorilla: A Fast,
 * Scalable, In-Memory Time Series Database", VLDB 2015): delta-of-delta timestamps and values XOR-ed
 * with their predecessor, with our own bucket sizes for millisecond timestamps, a varint first
 * sample and a cost check before reusing a value window.
 *
 * Bit writing. The bit stream lives in one byte[] owned by the chunk, which doubles when it fills.
 * A write of up to 57 bits is one big-endian 8-byte read-modify-write at the byte that holds the
 * next free bit (57 + 7 bits of offset <= 64), done through a byte-array VarHandle, which the JIT
 * turns into a single unaligned load and store. Longer writes are split in two. This needs 8 bytes
 * of slack after the end, which the capacity check keeps, and it needs every byte after the end to
 * be zero, which holds because new arrays are zeroed and reset() clears what was used.
 *
 * Timestamp arithmetic wraps around (plain long + and -), and wrapping subtraction is undone
 * exactly by wrapping addition, so every int64 sequence round-trips: no range check is needed.
 *
 * Nothing is allocated per sample; the array grows by a quarter, so appends are amortised O(1).
 *
 * Two encodings. A chunk made by adaptive() (the head's open chunks) also writes SCALED (0x03,
 * docs/formats/chunks.md "Encoding 0x03"): the first sample picks SCALED at the least decimal scale
 * at which its value is an integer divided by 10^e (ScaledIntegers, the check FOR uses too), or XOR
 * when there is none. Both encodings share the header, the first timestamp, the timestamp
 * delta-of-delta code and the bit writer; only the value code differs, so one class writes both and
 * the class name predates the second, like XorIterator's. A sample that does not qualify at the
 * chunk's scale re-encodes the chunk (reencode()): decode what is there, pick the least scale that
 * fits all samples or XOR, and append them again into a new array. That allocates, but happens at
 * most 7 times per chunk (the scale only grows), in practice once (a first decimal, a stale
 * marker). The old array is left as it was, so a reader that copied it, or kept it with its count,
 * still decodes what it saw; the head re-encodes under the series' monitor, which its readers take
 * to copy the open chunk, so nobody sees a chunk half re-encoded.
 *
 * Fields. The head keeps one chunk per series, so the fields are kept few and small (56 bytes with
 * compressed oops, as before SCALED): the sample count lives only in the header bytes 1..2, SCALED
 * reuses XOR's fields (lastValue holds the integer instead of the value bits; windowLeading and
 * windowTrailing hold the width and the shift), and the mode is one byte, `scale`: 0..6 while
 * SCALED, XOR_MODE otherwise.
 */

/**
 * A float chunk being appended to: the encoder of {@link ChunkEncoding#XOR} and, for a chunk made
 * by {@link #adaptive}, of {@link ChunkEncoding#SCALED}. Not thread-safe; the head synchronises
 * appends with readers.
 */
public final class XorChunk implements Chunk {
  /** The most samples one chunk can hold (the header count is an unsigned 16-bit integer). */
  public static final int MAX_SAMPLES = 0xffff;

  static final int HEADER_BYTES = 3;

  /** The header of a SCALED chunk: tag, count and the scale byte. */
  static final int SCALED_HEADER_BYTES = 4;

  static final int NO_WINDOW = 0xff;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int SLACK = 8;
  private static final int DEFAULT_CAPACITY = 128;
  private static final byte XOR_MODE = -1;

  /**
   * SCALED: how many trailing zeros more than the current shift a delta needs before the encoder
   * raises the shift (when it writes a new width anyway). Deltas of byte counts in pages or KiB
   * have 10 or more; an arbitrary delta has 8 with probability 1/256, so a counter of arbitrary
   * steps rarely pays for a shift it then has to lower again.
   */
  private static final int RAISE_SHIFT = 8;

  private byte[] buf;
  private int bitLen;
  private long firstTimestamp;
  private long lastTimestamp;
  private long lastDelta;
  private long lastValue; // XOR: the value's raw bits; SCALED: the integer n, v = n / 10^scale
  private byte windowLeading; // XOR: leading zeros L; SCALED: the width W
  private byte windowTrailing; // XOR: trailing zeros T; SCALED: the shift S
  private byte scale; // SCALED: the decimal scale e, 0..6; XOR_MODE while XOR
  private final boolean adaptive;

  /** Creates an empty XOR chunk with room for a typical chunk of about 120 samples. */
  public XorChunk() {
    this(DEFAULT_CAPACITY);
  }

  /** Creates an empty XOR chunk whose array starts with room for {@code initialBytes} bytes. */
  public XorChunk(int initialBytes) {
    this(initialBytes, false);
  }

  private XorChunk(int initialBytes, boolean adaptive) {
    this.adaptive = adaptive;
    buf = new byte[Math.max(initialBytes, SCALED_HEADER_BYTES) + SLACK];
    clearState();
  }

  /**
   * Creates an empty chunk for the head, whose array starts with room for {@code initialBytes}
   * bytes: it appends in {@link ChunkEncoding#SCALED} while every value is an integer divided by a
   * power of ten, and re-encodes itself as XOR when a value is not (see docs/formats/chunks.md,
   * "Encoding 0x03"). Either way every sample round-trips bit for bit.
   */
  public static XorChunk adaptive(int initialBytes) {
    return new XorChunk(initialBytes, true);
  }

  private void clearState() {
    buf[0] = ChunkEncoding.XOR.tag();
    bitLen = HEADER_BYTES * 8;
    buf[1] = 0;
    buf[2] = 0;
    firstTimestamp = 0;
    lastTimestamp = 0;
    lastDelta = 0;
    lastValue = 0;
    windowLeading = (byte) NO_WINDOW;
    windowTrailing = 0;
    scale = XOR_MODE;
  }

  /** Turns an empty chunk into a SCALED one at scale {@code e}: the tag and the scale byte. */
  private void startScaled(int e) {
    buf[0] = ChunkEncoding.SCALED.tag();
    buf[3] = (byte) e;
    bitLen = SCALED_HEADER_BYTES * 8;
    scale = (byte) e;
  }

  private int count() {
    return ((buf[1] & 0xff) << 8) | (buf[2] & 0xff);
  }

  /**
   * Empties this chunk for reuse, keeping its array; an adaptive chunk picks its encoding again
   * with the next sample.
   */
  public void reset() {
    Arrays.fill(buf, 0, Math.min(buf.length, length() + SLACK), (byte) 0);
    clearState();
  }

  /**
   * Appends one sample. Any timestamp is accepted, in any order; the value's raw bits are kept
   * exactly.
   *
   * @throws IllegalStateException if the chunk already holds {@link #MAX_SAMPLES} samples
   */
  public void append(long timestamp, double value) {
    long bits = Double.doubleToRawLongBits(value);
    int count = count();
    if (count == MAX_SAMPLES) {
      throw new IllegalStateException(
          "chunk is full: it holds the maximum of " + MAX_SAMPLES + " samples");
    }
    long n = 0;
    if (scale >= 0) {
      n = ScaledIntegers.integerAt(bits, scale);
      if (n == ScaledIntegers.NONE) {
        reencode(timestamp, bits, count);
        return;
      }
    } else if (count == 0 && adaptive) {
      int e = ScaledIntegers.leastScale(bits);
      if (e >= 0) {
        startScaled(e);
        n = ScaledIntegers.integerAt(bits, e);
      }
    }
    appendEncoded(timestamp, bits, n, count);
  }

  /**
   * Appends sample number {@code count} in the chunk's current encoding: {@code n} is its integer
   * at the chunk's scale while SCALED, {@code bits} its value bits while XOR.
   */
  private void appendEncoded(long timestamp, long bits, long n, int count) {
    boolean scaled = scale >= 0;
    if (count == 0) {
      writeVarint(timestamp);
      if (scaled) {
        writeVarint(n);
      } else {
        writeBits64(bits);
      }
      firstTimestamp = timestamp;
    } else {
      long delta = timestamp - lastTimestamp;
      if (count == 1) {
        writeVarint(delta);
      } else {
        writeDeltaOfDelta(delta - lastDelta);
      }
      if (scaled) {
        writeScaledValue(n);
      } else {
        writeXorValue(bits);
      }
      lastDelta = delta;
    }
    lastTimestamp = timestamp;
    lastValue = scaled ? n : bits;
    count++;
    buf[1] = (byte) (count >>> 8);
    buf[2] = (byte) count;
  }

  /**
   * Writes the chunk again, with sample {@code (timestamp, bits)} after its {@code count} samples,
   * at the least scale that holds them all, or as XOR; into a new array, so that the bytes a reader
   * may hold stay as they were.
   */
  private void reencode(long timestamp, long bits, int count) {
    long[] ts = new long[count + 1];
    long[] vs = new long[count + 1];
    new XorIterator().reset(buf, 0, length(), count).decodeRemaining(ts, vs);
    ts[count] = timestamp;
    vs[count] = bits;
    long[] ints = new long[count + 1];
    int e = ScaledIntegers.leastScale(vs, count + 1, ints);
    // XOR needs more room than SCALED; let the array grow as it does on append.
    buf = new byte[buf.length];
    clearState();
    if (e >= 0) {
      startScaled(e);
    }
    for (int i = 0; i <= count; i++) {
      appendEncoded(ts[i], vs[i], e >= 0 ? ints[i] : 0, i);
    }
  }

  private void writeDeltaOfDelta(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
    } else if (dod >= -(1L << 7) && dod < (1L << 7)) {
      writeBits((0b10L << 8) | (dod & 0xffL), 10);
    } else if (dod >= -(1L << 13) && dod < (1L << 13)) {
      writeBits((0b110L << 14) | (dod & 0x3fffL), 17);
    } else if (dod >= -(1L << 20) && dod < (1L << 20)) {
      writeBits((0b1110L << 21) | (dod & 0x1fffffL), 25);
    } else {
      writeBits(0b1111L, 4);
      writeBits64(dod);
    }
  }

  private void writeXorValue(long bits) {
    long xor = bits ^ lastValue;
    if (xor == 0) {
      writeBits(0, 1);
      return;
    }
    int leading = Math.min(Long.numberOfLeadingZeros(xor), 31);
    int trailing = Long.numberOfTrailingZeros(xor);
    int significant = 64 - leading - trailing;
    int wl = windowLeading & 0xff;
    int wt = windowTrailing;
    if (wl != NO_WINDOW && leading >= wl && trailing >= wt) {
      int windowBits = 64 - wl - wt;
      if (2 + windowBits <= 13 + significant) {
        writeBits(0b10L, 2);
        writeBitsAny(xor >>> wt, windowBits);
        return;
      }
    }
    writeBits((0b11L << 11) | ((long) leading << 6) | (significant - 1), 13);
    writeBitsAny(xor >>> trailing, significant);
    windowLeading = (byte) leading;
    windowTrailing = (byte) trailing;
  }

  /**
   * Writes the SCALED value code for the integer {@code n} (docs/formats/chunks.md, "Values: deltas
   * in an adaptive width"): the delta shifted right by the current shift, ZigZag-mapped, in the
   * current width when it fits and that is not wasteful, else with a new width, and with a new
   * shift when the delta has fewer trailing zeros than the shift or {@link #RAISE_SHIFT} more.
   */
  private void writeScaledValue(long n) {
    long dv = n - lastValue;
    if (dv == 0) {
      writeBits(0, 1);
      return;
    }
    int width = windowLeading & 0xff;
    int shift = windowTrailing;
    int tz = Long.numberOfTrailingZeros(dv);
    if (tz >= shift) {
      long q = dv >> shift;
      long z = (q << 1) ^ (q >> 63);
      int need = 64 - Long.numberOfLeadingZeros(z);
      if (width != NO_WINDOW && need <= width && width <= need + 7) {
        if (width <= 55) {
          writeBits((0b10L << width) | z, 2 + width);
        } else {
          writeBits(0b10L, 2);
          writeBitsAny(z, width);
        }
        return;
      }
      if (tz < shift + RAISE_SHIFT) {
        if (need <= 48) {
          writeBits((((0b110L << 6) | (need - 1)) << need) | z, 9 + need);
        } else {
          writeBits((0b110L << 6) | (need - 1), 9);
          writeBitsAny(z, need);
        }
        windowLeading = (byte) need;
        return;
      }
    }
    long q = dv >> tz;
    long z = (q << 1) ^ (q >> 63);
    int need = 64 - Long.numberOfLeadingZeros(z);
    long code = (((0b111L << 6) | (need - 1)) << 6) | tz;
    if (need <= 42) {
      writeBits((code << need) | z, 15 + need);
    } else {
      writeBits(code, 15);
      writeBitsAny(z, need);
    }
    windowLeading = (byte) need;
    windowTrailing = (byte) tz;
  }

  private void writeVarint(long signed) {
    long v = (signed << 1) ^ (signed >> 63);
    while ((v & ~0x7fL) != 0) {
      writeBits((v & 0x7f) | 0x80, 8);
      v >>>= 7;
    }
    writeBits(v, 8);
  }

  private void writeBitsAny(long value, int n) {
    if (n > 57) {
      writeBits(value >>> 32, n - 32);
      writeBits(value, 32);
    } else {
      writeBits(value, n);
    }
  }

  private void writeBits64(long value) {
    writeBits(value >>> 32, 32);
    writeBits(value, 32);
  }

  /** Writes the low {@code n} bits of {@code value}, 1 <= n <= 57. */
  private void writeBits(long value, int n) {
    int byteIndex = bitLen >>> 3;
    if (byteIndex + SLACK > buf.length) {
      // Grow by a quarter (at least 32 bytes): head chunks are sized close to the previous chunk
      // of their series, so a doubling here would waste more than it saves in copies.
      buf =
          Arrays.copyOf(
              buf, Math.max(byteIndex + SLACK, buf.length + Math.max(32, buf.length >> 2)));
    }
    long word = (long) LONG_BE.get(buf, byteIndex);
    word |= (value << (64 - n)) >>> (bitLen & 7);
    LONG_BE.set(buf, byteIndex, word);
    bitLen += n;
  }

  @Override
  public ChunkEncoding encoding() {
    return scale >= 0 ? ChunkEncoding.SCALED : ChunkEncoding.XOR;
  }

  @Override
  public int numSamples() {
    return count();
  }

  @Override
  public byte[] bytes() {
    return buf;
  }

  @Override
  public int length() {
    return (bitLen + 7) >>> 3;
  }

  @Override
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, length());
  }

  /** The timestamp of the first sample; meaningless while the chunk is empty. */
  public long firstTimestamp() {
    return firstTimestamp;
  }

  /** The timestamp of the last sample appended; meaningless while the chunk is empty. */
  public long lastTimestamp() {
    return lastTimestamp;
  }

  /** The raw bits of the value appended last; meaningless while the chunk is empty. */
  public long lastValueBits() {
    // Exact: a SCALED chunk holds only values that this division gives back bit for bit.
    return scale >= 0
        ? Double.doubleToRawLongBits(lastValue / ScaledIntegers.POW10[scale])
        : lastValue;
  }

  /** Whether the chunk holds {@link #MAX_SAMPLES} samples and takes no more. */
  public boolean isFull() {
    return count() == MAX_SAMPLES;
  }

  /** Points {@code reuse} at the samples appended so far and returns it. */
  public XorIterator iterator(XorIterator reuse) {
    reuse.reset(buf, 0, length(), count());
    return reuse;
  }
}
