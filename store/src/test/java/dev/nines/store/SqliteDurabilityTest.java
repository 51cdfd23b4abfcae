package dev.nines.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store acknowledged survives {@code kill -9}: a child JVM writes silences and prints each
 * id after its commit returns; the test kills it with SIGKILL mid-stream, reopens the store and
 * finds every printed id.
 */
class SqliteDurabilityTest {
  private static final int ROUNDS = 5;

  @TempDir Path dir;

  @Test
  void acknowledgedWritesSurviveKill9() throws Exception {
    Path dataDir = dir.resolve("data");
    Set<String> acknowledged = new HashSet<>();
    for (int round = 0; round < ROUNDS; round++) {
      acknowledged.addAll(runAndKill(dataDir, round));
      try (Store store = Store.open(new StoreConfig(null, dataDir, 1, Duration.ofSeconds(5)))) {
        Set<String> stored = new HashSet<>();
        store.silences().list().forEach(s -> stored.add(s.id()));
        assertThat(stored).as("after round %d", round).containsAll(acknowledged);
      }
    }
    assertThat(acknowledged).hasSizeGreaterThan(ROUNDS * 10);
  }

  /** Starts a child that writes, reads a random number of acknowledged ids, and kills it. */
  private static List<String> runAndKill(Path dataDir, int round) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path stderr = Files.createTempFile(dataDir.getParent(), "child-" + round, ".err");
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                DurabilityChild.class.getName(),
                dataDir.toString())
            .redirectError(stderr.toFile())
            .start();
    List<String> ids = new ArrayList<>();
    int target = ThreadLocalRandom.current().nextInt(20, 200);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line = in.readLine();
      if (!"READY".equals(line)) {
        throw new AssertionError("child did not start (" + line + "): " + Files.readString(stderr));
      }
      while (ids.size() < target) {
        line = in.readLine();
        if (line == null) {
          throw new AssertionError("child ended early: " + Files.readString(stderr));
        }
        ids.add(line);
      }
      // SIGKILL while it keeps writing. Through the handle, because Process.destroyForcibly()
      // also closes our end of the pipe, losing ids the child printed just before it died.
      child.toHandle().destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // Ids printed between our last read and the kill were acknowledged too.
      while ((line = in.readLine()) != null) {
        if (line.length() == 36) {
          ids.add(line);
        }
      }
    } catch (IOException e) {
      throw new AssertionError("reading the child's output failed", e);
    } finally {
      child.destroyForcibly();
    }
    assertThat(child.exitValue()).isEqualTo(137);
    return ids;
  }
}
