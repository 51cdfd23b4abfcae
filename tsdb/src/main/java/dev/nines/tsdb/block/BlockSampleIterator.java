package dev.nines.tsdb.block;

import dev.nines.tsdb.chunk.ChunkCorruptionException;
import dev.nines.tsdb.chunk.XorIterator;
import dev.nines.tsdb.storage.SampleIterator;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/*
 * Design notes.
 *
 * A chunk is copied out of the map into a scratch array that the iterator keeps (it grows to the
 * largest chunk seen), its CRC32C is checked, and the reusable XorIterator decodes all of it at once
 * into two primitive arrays (timestamps and value bits) that next() then walks. So the cost per
 * chunk is one bulk copy, one checksum (both intrinsics) and one tight decoding loop, next() is an
 * array read and a few comparisons, and nothing is allocated per sample or, after warm-up, per
 * chunk. Decoding a chunk whole costs nothing extra: the encodings are sequential, so reaching any
 * sample means decoding the ones before it. A small decoding loop is also what the JIT compiles
 * early and well, which matters for the first queries after a start. Chunks that end before mint
 * are skipped by their metas without being read; the first chunk that starts after maxt ends the
 * iteration.
 *
 * Tombstones are a sorted list of inclusive intervals; since samples come in time order, a cursor
 * into that list only moves forwards, so the deleted check is amortised O(1).
 */

/** Iterates one block series' samples within a time range, hiding deleted ones. Reusable. */
final class BlockSampleIterator implements SampleIterator {
  private final XorIterator xor = new XorIterator();
  private final CRC32C crc = new CRC32C();
  private byte[] scratch = new byte[256];
  // The samples of the open chunk: [0, decoded) decoded, the next one at `at`.
  private long[] chunkTimes = new long[128];
  private long[] chunkBits = new long[128];
  private int decoded;
  private int at;

  private BlockChunks chunks;
  private long[] minT;
  private long[] maxT;
  private long[] refs;
  private int numChunks;
  private long[] deleted;
  private long mint;
  private long maxt;

  private int nextChunk;
  private long currentRef;
  private boolean inChunk;
  private int deletedCursor;
  private int state;
  private long t;
  private long bits;

  void reset(BlockSeries s) {
    this.chunks = s.chunks;
    this.minT = s.minT;
    this.maxT = s.maxT;
    this.refs = s.refs;
    this.numChunks = s.minT.length;
    this.deleted = s.deleted;
    this.mint = s.rangeMin;
    this.maxt = s.rangeMax;
    this.nextChunk = 0;
    this.inChunk = false;
    this.decoded = 0;
    this.at = 0;
    this.deletedCursor = 0;
    this.state = NONE;
    this.t = Long.MIN_VALUE;
    this.bits = 0;
  }

  @Override
  public int next() {
    while (true) {
      if (inChunk) {
        if (at < decoded) {
          long ts = chunkTimes[at];
          long b = chunkBits[at];
          at++;
          if (ts < mint) {
            continue;
          }
          if (ts > maxt) {
            return finish();
          }
          if (deleted.length > 0 && isDeleted(ts)) {
            continue;
          }
          t = ts;
          bits = b;
          state = FLOAT;
          return FLOAT;
        }
        inChunk = false;
      }
      if (!openNextChunk()) {
        return finish();
      }
    }
  }

  /** Decodes every sample of the chunk {@link #xor} was reset to into the chunk arrays. */
  private void decodeChunk() {
    int n = xor.numSamples();
    if (chunkTimes.length < n) {
      chunkTimes = new long[n];
      chunkBits = new long[n];
    }
    try {
      decoded = xor.decodeRemaining(chunkTimes, chunkBits);
    } catch (ChunkCorruptionException e) {
      throw chunks.corrupt(
          ChunkFiles.segment(currentRef), ChunkFiles.offset(currentRef), e.getMessage());
    }
    at = 0;
  }

  private int finish() {
    inChunk = false;
    nextChunk = numChunks;
    state = NONE;
    return NONE;
  }

  private boolean isDeleted(long ts) {
    long[] d = deleted;
    while (deletedCursor < d.length && ts > d[deletedCursor + 1]) {
      deletedCursor += 2;
    }
    return deletedCursor < d.length && ts >= d[deletedCursor];
  }

  private boolean openNextChunk() {
    while (nextChunk < numChunks) {
      int c = nextChunk++;
      if (maxT[c] < mint) {
        continue;
      }
      if (minT[c] > maxt) {
        nextChunk = numChunks;
        return false;
      }
      if (coveredByDeletion(minT[c], maxT[c])) {
        continue;
      }
      currentRef = refs[c];
      load(currentRef);
      inChunk = true;
      return true;
    }
    return false;
  }

  private boolean coveredByDeletion(long from, long to) {
    long[] d = deleted;
    for (int i = deletedCursor; i < d.length; i += 2) {
      if (d[i] > from) {
        return false;
      }
      if (d[i + 1] >= to) {
        return true;
      }
    }
    return false;
  }

  private void load(long ref) {
    int segment = ChunkFiles.segment(ref);
    int offset = ChunkFiles.offset(ref);
    ByteBuffer buf = chunks.segment(segment, offset);
    int end = buf.capacity() - ChunkFiles.FOOTER_BYTES;
    if (offset < ChunkFiles.HEADER_BYTES || offset >= end) {
      throw chunks.corrupt(segment, offset, "chunk reference outside the chunk data");
    }
    int len = 0;
    int pos = offset;
    for (int shift = 0; ; shift += 7) {
      if (pos >= end || shift > 28) {
        throw chunks.corrupt(segment, offset, "bad chunk length");
      }
      int b = buf.get(pos++);
      len |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    int header = pos - offset;
    if (len < 0 || len > end - pos - 4) {
      throw chunks.corrupt(segment, offset, "chunk length " + len + " runs past the chunk data");
    }
    int framed = header + len;
    if (scratch.length < framed) {
      scratch = new byte[Math.max(framed, scratch.length * 2)];
    }
    buf.get(offset, scratch, 0, framed);
    crc.reset();
    crc.update(scratch, 0, framed);
    if ((int) crc.getValue() != buf.getInt(offset + framed)) {
      throw chunks.corrupt(segment, offset, "chunk checksum does not match");
    }
    try {
      xor.reset(scratch, header, len);
    } catch (ChunkCorruptionException e) {
      throw chunks.corrupt(segment, offset, e.getMessage());
    }
    decodeChunk();
  }

  @Override
  public int seek(long target) {
    if (state == FLOAT && t >= target) {
      return FLOAT;
    }
    if (inChunk && maxT[nextChunk - 1] < target) {
      inChunk = false;
    }
    if (!inChunk) {
      while (nextChunk < numChunks && maxT[nextChunk] < target) {
        nextChunk++;
      }
    }
    int s;
    while ((s = next()) == FLOAT) {
      if (t >= target) {
        return FLOAT;
      }
    }
    return s;
  }

  @Override
  public long timestamp() {
    return t;
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(bits);
  }
}
