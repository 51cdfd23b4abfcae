package dev.nines.tsdb.chunk;

/**
 * A chunk whose bytes do not decode: an unknown tag, a count that needs more bits than the chunk
 * holds, or an impossible code. Carries the byte offset where decoding failed.
 */
public final class ChunkCorruptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int byteOffset;

  /** Creates the exception for damage found at {@code byteOffset} within the chunk. */
  public ChunkCorruptionException(String reason, int byteOffset) {
    super("corrupt chunk at byte " + byteOffset + ": " + reason);
    this.byteOffset = byteOffset;
  }

  /** The byte offset within the chunk where decoding failed. */
  public int byteOffset() {
    return byteOffset;
  }
}
