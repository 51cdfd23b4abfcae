package dev.nines.tsdb.block;

import dev.nines.common.Labels;
import java.util.List;

/**
 * One series to be written into a block: its labels and its chunks, in any order; the writer sorts
 * them by time. Chunks of one series must not overlap in time.
 */
public record SeriesChunks(Labels labels, List<ChunkData> chunks) {
  /** Copies the chunk list. */
  public SeriesChunks {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a series needs at least one label");
    }
    chunks = List.copyOf(chunks);
  }
}
