package dev.nines.tsdb.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/*
 * Design notes.
 *
 * The decoder reads bits through a 64-bit big-endian window loaded at the byte holding the next
 * bit and shifted left by the bit offset, so the next 57 bits are at the top of a long. Prefix codes
 * are then decided by sign tests on shifted copies of the window (a long is negative exactly when
 * its top bit is set), and signed payloads are extracted with an arithmetic right shift, which
 * sign-extends them for free. Near the end of the array the window is assembled byte by byte with
 * zero padding, so a chunk read from disk needs no slack bytes.
 *
 * The same iterator decodes FOR chunks (tag 0x02, see ForChunk): reset() parses the FOR header
 * (the first sample and the per-chunk minima and widths) and next() then reads two fixed-width
 * fields per sample. SCALED chunks (tag 0x03, written by XorChunk.adaptive) share XOR's timestamp
 * code and differ only in the value code: an integer delta in an adaptive width, turned back into
 * the value by one division per sample; the XOR paths and the SCALED paths branch per sample on a
 * mode that is fixed for the chunk. One class for every float encoding keeps every reader (head,
 * block, compaction) encoding-agnostic; the name predates the second encoding.
 *
 * Bounds are checked once per sample: after decoding a sample the bit position must not be past the
 * end. A chunk that lies about its count therefore fails with ChunkCorruptionException instead of
 * returning invented samples.
 */

/**
 * A reusable decoder over the samples of a float chunk ({@link ChunkEncoding#XOR}, {@link
 * ChunkEncoding#FOR} or {@link ChunkEncoding#SCALED}). Call {@link #reset} with the chunk bytes,
 * then {@link #next()} until it returns false; nothing is allocated per sample.
 */
public final class XorIterator {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final byte[] EMPTY = {ChunkEncoding.XOR.tag(), 0, 0};
  private static final int MODE_XOR = 0;
  private static final int MODE_FOR = 1;
  private static final int MODE_SCALED = 2;

  private byte[] buf = EMPTY;
  private int start;
  private int end;
  private long bitPos;
  private int total;
  private int read;
  private long timestamp;
  private long delta;
  private long bits;
  private int windowLeading; // XOR: leading zeros; SCALED: the width
  private int windowTrailing; // XOR: trailing zeros; SCALED: the shift
  private int mode;
  private double scale; // FOR and SCALED: the divisor 10^e
  private long intValue; // FOR and SCALED: the current integer n
  private long forFirstT;
  private long forDmin;
  private int forWt;
  private long forVmin;
  private int forWv;
  private boolean forSparse;

  /** Creates an iterator over an empty chunk; call {@link #reset} before use. */
  public XorIterator() {
    reset(EMPTY, 0, EMPTY.length);
  }

  /**
   * Points this iterator at the chunk in {@code bytes[offset, offset + length)}, reading the sample
   * count from the chunk's header.
   *
   * @throws ChunkCorruptionException if the header is short or the tag is not a float encoding
   */
  public XorIterator reset(byte[] bytes, int offset, int length) {
    if (length < XorChunk.HEADER_BYTES) {
      throw new ChunkCorruptionException("chunk of " + length + " bytes has no header", 0);
    }
    int count = ((bytes[offset + 1] & 0xff) << 8) | (bytes[offset + 2] & 0xff);
    return reset(bytes, offset, length, count);
  }

  /**
   * Points this iterator at the first {@code count} samples of the chunk in {@code bytes[offset,
   * offset + length)}, ignoring the header count; for reading a chunk that is still being appended.
   *
   * @throws ChunkCorruptionException if the header is short or the tag is not a float encoding
   */
  public XorIterator reset(byte[] bytes, int offset, int length, int count) {
    if (length < XorChunk.HEADER_BYTES) {
      throw new ChunkCorruptionException("chunk of " + length + " bytes has no header", 0);
    }
    if (offset < 0 || length > bytes.length - offset) {
      throw new IndexOutOfBoundsException(
          "chunk range [" + offset + ", " + offset + "+" + length + ") outside array");
    }
    ChunkEncoding encoding = ChunkEncoding.fromTag(bytes[offset]);
    if (count < 0 || count > XorChunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("sample count out of range: " + count);
    }
    this.buf = bytes;
    this.start = offset;
    this.end = offset + length;
    this.bitPos = (long) (offset + XorChunk.HEADER_BYTES) * 8;
    this.total = count;
    this.read = 0;
    this.timestamp = 0;
    this.delta = 0;
    this.bits = 0;
    this.windowLeading = XorChunk.NO_WINDOW;
    this.windowTrailing = 0;
    this.mode =
        switch (encoding) {
          case XOR -> MODE_XOR;
          case FOR -> MODE_FOR;
          case SCALED -> MODE_SCALED;
        };
    if (mode == MODE_FOR) {
      resetFor(count);
    } else if (mode == MODE_SCALED) {
      resetScaled();
    }
    return this;
  }

