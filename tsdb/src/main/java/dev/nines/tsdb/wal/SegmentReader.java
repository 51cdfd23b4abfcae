package dev.nines.tsdb.wal;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/*
 * Design notes. Frames are read with positional reads through a 1 MiB window, so a segment of small
 * records costs one read syscall per MiB, and a damaged segment can be scanned byte by byte for the
 * next valid frame without re-reading the file. A payload larger than the window is read directly
 * into the payload array.
 */

/** Reads and checks the frames of one segment file. */
final class SegmentReader implements Closeable {
  enum Status {
    VALID,
    END,
    BAD
  }

  private static final int WINDOW_BYTES = 1 << 20;

  private final FileChannel channel;
  private final long size;
  private final RecordCodec codec = new RecordCodec();
  private final byte[] window = new byte[WINDOW_BYTES];
  private long windowStart;
  private int windowLen;
  private final byte[] header = new byte[Segments.FRAME_HEADER_BYTES];
  private byte[] payload = new byte[4096];

  private byte type;
  private int length;
  private String problem = "";
  private boolean checksumValid;

  SegmentReader(Path file) throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.READ);
    size = channel.size();
  }

  long size() {
    return size;
  }

  byte type() {
    return type;
  }

  int length() {
    return length;
  }

  byte[] payload() {
    return payload;
  }

  String problem() {
    return problem;
  }

  /** Whether the last BAD frame had a matching checksum (so its boundaries can be trusted). */
  boolean checksumValid() {
    return checksumValid;
  }

  /** Reads and checks the frame at {@code at}. */
  Status readFrame(long at) throws IOException {
    checksumValid = false;
    if (at >= size) {
      return Status.END;
    }
    if (size - at < Segments.FRAME_HEADER_BYTES) {
      problem = "frame header cut short: " + (size - at) + " of 9 bytes";
      return Status.BAD;
    }
    read(at, header, 0, Segments.FRAME_HEADER_BYTES);
    type = header[0];
    long len = readInt(header, 1) & 0xffffffffL;
    int storedCrc = readInt(header, 5);
    long room = size - at - Segments.FRAME_HEADER_BYTES;
    if (len == 0) {
      problem = "record length 0";
      return Status.BAD;
    }
    if (len > room) {
      problem = "record length " + len + " runs past the end of the segment (" + room + " left)";
      return Status.BAD;
    }
    length = (int) len;
    if (payload.length < length) {
      payload = new byte[Math.max(length, payload.length * 2)];
    }
    read(at + Segments.FRAME_HEADER_BYTES, payload, 0, length);
    if (codec.crcOf(header, payload, length) != storedCrc) {
      problem = "checksum mismatch";
      return Status.BAD;
    }
    checksumValid = true;
    if (!Segments.isKnownType(type)) {
      problem = "unknown record type " + (type & 0xff);
      return Status.BAD;
    }
    return Status.VALID;
  }

  /** The offset of the first valid frame at or after {@code from}, or -1 if there is none. */
  long findNextValid(long from) throws IOException {
    for (long at = from; at + Segments.FRAME_HEADER_BYTES < size; at++) {
      read(at, header, 0, 1);
      if (Segments.isKnownType(header[0]) && readFrame(at) == Status.VALID) {
        return at;
      }
    }
    return -1;
  }

  private void read(long at, byte[] dst, int off, int len) throws IOException {
    if (at >= windowStart && at + len <= windowStart + windowLen) {
      System.arraycopy(window, (int) (at - windowStart), dst, off, len);
      return;
    }
    if (len > WINDOW_BYTES / 2) {
      readFully(ByteBuffer.wrap(dst, off, len), at);
      return;
    }
    int n = (int) Math.min(WINDOW_BYTES, size - at);
    readFully(ByteBuffer.wrap(window, 0, n), at);
    windowStart = at;
    windowLen = n;
    System.arraycopy(window, 0, dst, off, len);
  }

  private void readFully(ByteBuffer dst, long at) throws IOException {
    long p = at;
    while (dst.hasRemaining()) {
      int n = channel.read(dst, p);
      if (n < 0) {
        throw new EOFException("segment shrank while being read at byte " + p);
      }
      p += n;
    }
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
