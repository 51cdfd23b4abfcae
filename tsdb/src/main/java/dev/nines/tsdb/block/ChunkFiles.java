package dev.nines.tsdb.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The chunk segment files of a block ({@code chunks/000001}, ...): constants, names, and the
 * writer. Format in {@code docs/formats/block.md}.
 */
final class ChunkFiles {
  static final int MAGIC = 0x4E43484B; // "NCHK"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 8;
  static final int FOOTER_BYTES = 16;
  static final String DIR = "chunks";

  private ChunkFiles() {}

  /** The file name of segment {@code number} (1-based): six digits, zero-padded. */
  static String name(int number) {
    return String.format("%06d", number);
  }

  /** The segment number of a file name, or -1 when the name is not a segment name. */
  static int parse(String name) {
    if (name.length() != 6) {
      return -1;
    }
    for (int i = 0; i < 6; i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(name);
  }

  /** A chunk reference: the segment number in the high 32 bits, the byte offset in the low. */
  static long ref(int segment, int offset) {
    return ((long) segment << 32) | (offset & 0xffffffffL);
  }

  static int segment(long ref) {
    return (int) (ref >>> 32);
  }

  static int offset(long ref) {
    return (int) ref;
  }

  /** The bytes a chunk of {@code length} bytes takes in a segment, framing included. */
  static long framedSize(int length) {
    return FileOutput.uvarintSize(length) + (long) length + 4;
  }

  /** Writes chunks into consecutive segments no larger than {@code maxSegmentBytes}. */
  static final class Writer implements Closeable {
    private final Path dir;
    private final long maxSegmentBytes;
    private FileOutput out;
    private int segment;
    private int chunksInSegment;

    Writer(Path dir, long maxSegmentBytes) {
      this.dir = dir;
      this.maxSegmentBytes = maxSegmentBytes;
    }

    /** Appends a chunk and returns its reference. */
    long write(byte[] chunk) throws IOException {
      long size = framedSize(chunk.length);
      if (out == null || out.position() + size + FOOTER_BYTES > maxSegmentBytes) {
        cut();
      }
      long offset = out.position();
      out.resetCrc();
      out.uvarint(chunk.length);
      out.bytes(chunk, 0, chunk.length);
      out.u32(out.crc());
      chunksInSegment++;
      return ref(segment, (int) offset);
    }

    private void cut() throws IOException {
      finishSegment();
      segment++;
      out = new FileOutput(dir.resolve(name(segment)));
      out.u32(MAGIC);
      out.u8(VERSION);
      out.u8(0);
      out.u8(0);
      out.u8(0);
      chunksInSegment = 0;
    }

    private void finishSegment() throws IOException {
      if (out == null) {
        return;
      }
      long dataEnd = out.position();
      out.resetCrc();
      out.u64(dataEnd);
      out.u32(chunksInSegment);
      out.u32(out.crc());
      out.sync();
      out.close();
      out = null;
    }

    /** Finishes and fsyncs the last segment. */
    void finish() throws IOException {
      finishSegment();
    }

    @Override
    public void close() throws IOException {
      if (out != null) {
        out.close();
        out = null;
      }
    }
  }
}