  private void resetScaled() {
    if (end - start < XorChunk.SCALED_HEADER_BYTES) {
      throw corrupt("SCALED chunk of " + (end - start) + " bytes has no scale byte");
    }
    int e = readByte();
    if (e > ScaledIntegers.MAX_SCALE) {
      bitPos -= 8;
      throw corrupt("SCALED scale " + e + " out of range 0.." + ScaledIntegers.MAX_SCALE);
    }
    scale = ScaledIntegers.POW10[e];
    intValue = 0;
  }

  private void resetFor(int count) {
    if (count != total || count == 0) {
      throw corrupt("a FOR chunk is read with its own count, which must be at least 1");
    }
    int e = readByte();
    if (e > ScaledIntegers.MAX_SCALE) {
      throw corrupt("FOR scale " + e + " out of range");
    }
    scale = ScaledIntegers.POW10[e];
    forFirstT = readVarint();
    intValue = readVarint();
    if (count >= 2) {
      forDmin = readVarint();
      forWt = readByte();
      forVmin = readVarint();
      int mw = readByte();
      forSparse = (mw & 0x80) != 0;
      forWv = mw & 0x7f;
      if (forWt > 64 || forWv > 64) {
        throw corrupt("FOR width out of range");
      }
    }
  }

  private int readByte() {
    int index = (int) (bitPos >>> 3);
    if (index >= end) {
      throw corrupt("FOR header runs past the end of the chunk");
    }
    bitPos += 8;
    return buf[index] & 0xff;
  }

  /**
   * Advances to the next sample.
   *
   * @return false when all samples have been read
   * @throws ChunkCorruptionException if the bytes do not decode
   */
  public boolean next() {
    if (read == total) {
      return false;
    }
    if (mode == MODE_FOR) {
      return nextFor();
    }
    boolean scaled = mode == MODE_SCALED;
    switch (read) {
      case 0 -> {
        timestamp = readVarint();
        if (scaled) {
          intValue = readVarint();
          bits = Double.doubleToRawLongBits(intValue / scale);
        } else {
          bits = readBits64();
        }
      }
      case 1 -> {
        delta = readVarint();
        timestamp += delta;
        if (scaled) {
          readScaledValue();
        } else {
          readValue();
        }
      }
      default -> {
        delta += readDeltaOfDelta();
        timestamp += delta;
        if (scaled) {
          readScaledValue();
        } else {
          readValue();
        }
      }
    }
    if (bitPos > (long) end * 8) {
      throw corrupt("sample " + read + " of " + total + " runs past the end of the chunk");
    }
    read++;
    return true;
  }

  private boolean nextFor() {
    if (read == 0) {
      timestamp = forFirstT;
    } else {
      timestamp += forDmin + readBitsAny(forWt);
      if (!forSparse) {
        intValue += forVmin + readBitsAny(forWv);
      } else if (readBitsAny(1) != 0) {
        intValue += forVmin + readBitsAny(forWv);
      }
      if (bitPos > (long) end * 8) {
        throw corrupt("sample " + read + " of " + total + " runs past the end of the chunk");
      }
    }
    bits = Double.doubleToRawLongBits(intValue / scale);
    read++;
    return true;
  }

  /**
   * Decodes every sample not read yet into {@code timestamps} and {@code valueBits} from index 0
   * and returns how many there were (both arrays need room for them, at most {@link
   * #numSamples()}); afterwards the last one is current and {@link #next()} returns false. The same
   * as calling {@link #next()} until it returns false, but with the decoder's state in local
   * variables, which is what makes reading whole chunks cheap.
   *
   * @throws ChunkCorruptionException if the bytes do not decode
   */
  public int decodeRemaining(long[] timestamps, long[] valueBits) {
    int n = 0;
    // The first two samples are byte-aligned varints: next() reads them.
    while (read < 2 && read < total) {
      next();
      timestamps[n] = timestamp;
      valueBits[n] = bits;
      n++;
    }
    if (read == total) {
      return n;
    }
    return mode == MODE_FOR
        ? decodeForRemaining(timestamps, valueBits, n)
        : decodeDodRemaining(timestamps, valueBits, n);
  }

