package dev.nines.tsdb.wal;

import static dev.nines.tsdb.wal.WalFixtures.openFileDescriptors;
import static dev.nines.tsdb.wal.WalFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.tsdb.wal.WalFixtures.Recorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file handle and thread the WAL opens is released on close, on every path. */
class WalLeakTest {
  @TempDir Path dir;

  @Test
  void nothingStaysOpenAfterWritingReplayingRepairingAndCheckpointing() throws IOException {
    warmUp();
    long before = openFileDescriptors();
    for (FsyncPolicy policy : FsyncPolicy.values()) {
      Path d = dir.resolve(policy.name());
      try (WalWriter w = WalWriter.open(d, small(policy))) {
        WalFixtures.writeWorkload(w, 1, 20, 60);
        int upTo = w.cutSegment() - 1;
        w.checkpoint(upTo, ref -> ref % 2 == 0, Long.MIN_VALUE);
        WalFixtures.writeWorkload(w, 2, 20, 20);
      }
      // Damage: a torn tail in the last segment and corruption in the first one after the
      // checkpoint, both repaired.
      Path last = d.resolve(Segments.name(Segments.list(d).getLast()));
      WalFixtures.truncate(last, Files.size(last) - 2);
      WalFixtures.flipByte(d.resolve(Segments.name(Segments.list(d).getFirst())), 12, 0x01);
      ReplayResult r = WalReader.replay(d, new Recorder(), RepairMode.MOVE_ASIDE);
      assertThat(r.tailTruncations()).isEqualTo(1);
      assertThat(r.corruptionsRepaired()).isEqualTo(1);
      try {
        WalReader.replay(d, new Recorder(), RepairMode.STRICT);
      } catch (WalCorruptionException e) {
        throw new AssertionError("repair left damage behind", e);
      }
    }
    assertThat(openFileDescriptors()).isEqualTo(before);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("nines-wal-flusher") && t.isAlive());
  }

  @Test
  void strictReplayThatThrowsClosesItsFiles() throws IOException {
    warmUp();
    Path d = dir.resolve("strict");
    try (WalWriter w = WalWriter.open(d, small(FsyncPolicy.NONE))) {
      WalFixtures.writeWorkload(w, 3, 20, 60);
    }
    WalFixtures.flipByte(d.resolve(Segments.name(0)), 12, 0x01);
    long before = openFileDescriptors();
    for (int i = 0; i < 3; i++) {
      try {
        WalReader.replay(d, new Recorder(), RepairMode.STRICT);
        throw new AssertionError("expected corruption");
      } catch (WalCorruptionException expected) {
        assertThat(expected.segment()).isZero();
      }
    }
    assertThat(openFileDescriptors()).isEqualTo(before);
  }

  /** Loads classes and opens the JDK's own lazily opened files before counting. */
  private void warmUp() throws IOException {
    Path d = dir.resolve("warmup");
    try (WalWriter w = WalWriter.open(d, small(FsyncPolicy.BATCH))) {
      WalFixtures.writeWorkload(w, 0, 2, 2);
    }
    WalReader.replay(d, new Recorder(), RepairMode.STRICT);
  }
}
