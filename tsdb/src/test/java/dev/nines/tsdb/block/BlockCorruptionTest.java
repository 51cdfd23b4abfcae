package dev.nines.tsdb.block;

import static dev.nines.tsdb.block.BlockFixtures.copyTree;
import static dev.nines.tsdb.block.BlockFixtures.flipByte;
import static dev.nines.tsdb.block.BlockFixtures.mappingsUnder;
import static dev.nines.tsdb.block.BlockFixtures.selectAll;
import static dev.nines.tsdb.block.BlockFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage in any part of a block is reported as BlockCorruptionException with file and offset. */
class BlockCorruptionTest {
  @TempDir Path dir;
  Path pristine;
  String id;
  int copies;

  @BeforeEach
  void writeBlock() throws IOException {
    BlockFixtures.Data data = BlockFixtures.random(31, 60, 3);
    BlockMeta meta =
        BlockWriter.write(dir.resolve("pristine"), data.series, BlockWriter.Options.defaults());
    id = meta.ulid();
    pristine = dir.resolve("pristine").resolve(id);
    try (Block b = Block.open(pristine)) {
      b.delete(0, Long.MAX_VALUE, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "db")));
    }
  }

  private Path copy() throws IOException {
    Path parent = dir.resolve("copy" + copies++);
    Files.createDirectories(parent);
    Path target = parent.resolve(id);
    copyTree(pristine, target);
    return target;
  }

  private void expectCorruption(ThrowingCallable open, String file, long offset) {
    assertThatThrownBy(open)
        .isInstanceOfSatisfying(
            BlockCorruptionException.class,
            e -> {
              assertThat(e.blockId()).isEqualTo(id);
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.offset()).isEqualTo(offset);
              assertThat(e.getMessage()).contains(id, file, "byte " + offset);
            });
  }

  private long[] sectionOffsets() throws IOException {
    byte[] index = Files.readAllBytes(pristine.resolve("index"));
    ByteBuffer b = ByteBuffer.wrap(index);
    int toc = index.length - Index.TOC_BYTES;
    return new long[] {
      b.getLong(toc), b.getLong(toc + 8), b.getLong(toc + 16), b.getLong(toc + 24)
    };
  }

  @Test
  void aFlippedByteInEachIndexSectionIsFoundAtOpen() throws IOException {
    long[] sections = sectionOffsets();
    long size = Files.size(pristine.resolve("index"));
    long[] ends = {sections[1], sections[2], sections[3], size - Index.TOC_BYTES};
    for (int s = 0; s < 4; s++) {
      for (long at : new long[] {sections[s] + 4, (sections[s] + ends[s]) / 2, ends[s] - 1}) {
        Path b = copy();
        flipByte(b.resolve("index"), at);
        expectCorruption(() -> Block.open(b).close(), "index", sections[s]);
      }
    }
    Path header = copy();
    flipByte(header.resolve("index"), 1);
    expectCorruption(() -> Block.open(header).close(), "index", 0);
    Path toc = copy();
    flipByte(toc.resolve("index"), size - 10);
    expectCorruption(() -> Block.open(toc).close(), "index", size - Index.TOC_BYTES);
    Path truncated = copy();
    truncate(truncated.resolve("index"), size - 1);
    expectCorruption(() -> Block.open(truncated).close(), "index", size - 1 - Index.TOC_BYTES);
    assertThat(mappingsUnder(dir)).as("failed opens leave nothing mapped").isZero();
  }

  @Test
  void damagedChunkSegmentsAreFound() throws IOException {
    Path segment = pristine.resolve("chunks/000001");
    long size = Files.size(segment);

    Path header = copy();
    flipByte(header.resolve("chunks/000001"), 2);
    expectCorruption(() -> Block.open(header).close(), "chunks/000001", 0);

    Path footer = copy();
    flipByte(footer.resolve("chunks/000001"), size - 3);
    expectCorruption(
        () -> Block.open(footer).close(), "chunks/000001", size - ChunkFiles.FOOTER_BYTES);

    Path truncated = copy();
    truncate(truncated.resolve("chunks/000001"), size - 100);
    expectCorruption(
        () -> Block.open(truncated).close(), "chunks/000001", size - 100 - ChunkFiles.FOOTER_BYTES);

    Path missing = copy();
    Files.delete(missing.resolve("chunks/000001"));
    Files.createDirectories(missing.resolve("chunks"));
    Files.copy(pristine.resolve("chunks/000001"), missing.resolve("chunks/000002"));
    expectCorruption(() -> Block.open(missing).close(), "chunks/000001", 0);

    // A flipped byte inside the first chunk (at offset 8, after the segment header) opens fine
    // and is found by verification and by any query that reads the chunk.
    Path body = copy();
    flipByte(body.resolve("chunks/000001"), 8 + 5);
    try (Block b = Block.open(body)) {
      expectCorruption(b::verifyChunks, "chunks/000001", 8);
      try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        expectCorruption(() -> selectAll(q), "chunks/000001", 8);
      }
    }
    assertThat(mappingsUnder(dir)).isZero();
  }

  @Test
  void damagedTombstonesAndMetaAreFound() throws IOException {
    long size = Files.size(pristine.resolve("tombstones"));
    Path tomb = copy();
    flipByte(tomb.resolve("tombstones"), size / 2);
    expectCorruption(() -> Block.open(tomb).close(), "tombstones", size - 4);

    Path truncated = copy();
    truncate(truncated.resolve("tombstones"), size - 2);
    expectCorruption(() -> Block.open(truncated).close(), "tombstones", size - 6);

    Path noMeta = copy();
    Files.delete(noMeta.resolve("meta.json"));
    expectCorruption(() -> Block.open(noMeta).close(), "meta.json", 0);

    Path badMeta = copy();
    Files.writeString(badMeta.resolve("meta.json"), "{\"ulid\": ");
    expectCorruption(() -> Block.open(badMeta).close(), "meta.json", 0);

    Path noIndex = copy();
    Files.delete(noIndex.resolve("index"));
    expectCorruption(() -> Block.open(noIndex).close(), "index", 0);
    assertThat(mappingsUnder(dir)).isZero();
  }
}
