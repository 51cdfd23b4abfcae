package dev.nines.tsdb.wal;

import dev.nines.common.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/*
 * Design notes. One instance is owned by a writer (under its lock) or a reader. Frames are built in
 * place: the 9 header bytes are reserved, the payload appended, then the header filled in with the
 * length and the CRC32C of header bytes 0..4 plus the payload. Payload layouts are in
 * docs/formats/wal.md. Decoding checks every length against the payload end and reports a
 * malformed payload by message, which the reader turns into corruption at the frame's offset.
 */

/** Encodes and decodes WAL frames and their payloads. */
final class RecordCodec {
  /** The most bytes one sample takes in a SAMPLES payload: two 10-byte varints and 8 bytes. */
  static final int MAX_SAMPLE_BYTES = 28;

  static final int SAMPLES_HEADER_BYTES = 16;

  private byte[] buf = new byte[4096];
  private int pos;
  private final CRC32C crc = new CRC32C();

  /** Malformed payload inside a frame whose checksum is valid. */
  static final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedRecordException(String message) {
      super(message);
    }
  }

  byte[] buffer() {
    return buf;
  }

  int frameLength() {
    return pos;
  }

  int payloadLength() {
    return pos - Segments.FRAME_HEADER_BYTES;
  }

  /** Drops what was appended after {@code frameLength}. */
  void truncate(int frameLength) {
    pos = frameLength;
  }

  void startFrame(byte type) {
    pos = Segments.FRAME_HEADER_BYTES;
    buf[0] = type;
  }

  void finishFrame() {
    int len = payloadLength();
    putIntAt(1, len);
    crc.reset();
    crc.update(buf, 0, 5);
    crc.update(buf, Segments.FRAME_HEADER_BYTES, len);
    putIntAt(5, (int) crc.getValue());
  }

  int crcOf(byte[] header, byte[] payload, int len) {
    crc.reset();
    crc.update(header, 0, 5);
    crc.update(payload, 0, len);
    return (int) crc.getValue();
  }

  private void ensure(int extra) {
    if (pos + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
    }
  }

  private void putIntAt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  void putLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[pos++] = (byte) (v >>> shift);
    }
  }

  void putUvarint(long v) {
    ensure(10);
    while ((v & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void putVarint(long v) {
    putUvarint((v << 1) ^ (v >> 63));
  }

  private void putString(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  void putSeries(SeriesRecord s) {
    putLong(s.ref());
    Labels labels = s.labels();
    putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      putString(labels.name(i));
      putString(labels.value(i));
    }
  }

  // Decoding.

  static final class Cursor {
    private final byte[] b;
    private int p;
    private final int end;

    Cursor(byte[] b, int len) {
      this.b = b;
      this.end = len;
    }

    boolean more() {
      return p < end;
    }

    long getLong() throws MalformedRecordException {
      if (end - p < 8) {
        throw new MalformedRecordException("payload ends inside an 8-byte field at " + p);
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[p++] & 0xff);
      }
      return v;
    }

    long getUvarint() throws MalformedRecordException {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end) {
          throw new MalformedRecordException("payload ends inside a varint at " + p);
        }
        int x = b[p++] & 0xff;
        result |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return result;
        }
      }
      throw new MalformedRecordException("varint longer than 10 bytes at " + p);
    }

    long getVarint() throws MalformedRecordException {
      long v = getUvarint();
      return (v >>> 1) ^ -(v & 1);
    }

    String getString() throws MalformedRecordException {
      long len = getUvarint();
      if (len > end - p) {
        throw new MalformedRecordException("string of " + len + " bytes runs past the payload");
      }
      String s = new String(b, p, (int) len, StandardCharsets.UTF_8);
      p += (int) len;
      return s;
    }
  }

  static List<SeriesRecord> decodeSeries(byte[] payload, int len) throws MalformedRecordException {
    Cursor c = new Cursor(payload, len);
    List<SeriesRecord> out = new ArrayList<>();
    Labels.Builder builder = Labels.builder();
    while (c.more()) {
      long ref = c.getLong();
      long n = c.getUvarint();
      if (n > len) {
        throw new MalformedRecordException("label count " + n + " larger than the payload");
      }
      builder.reset();
      for (long i = 0; i < n; i++) {
        String name = c.getString();
        String value = c.getString();
        if (builder.get(name) != null) {
          throw new MalformedRecordException("label name \"" + name + "\" repeated");
        }
        builder.set(name, value);
      }
      out.add(new SeriesRecord(ref, builder.build()));
    }
    if (out.isEmpty()) {
      throw new MalformedRecordException("SERIES record with no series");
    }
    return out;
  }

  static void decodeSamples(byte[] payload, int len, SampleBatch into)
      throws MalformedRecordException {
    into.clear();
    Cursor c = new Cursor(payload, len);
    long baseRef = c.getLong();
    long baseTime = c.getLong();
    while (c.more()) {
      long ref = baseRef + c.getVarint();
      long t = baseTime + c.getVarint();
      into.add(ref, t, c.getLong());
    }
    if (into.size() == 0) {
      throw new MalformedRecordException("SAMPLES record with no samples");
    }
  }
}
