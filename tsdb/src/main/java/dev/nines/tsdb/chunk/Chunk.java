package dev.nines.tsdb.chunk;

/**
 * A compressed run of samples of one series, in one of the {@link ChunkEncoding}s. The bytes from
 * {@code 0} to {@link #length()} of {@link #bytes()} are the chunk as stored on disk.
 */
public sealed interface Chunk permits XorChunk {
  /** The encoding of this chunk. */
  ChunkEncoding encoding();

  /** The number of samples in this chunk. */
  int numSamples();

  /**
   * The backing array of this chunk; only the first {@link #length()} bytes are the chunk. The
   * array is owned by the chunk: do not modify it. It is replaced when the chunk grows or (an
   * adaptive {@link XorChunk}) re-encodes; the array it replaces is left as it was.
   */
  byte[] bytes();

  /** The length of the encoded chunk in bytes. */
  int length();

  /** A copy of the encoded chunk, exactly {@link #length()} bytes long. */
  byte[] toByteArray();
}
