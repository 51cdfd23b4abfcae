package dev.nines.tsdb.block;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A reusable cursor over a range of a mapped block file that decodes the integer encodings of the
 * block formats. Every read is bounds-checked against the range; a read past it throws a {@link
 * BlockCorruptionException} naming the file and offset. Absolute reads only, so one mapped buffer
 * can be shared by many decoders on many threads.
 */
final class Decoder {
  private final String blockId;
  private final String file;
  private ByteBuffer buf;
  private int pos;
  private int end;

  Decoder(String blockId, String file, ByteBuffer buf) {
    this.blockId = blockId;
    this.file = file;
    this.buf = buf;
    this.end = buf.capacity();
  }

  /** Positions the cursor at {@code pos}, allowing reads up to {@code end} (exclusive). */
  Decoder reset(int pos, int end) {
    if (pos < 0 || end > buf.capacity() || pos > end) {
      throw corrupt(pos, "range [" + pos + ", " + end + ") outside the file");
    }
    this.pos = pos;
    this.end = end;
    return this;
  }

  Decoder reset(ByteBuffer buffer, int pos, int end) {
    this.buf = buffer;
    return reset(pos, end);
  }

  int position() {
    return pos;
  }

  int end() {
    return end;
  }

  boolean hasRemaining() {
    return pos < end;
  }

  int u8() {
    need(1);
    return buf.get(pos++) & 0xff;
  }

  int u32() {
    need(4);
    int v = buf.getInt(pos);
    pos += 4;
    return v;
  }

  long u64() {
    need(8);
    long v = buf.getLong(pos);
    pos += 8;
    return v;
  }

  long uvarint() {
    long result = 0;
    int start = pos;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw corrupt(start, "varint runs past the end of its section");
      }
      int b = buf.get(pos++);
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw corrupt(start, "varint longer than 10 bytes");
  }

  /** A uvarint that must fit in a non-negative int. */
  int uvarintInt() {
    int start = pos;
    long v = uvarint();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw corrupt(start, "value " + Long.toUnsignedString(v) + " out of range");
    }
    return (int) v;
  }

  long varint() {
    long v = uvarint();
    return (v >>> 1) ^ -(v & 1);
  }

  /** Reads a uvarint length and that many UTF-8 bytes. */
  String string() {
    int len = uvarintInt();
    need(len);
    byte[] b = new byte[len];
    buf.get(pos, b, 0, len);
    pos += len;
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Skips a uvarint length and that many bytes. */
  void skipString() {
    int len = uvarintInt();
    need(len);
    pos += len;
  }

  void skip(int n) {
    need(n);
    pos += n;
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw corrupt(pos, "needs " + n + " bytes, only " + (end - pos) + " left in the section");
    }
  }

  BlockCorruptionException corrupt(long offset, String reason) {
    return new BlockCorruptionException(blockId, file, offset, reason);
  }
}
