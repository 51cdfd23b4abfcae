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
 * Nothing is allocated per sample; the array grows by doubling, so appends are amortised O(1).
 */

/**
 * A float chunk being appended to: the encoder of {@link ChunkEncoding#XOR}. Not thread-safe; the
 * head synchronises appends with readers.
 */
public final class XorChunk implements Chunk {
  /** The most samples one chunk can hold (the header count is an unsigned 16-bit integer). */
  public static final int MAX_SAMPLES = 0xffff;

  static final int HEADER_BYTES = 3;
  static final int NO_WINDOW = 0xff;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int SLACK = 8;
  private static final int DEFAULT_CAPACITY = 128;

  // The head keeps one of these per series, so the fields are kept few and small: the sample
  // count lives only in the header bytes 1..2, and the window in two bytes.
  private byte[] buf;
  private int bitLen;
  private long firstTimestamp;
  private long lastTimestamp;
  private long lastDelta;
  private long lastBits;
  private byte windowLeading;
  private byte windowTrailing;

  /** Creates an empty chunk with room for a typical chunk of about 120 samples. */
  public XorChunk() {
    this(DEFAULT_CAPACITY);
  }

  /** Creates an empty chunk whose array starts with room for {@code initialBytes} bytes. */
  public XorChunk(int initialBytes) {
    buf = new byte[Math.max(initialBytes, HEADER_BYTES) + SLACK];
    clearState();
  }

  private void clearState() {
    buf[0] = ChunkEncoding.XOR.tag();
    bitLen = HEADER_BYTES * 8;
    buf[1] = 0;
    buf[2] = 0;
    firstTimestamp = 0;
    lastTimestamp = 0;
    lastDelta = 0;
    lastBits = 0;
    windowLeading = (byte) NO_WINDOW;
    windowTrailing = 0;
  }

  private int count() {
    return ((buf[1] & 0xff) << 8) | (buf[2] & 0xff);
  }

  /** Empties this chunk for reuse, keeping its array. */
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
    switch (count) {
      case 0 -> {
        writeVarint(timestamp);
        writeBits64(bits);
        firstTimestamp = timestamp;
      }
      case 1 -> {
        long delta = timestamp - lastTimestamp;
        writeVarint(delta);
        writeValue(bits);
        lastDelta = delta;
      }
      default -> {
        if (count == MAX_SAMPLES) {
          throw new IllegalStateException(
              "chunk is full: it holds the maximum of " + MAX_SAMPLES + " samples");
        }
        long delta = timestamp - lastTimestamp;
        writeDeltaOfDelta(delta - lastDelta);
        writeValue(bits);
        lastDelta = delta;
      }
    }
    lastTimestamp = timestamp;
    lastBits = bits;
    count++;
    buf[1] = (byte) (count >>> 8);
    buf[2] = (byte) count;
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

  private void writeValue(long bits) {
    long xor = bits ^ lastBits;
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
    return ChunkEncoding.XOR;
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
    return lastBits;
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
