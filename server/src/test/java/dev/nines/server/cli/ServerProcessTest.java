package dev.nines.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nines.server.DataDirLock;
import dev.nines.server.NinesProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nines started as a user starts it: a separate JVM, stopped by signals. */
class ServerProcessTest {

  @Test
  void sigtermShutsDownCleanlyWithStatusZeroAndReleasesTheLock(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (NinesProcess nines =
        NinesProcess.start("server", "--listen", "127.0.0.1:0", "--data", data.toString())) {
      int port = nines.awaitReady(60);
      assertThat(NinesProcess.get(port, "/-/healthy").body()).isEqualTo("Nines is Healthy.\n");
      assertThat(NinesProcess.get(port, "/-/ready").statusCode()).isEqualTo(200);
      assertThat(data.resolve(DataDirLock.FILE_NAME)).exists();
      assertThat(data.resolve("nines.db")).exists();
      assertThat(data.resolve("tsdb").resolve("wal")).isDirectory();
      assertThat(NinesProcess.get(port, "/metrics").body())
          .contains("nines_tsdb_head_series ", "nines_tsdb_samples_refused_total{reason=");

      nines.signal("TERM");
      assertThat(nines.awaitExit(30)).as(nines.output()).isZero();
      assertThat(nines.output()).contains("shutdown complete");
      assertThat(data.resolve(DataDirLock.FILE_NAME)).doesNotExist();
    }
    // The folder opens again at once, with no complaint about the previous run.
    try (NinesProcess again =
        NinesProcess.start("server", "--listen", "127.0.0.1:0", "--data", data.toString())) {
      again.awaitReady(60);
      assertThat(again.output()).doesNotContain("did not shut down cleanly");
      again.signal("INT");
      assertThat(again.awaitExit(30)).isZero();
    }
  }

  @Test
  void afterKillNineTheFolderOpensAndTheUncleanStopIsReported(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (NinesProcess nines =
        NinesProcess.start("server", "--listen", "127.0.0.1:0", "--data", data.toString())) {
      nines.awaitReady(60);
      nines.signal("KILL");
      assertThat(nines.awaitExit(30)).isEqualTo(137);
    }
    assertThat(data.resolve(DataDirLock.FILE_NAME)).exists();
    try (NinesProcess again =
        NinesProcess.start("server", "--listen", "127.0.0.1:0", "--data", data.toString())) {
      int port = again.awaitReady(60);
      assertThat(NinesProcess.get(port, "/-/ready").statusCode()).isEqualTo(200);
      assertThat(again.output()).contains("did not shut down cleanly");
      again.signal("TERM");
      assertThat(again.awaitExit(30)).isZero();
    }
  }

  @Test
  void aSecondServerOnTheSameFolderIsRefused(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (NinesProcess first =
        NinesProcess.start("server", "--listen", "127.0.0.1:0", "--data", data.toString())) {
      first.awaitReady(60);
      try (NinesProcess second =
          NinesProcess.start("server", "--listen", "127.0.0.1:0", "--data", data.toString())) {
        assertThat(second.awaitExit(60)).isEqualTo(1);
        assertThat(second.output()).contains("is in use by another Nines process (pid ");
      }
      first.signal("TERM");
      assertThat(first.awaitExit(30)).isZero();
    }
  }

  @Test
  void badConfigFileStopsStartWithFileLineAndField(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("nines.yml");
    Files.writeString(config, "server:\n  listen: 127.0.0.1:0\n  shutdown_timeout: 10x\n");
    try (NinesProcess nines =
        NinesProcess.start("server", "--config", config.toString(), "--data", dir.toString())) {
      assertThat(nines.awaitExit(60)).isEqualTo(2);
      assertThat(nines.output())
          .contains(config + ":3: server.shutdown_timeout: \"10x\" is not a duration");
    }
    assertThat(dir.resolve(DataDirLock.FILE_NAME)).doesNotExist();
  }

  @Test
  void sighupReloadsAndABadFileKeepsTheRunningConfiguration(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("nines.yml");
    Files.writeString(config, "server:\n  listen: 127.0.0.1:0\nlog:\n  format: logfmt\n");
    try (NinesProcess nines =
        NinesProcess.start(
            "server", "--config", config.toString(), "--data", dir.resolve("d").toString())) {
      int port = nines.awaitReady(60);

      Files.writeString(config, "server:\n  listen: 127.0.0.1:0\nlog:\n  format: yaml\n");
      nines.signal("HUP");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> nines.output().contains("configuration reload refused"));
      assertThat(NinesProcess.get(port, "/metrics").body())
          .contains("nines_config_last_reload_successful 0.0");

      Files.writeString(config, "server:\n  listen: 127.0.0.1:0\nlog:\n  format: json\n");
      nines.signal("HUP");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> nines.output().contains("\"formattedMessage\":\"configuration reloaded\""));
      assertThat(NinesProcess.get(port, "/metrics").body())
          .contains("nines_config_last_reload_successful 1.0");

      nines.signal("TERM");
      assertThat(nines.awaitExit(30)).isZero();
    }
  }

  @Test
  void helpExplainsEveryServerFlag() throws Exception {
    try (NinesProcess help = NinesProcess.start("server", "--help")) {
      assertThat(help.awaitExit(30)).isZero();
      assertThat(help.output())
          .contains(
              "--config=FILE", "--data=DIR", "--listen=HOST:PORT", "--log.level", "--log.format");
    }
  }
}
