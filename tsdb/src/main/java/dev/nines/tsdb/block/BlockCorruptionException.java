package dev.nines.tsdb.block;

/**
 * Damage in a persistent block: a checksum that does not match, a structure that does not decode,
 * or a missing or truncated file. Carries the block id, the file inside the block folder (such as
 * {@code index} or {@code chunks/000001}) and the byte offset where the damage was found.
 *
 * <p>Unchecked, because a block is read through memory maps: damage in a chunk surfaces while a
 * query iterates samples, where the {@link dev.nines.tsdb.storage.SampleIterator} seam has no
 * checked exceptions. Opening a block checks every checksum it can check cheaply (all index
 * sections, chunk file headers and footers, tombstones), so most damage is reported at open.
 */
public final class BlockCorruptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String blockId;
  private final String file;
  private final long offset;
  private final String reason;

  /**
   * Creates the exception for damage at byte {@code offset} of {@code file} in block {@code
   * blockId}.
   */
  public BlockCorruptionException(String blockId, String file, long offset, String reason) {
    this(blockId, file, offset, reason, null);
  }

  /**
   * As {@link #BlockCorruptionException(String, String, long, String)}, with the underlying cause.
   */
  public BlockCorruptionException(
      String blockId, String file, long offset, String reason, Throwable cause) {
    super(
        "block " + blockId + ": corruption in " + file + " at byte " + offset + ": " + reason,
        cause);
    this.blockId = blockId;
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }

  /** The id of the damaged block (its folder name). */
  public String blockId() {
    return blockId;
  }

  /** The damaged file, relative to the block folder, with {@code /} as separator. */
  public String file() {
    return file;
  }

  /** The byte offset in {@link #file()} where the damage was found. */
  public long offset() {
    return offset;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }
}
