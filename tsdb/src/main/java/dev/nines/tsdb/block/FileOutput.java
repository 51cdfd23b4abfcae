package dev.nines.tsdb.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A buffered, position-tracking writer of a new block file, with a running CRC32C over the bytes
 * written since {@link #resetCrc()} and the integer encodings of the block formats (big-endian
 * fixed width, LEB128 uvarint, ZigZag varint).
 */
final class FileOutput implements Closeable {
  private final FileChannel ch;
  private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
  private final CRC32C crc = new CRC32C();
  private long flushed;
  private int crcMark;

  FileOutput(Path file) throws IOException {
    this.ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
  }

  /** The number of bytes written so far, which is the offset of the next byte. */
  long position() {
    return flushed + buf.position();
  }

  void resetCrc() {
    flushCrc();
    crc.reset();
  }

  /** The CRC32C of the bytes written since the last {@link #resetCrc()}. */
  int crc() {
    flushCrc();
    return (int) crc.getValue();
  }

  private void flushCrc() {
    if (buf.position() > crcMark) {
      crc.update(buf.array(), crcMark, buf.position() - crcMark);
    }
    crcMark = buf.position();
  }

  private void ensure(int n) throws IOException {
    if (buf.remaining() < n) {
      flush();
    }
  }

  private void flush() throws IOException {
    flushCrc();
    buf.flip();
    while (buf.hasRemaining()) {
      flushed += ch.write(buf);
    }
    buf.clear();
    crcMark = 0;
  }

  void u8(int v) throws IOException {
    ensure(1);
    buf.put((byte) v);
  }

  void u32(int v) throws IOException {
    ensure(4);
    buf.putInt(v);
  }

  void u64(long v) throws IOException {
    ensure(8);
    buf.putLong(v);
  }

  void uvarint(long v) throws IOException {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf.put((byte) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    buf.put((byte) v);
  }

  void varint(long v) throws IOException {
    uvarint((v << 1) ^ (v >> 63));
  }

  void bytes(byte[] b, int off, int len) throws IOException {
    if (len > buf.capacity()) {
      flush();
      crc.update(b, off, len);
      ByteBuffer wrap = ByteBuffer.wrap(b, off, len);
      while (wrap.hasRemaining()) {
        flushed += ch.write(wrap);
      }
      return;
    }
    ensure(len);
    buf.put(b, off, len);
  }

  /** Writes a string as uvarint byte length and UTF-8 bytes. */
  void string(String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    uvarint(b.length);
    bytes(b, 0, b.length);
  }

  /** Overwrites 4 bytes at an earlier position (outside the running CRC). */
  void patchU32(long pos, int v) throws IOException {
    flush();
    ByteBuffer b = ByteBuffer.allocate(4).putInt(0, v);
    while (b.hasRemaining()) {
      ch.write(b, pos + b.position());
    }
  }

  /** Flushes buffered bytes and forces the file's content and metadata to disk. */
  void sync() throws IOException {
    flush();
    ch.force(true);
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      ch.close();
    }
  }

  /** The encoded size of a uvarint. */
  static int uvarintSize(long v) {
    int n = 1;
    while ((v & ~0x7fL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }
}