  /** The rest of an XOR or SCALED chunk: the two share the timestamp code. */
  private int decodeDodRemaining(long[] ts, long[] vb, int n) {
    byte[] b = buf;
    int e = end;
    long endBit = (long) e * 8;
    long pos = bitPos;
    long t = timestamp;
    long d = delta;
    long v = bits;
    int lead = windowLeading;
    int trail = windowTrailing;
    boolean scaled = mode == MODE_SCALED;
    long iv = intValue;
    double sc = scale;
    int r = read;
    try {
      for (; r < total; r++) {
        long w = window(b, e, pos);
        if (w >= 0) {
          pos += 1;
        } else if ((w << 1) >= 0) {
          pos += 10;
          d += (w << 2) >> (64 - 8);
        } else if ((w << 2) >= 0) {
          pos += 17;
          d += (w << 3) >> (64 - 14);
        } else if ((w << 3) >= 0) {
          pos += 25;
          d += (w << 4) >> (64 - 21);
        } else {
          pos += 4;
          long high = window(b, e, pos) >>> 32;
          pos += 32;
          d += (high << 32) | (window(b, e, pos) >>> 32);
          pos += 32;
        }
        t += d;
        w = window(b, e, pos);
        if (scaled) {
          if (w >= 0) {
            pos += 1;
          } else {
            int width;
            if ((w << 1) >= 0) {
              if (lead == XorChunk.NO_WINDOW) {
                bitPos = pos;
                throw corrupt("value code reuses a width before any was written");
              }
              width = lead;
              pos += 2;
            } else if ((w << 2) >= 0) {
              width = (int) ((w << 3) >>> (64 - 6)) + 1;
              lead = width;
              pos += 9;
            } else {
              width = (int) ((w << 3) >>> (64 - 6)) + 1;
              lead = width;
              trail = (int) ((w << 9) >>> (64 - 6));
              pos += 15;
            }
            long z = bitsAt(b, e, pos, width);
            pos += width;
            iv += ((z >>> 1) ^ -(z & 1)) << trail;
            v = Double.doubleToRawLongBits(iv / sc);
          }
        } else if (w >= 0) {
          pos += 1;
        } else if ((w << 1) >= 0) {
          if (lead == XorChunk.NO_WINDOW) {
            bitPos = pos;
            throw corrupt("value code reuses a window before any was written");
          }
          pos += 2;
          int significant = 64 - lead - trail;
          v ^= bitsAt(b, e, pos, significant) << trail;
          pos += significant;
        } else {
          int leading = (int) ((w << 2) >>> (64 - 5));
          int significant = (int) ((w << 7) >>> (64 - 6)) + 1;
          if (leading + significant > 64) {
            bitPos = pos;
            throw corrupt("value window of " + leading + " + " + significant + " bits exceeds 64");
          }
          pos += 13;
          lead = leading;
          trail = 64 - leading - significant;
          v ^= bitsAt(b, e, pos, significant) << trail;
          pos += significant;
        }
        if (pos > endBit) {
          bitPos = pos;
          read = r;
          throw corrupt("sample " + r + " of " + total + " runs past the end of the chunk");
        }
        ts[n] = t;
        vb[n] = v;
        n++;
      }
    } finally {
      bitPos = pos;
      timestamp = t;
      delta = d;
      bits = v;
      windowLeading = lead;
      windowTrailing = trail;
      intValue = iv;
      read = r;
    }
    return n;
  }

  private int decodeForRemaining(long[] ts, long[] vb, int n) {
    byte[] b = buf;
    int e = end;
    long endBit = (long) e * 8;
    long pos = bitPos;
    long t = timestamp;
    long value = intValue;
    long dmin = forDmin;
    int wt = forWt;
    long vmin = forVmin;
    int wv = forWv;
    boolean sparse = forSparse;
    double scale = this.scale;
    int r = read;
    try {
      for (; r < total; r++) {
        t += dmin + bitsAt(b, e, pos, wt);
        pos += wt;
        if (!sparse) {
          value += vmin + bitsAt(b, e, pos, wv);
          pos += wv;
        } else if (window(b, e, pos) < 0) {
          pos += 1;
          value += vmin + bitsAt(b, e, pos, wv);
          pos += wv;
        } else {
          pos += 1;
        }
        if (pos > endBit) {
          bitPos = pos;
          throw corrupt("sample " + r + " of " + total + " runs past the end of the chunk");
        }
        ts[n] = t;
        vb[n] = Double.doubleToRawLongBits(value / scale);
        n++;
      }
    } finally {
      bitPos = pos;
      timestamp = t;
      intValue = value;
      bits = n > 0 ? vb[n - 1] : bits;
      read = r;
    }
    return n;
  }

  /** {@code n} bits (0 to 64) at bit {@code pos} as an unsigned value. */
  private static long bitsAt(byte[] b, int end, long pos, int n) {
    if (n == 0) {
      return 0;
    }
    if (n > 57) {
      long high = window(b, end, pos) >>> (64 - (n - 32));
      return (high << 32) | (window(b, end, pos + n - 32) >>> 32);
    }
    return window(b, end, pos) >>> (64 - n);
  }

