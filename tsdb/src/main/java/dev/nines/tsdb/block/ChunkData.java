package dev.nines.tsdb.block;

import dev.nines.tsdb.chunk.ChunkEncoding;
import dev.nines.tsdb.chunk.XorChunk;

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

  /** A copy of a non-empty in-memory chunk. */
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
}
