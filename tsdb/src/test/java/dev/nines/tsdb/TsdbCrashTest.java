package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.tsdb.TsdbFixtures.Sample;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety (issue 3): a child JVM appends continuously and is killed with SIGKILL at a random
 * moment; after every kill the folder must open and every acknowledged sample must be read back.
 */
class TsdbCrashTest {
  static final int ROUNDS = 22;

  @TempDir Path dir;
  @TempDir Path logs;

  @Test
  void everyAcknowledgedSampleSurvivesKillNine() throws Exception {
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    List<Long> acked = new ArrayList<>();
    long next = 0;
    for (int round = 0; round < ROUNDS; round++) {
      FsyncPolicy policy = round % 4 == 3 ? FsyncPolicy.BATCH : FsyncPolicy.NONE;
      List<Long> ackedNow = runAndKill(round, policy, next, 100 + random.nextInt(501));
      if (ackedNow.isEmpty()) {
        throw new AssertionError(
            "round "
                + round
                + ": the writer acknowledged nothing; its stderr:\n"
                + Files.readString(logs.resolve("stderr-" + round + ".txt")));
      }
      acked.addAll(ackedNow);
      next = ackedNow.getLast() + 1;
      try (Tsdb db = Tsdb.open(dir, options(policy))) {
        check(readAll(db), acked, round);
      }
    }
  }

  private static TsdbOptions options(FsyncPolicy policy) {
    return TsdbOptions.defaults()
        .withWal(WalOptions.defaults().withFsyncPolicy(policy).withMaxSegmentBytes(1 << 20));
  }

  /** Starts the writer, lets it run for {@code millis} after its first ack, kills it. */
  private List<Long> runAndKill(int round, FsyncPolicy policy, long first, int millis)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriter.class.getName(),
            dir.toString(),
            policy.name(),
            Long.toString(first));
    pb.redirectError(logs.resolve("stderr-" + round + ".txt").toFile());
    Process child = pb.start();
    List<Long> acked = new ArrayList<>();
    CompletableFuture<Void> firstAck = new CompletableFuture<>();
    Thread reader =
        Thread.ofPlatform()
            .name("crash-test-reader")
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                      if (line.startsWith("ACK ") && line.substring(4).matches("[0-9]+")) {
                        synchronized (acked) {
                          acked.add(Long.parseLong(line.substring(4)));
                        }
                        firstAck.complete(null);
                      }
                    }
                  } catch (IOException e) {
                    firstAck.completeExceptionally(e);
                  }
                  firstAck.complete(null);
                });
    try {
      firstAck.get(60, TimeUnit.SECONDS);
      Thread.sleep(millis);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(child.isAlive()).isFalse();
    synchronized (acked) {
      return new ArrayList<>(acked);
    }
  }

  private static void check(Map<Labels, List<Sample>> all, List<Long> acked, int round) {
    for (int s = 0; s < CrashWriter.FIXED; s++) {
      List<Sample> samples = all.get(CrashWriter.fixed(s));
      assertThat(samples).as("round %d: series s=%d", round, s).isNotNull();
      java.util.Set<Sample> present = new java.util.HashSet<>(samples);
      for (long i : acked) {
        Sample want = Sample.of(i * 1000, (double) (i * 10 + s));
        if (!present.contains(want)) {
          throw new AssertionError(
              "round " + round + ": acknowledged commit " + i + " lost from series s=" + s);
        }
      }
    }
    for (long i : acked) {
      if (i % 4 != 0) {
        continue;
      }
      assertThat(all.get(CrashWriter.fresh(i)))
          .as("round %d: series created by acknowledged commit %d", round, i)
          .containsExactly(Sample.of(i * 1000, (double) i));
    }
  }
}
