package dev.nines.tsdb.block;

import dev.nines.tsdb.chunk.ChunkEncoding;
import dev.nines.tsdb.chunk.XorChunk;
import dev.nines.tsdb.storage.SampleIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * One encoded chunk to be written into a block: the bytes exactly as {@code docs/formats/chunks.md}
 * defines them, and the timestamps of its first and last sample.
 *
 * @param minTime the timestamp of the first sample, in milliseconds
 * @param maxTime the timestamp of the last sample, in milliseconds
 * @param bytes the encoded chunk (tag, count, bit stream); not copied, do not modify
 */
@SuppressWarnings("ArrayRecordComponent") // a value carrier for the writer; equality is not used
public record ChunkData(long minTime, long maxTime, byte[] bytes) {
  /** Validates the time range and the header. */
  public ChunkData {
    if (minTime > maxTime) {
      throw new IllegalArgumentException(
          "chunk minTime " + minTime + " is after its maxTime " + maxTime);
    }
    if (bytes.length < 3) {
      throw new IllegalArgumentException("chunk of " + bytes.length + " bytes has no header");
    }
    ChunkEncoding.fromTag(bytes[0]);
  }

  /**
   * A copy of a non-empty in-memory chunk, in the encoding it has: XOR, or SCALED for a head chunk
   * (the block writer then picks FOR where that is smaller).
   */
  public static ChunkData of(XorChunk chunk) {
    if (chunk.numSamples() == 0) {
      throw new IllegalArgumentException("an empty chunk cannot be written into a block");
    }
    return new ChunkData(chunk.firstTimestamp(), chunk.lastTimestamp(), chunk.toByteArray());
  }

  /** The number of samples, from the chunk header. */
  public int numSamples() {
    return ((bytes[1] & 0xff) << 8) | (bytes[2] & 0xff);
  }

  /**
   * Encodes samples {@code from} (inclusive) to {@code to} (exclusive) of parallel arrays, in
   * ascending time, into chunks of at most {@code samplesPerChunk} samples; used where samples
   * arrive as arrays (backfill imports). The chunks are XOR; the block writer picks FOR where that
   * is smaller.
   */
  public static List<ChunkData> encode(
      long[] times, double[] values, int from, int to, int samplesPerChunk) {
    List<ChunkData> out = new ArrayList<>();
    XorChunk chunk = new XorChunk(64);
    for (int i = from; i < to; i++) {
      if (chunk.numSamples() >= samplesPerChunk) {
        out.add(of(chunk));
        chunk = new XorChunk(64);
      }
      chunk.append(times[i], values[i]);
    }
    if (chunk.numSamples() > 0) {
      out.add(of(chunk));
    }
    return out;
  }

  /**
   * Encodes every sample an iterator yields into chunks of at most {@code samplesPerChunk} samples,
   * cutting also where the samples cross a {@code chunkRange} boundary (aligned to the epoch), as
   * the head does; used when samples are merged or filtered (compaction, out-of-order data,
   * deletion).
   */
  public static List<ChunkData> encode(SampleIterator it, int samplesPerChunk, long chunkRange) {
    List<ChunkData> out = new ArrayList<>();
    XorChunk chunk = null;
    long window = 0;
    while (it.next() != SampleIterator.NONE) {
      long t = it.timestamp();
      if (chunk != null
          && (chunk.numSamples() >= samplesPerChunk || Math.floorDiv(t, chunkRange) != window)) {
        out.add(of(chunk));
        chunk = null;
      }
      if (chunk == null) {
        chunk = new XorChunk(64);
        window = Math.floorDiv(t, chunkRange);
      }
      chunk.append(t, it.value());
    }
    if (chunk != null) {
      out.add(of(chunk));
    }
    return out;
  }
}
