package dev.nines.tsdb.chunk;

/** The encoding of a chunk, stored as the tag in its first byte. */
public enum ChunkEncoding {
  /** Float samples: delta-of-delta timestamps and XOR-ed values. */
  XOR((byte) 0x01),

  /**
   * Float samples that are integers divided by a power of ten: frame-of-reference timestamp and
   * value deltas. Written into blocks only (see {@link ForChunk}).
   */
  FOR((byte) 0x02),

  /**
   * Float samples that are integers divided by a power of ten: XOR's timestamps and the integers'
   * deltas in an adaptive bit width. Appendable; the head's chunks use it while their values allow
   * (see {@link XorChunk#adaptive}).
   */
  SCALED((byte) 0x03);

  private final byte tag;

  ChunkEncoding(byte tag) {
    this.tag = tag;
  }

  /** The tag byte that starts a chunk of this encoding. */
  public byte tag() {
    return tag;
  }

  /**
   * The encoding with the given tag byte.
   *
   * @throws ChunkCorruptionException if no encoding has that tag
   */
  public static ChunkEncoding fromTag(byte tag) {
    if (tag == XOR.tag) {
      return XOR;
    }
    if (tag == FOR.tag) {
      return FOR;
    }
    if (tag == SCALED.tag) {
      return SCALED;
    }
    throw new ChunkCorruptionException(
        "unknown chunk encoding tag 0x" + Integer.toHexString(tag & 0xff), 0);
  }
}
