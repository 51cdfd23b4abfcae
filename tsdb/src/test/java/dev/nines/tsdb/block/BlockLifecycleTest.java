package dev.nines.tsdb.block;

import static dev.nines.tsdb.block.BlockFixtures.copyTree;
import static dev.nines.tsdb.block.BlockFixtures.mappingsUnder;
import static dev.nines.tsdb.block.BlockFixtures.openFileDescriptors;
import static dev.nines.tsdb.block.BlockFixtures.selectAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import dev.nines.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash leftovers are cleaned up, incomplete blocks stay invisible, and close releases all. */
class BlockLifecycleTest {
  @TempDir Path dir;

  @Test
  void temporaryLeftoversAreDeletedAndIncompleteBlocksAreNotListed() throws IOException {
    BlockFixtures.Data data = BlockFixtures.random(41, 30, 2);
    BlockMeta complete = BlockWriter.write(dir, data.series, BlockWriter.Options.defaults());

    // A crash while writing: a partial <id>.tmp folder (no meta.json, half the index).
    String crashedId = BlockIds.next(System.currentTimeMillis());
    Path crashed = dir.resolve(crashedId + ".tmp");
    copyTree(dir.resolve(complete.ulid()), crashed);
    Files.delete(crashed.resolve("meta.json"));
    BlockFixtures.truncate(crashed.resolve("index"), 10);
    // A block folder without meta.json (for instance a partial copy by hand).
    String noMetaId = BlockIds.next(System.currentTimeMillis());
    copyTree(dir.resolve(complete.ulid()), dir.resolve(noMetaId));
    Files.delete(dir.resolve(noMetaId).resolve("meta.json"));
    // A crash in the middle of a delete: a tombstones.tmp inside the complete block.
    Files.write(dir.resolve(complete.ulid()).resolve("tombstones.tmp"), new byte[] {1, 2, 3});
    // Something else that is not ours.
    Files.createDirectories(dir.resolve("unrelated.tmp"));

    assertThat(Blocks.list(dir)).containsExactly(dir.resolve(complete.ulid()));
    assertThat(Blocks.cleanupTemporary(dir)).isEqualTo(2);
    assertThat(Files.exists(crashed)).isFalse();
    assertThat(Files.exists(dir.resolve(complete.ulid()).resolve("tombstones.tmp"))).isFalse();
    assertThat(Files.exists(dir.resolve("unrelated.tmp"))).isTrue();
    assertThat(Blocks.list(dir)).containsExactly(dir.resolve(complete.ulid()));
    try (Block b = Block.open(dir.resolve(complete.ulid()));
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(selectAll(q)).hasSize(30);
    }
  }

  @Test
  void closeUnmapsEverythingAndHoldsNoFileDescriptors() throws Exception {
    BlockFixtures.Data data = BlockFixtures.random(43, 200, 4);
    BlockMeta meta =
        BlockWriter.write(
            dir, data.series, BlockWriter.Options.defaults().withMaxSegmentBytes(4096));
    Path blockDir = dir.resolve(meta.ulid());
    // Warm up class loading and the JDK's lazily opened files.
    try (Block b = Block.open(blockDir)) {
      b.verifyChunks();
    }
    long fds = openFileDescriptors();
    long maps = mappingsUnder(dir);
    assertThat(maps).isZero();

    Block block = Block.open(blockDir);
    assertThat(openFileDescriptors()).as("an open block holds no descriptors").isEqualTo(fds);
    if (MappedFile.ARENA_MAPPING) {
      assertThat(mappingsUnder(dir)).isGreaterThan(1);
    }
    Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE);
    assertThat(selectAll(q)).hasSize(200);
    block.delete(
        0, Long.MAX_VALUE, List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "api")));

    // close() waits for the open querier.
    CountDownLatch closed = new CountDownLatch(1);
    Thread closer =
        new Thread(
            () -> {
              block.close();
              closed.countDown();
            });
    closer.start();
    assertThat(closed.await(200, TimeUnit.MILLISECONDS)).as("close waits for queriers").isFalse();
    assertThat(selectAll(q)).hasSize(200);
    q.close();
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    closer.join();

    assertThat(mappingsUnder(dir)).as("mappings of the block after close").isEqualTo(maps);
    assertThat(openFileDescriptors()).isEqualTo(fds);
    assertThatThrownBy(() -> block.querier(0, 1)).isInstanceOf(IllegalStateException.class);
    block.close(); // idempotent
  }
}