  /** The timestamp in milliseconds of the current sample. */
  public long timestamp() {
    return timestamp;
  }

  /** The value of the current sample. */
  public double value() {
    return Double.longBitsToDouble(bits);
  }

  /** The raw IEEE-754 bits of the current sample's value, exactly as appended. */
  public long valueBits() {
    return bits;
  }

  /** The number of samples in the chunk this iterator reads. */
  public int numSamples() {
    return total;
  }

  private long readDeltaOfDelta() {
    long w = window();
    if (w >= 0) {
      bitPos += 1;
      return 0;
    }
    if ((w << 1) >= 0) {
      bitPos += 10;
      return (w << 2) >> (64 - 8);
    }
    if ((w << 2) >= 0) {
      bitPos += 17;
      return (w << 3) >> (64 - 14);
    }
    if ((w << 3) >= 0) {
      bitPos += 25;
      return (w << 4) >> (64 - 21);
    }
    bitPos += 4;
    return readBits64();
  }

  private void readValue() {
    long w = window();
    if (w >= 0) {
      bitPos += 1;
      return;
    }
    if ((w << 1) >= 0) {
      if (windowLeading == XorChunk.NO_WINDOW) {
        throw corrupt("value code reuses a window before any was written");
      }
      bitPos += 2;
      bits ^= readBitsAny(64 - windowLeading - windowTrailing) << windowTrailing;
      return;
    }
    int leading = (int) ((w << 2) >>> (64 - 5));
    int significant = (int) ((w << 7) >>> (64 - 6)) + 1;
    if (leading + significant > 64) {
      throw corrupt("value window of " + leading + " + " + significant + " bits exceeds 64");
    }
    bitPos += 13;
    windowLeading = leading;
    windowTrailing = 64 - leading - significant;
    bits ^= readBitsAny(significant) << windowTrailing;
  }

  /** Reads one SCALED value code and sets the value (docs/formats/chunks.md, "Encoding 0x03"). */
  private void readScaledValue() {
    long w = window();
    if (w >= 0) {
      bitPos += 1;
      return;
    }
    if ((w << 1) >= 0) {
      if (windowLeading == XorChunk.NO_WINDOW) {
        throw corrupt("value code reuses a width before any was written");
      }
      bitPos += 2;
    } else if ((w << 2) >= 0) {
      windowLeading = (int) ((w << 3) >>> (64 - 6)) + 1;
      bitPos += 9;
    } else {
      windowLeading = (int) ((w << 3) >>> (64 - 6)) + 1;
      windowTrailing = (int) ((w << 9) >>> (64 - 6));
      bitPos += 15;
    }
    long z = readBitsAny(windowLeading);
    intValue += ((z >>> 1) ^ -(z & 1)) << windowTrailing;
    bits = Double.doubleToRawLongBits(intValue / scale);
  }

  private long readVarint() {
    if ((bitPos & 7) != 0) {
      throw corrupt("varint not byte-aligned");
    }
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int index = (int) (bitPos >>> 3);
      if (index >= end) {
        throw corrupt("varint runs past the end of the chunk");
      }
      int b = buf[index] & 0xff;
      bitPos += 8;
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (result >>> 1) ^ -(result & 1);
      }
    }
    throw corrupt("varint longer than 10 bytes");
  }

  private long readBits64() {
    long high = readBits(32);
    return (high << 32) | readBits(32);
  }

  private long readBitsAny(int n) {
    if (n == 0) {
      return 0;
    }
    if (n > 57) {
      long high = readBits(n - 32);
      return (high << 32) | readBits(32);
    }
    return readBits(n);
  }

  /** Reads {@code n} bits, 1 <= n <= 57, as an unsigned value. */
  private long readBits(int n) {
    long w = window();
    bitPos += n;
    return w >>> (64 - n);
  }

  /** The next bits of the stream at the top of a long; at least 57 of them are valid. */
  private long window() {
    return window(buf, end, bitPos);
  }

  /** The bits of {@code b} from bit {@code pos} at the top of a long; at least 57 are valid. */
  private static long window(byte[] b, int end, long pos) {
    int index = (int) (pos >>> 3);
    long word;
    if (index + 8 <= end) {
      word = (long) LONG_BE.get(b, index);
    } else {
      word = 0;
      for (int i = 0; i < 8; i++) {
        word <<= 8;
        if (index + i < end) {
          word |= b[index + i] & 0xff;
        }
      }
    }
    return word << (pos & 7);
  }

  private ChunkCorruptionException corrupt(String reason) {
    return new ChunkCorruptionException(reason, (int) (bitPos >>> 3) - start);
  }
}
