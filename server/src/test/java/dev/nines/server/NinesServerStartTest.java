package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start that fails part-way (on the notify configuration, or on the tsdb folder) fails with an
 * error naming the fault and closes what it had opened, so the same folder starts cleanly once the
 * fault is fixed.
 */
class NinesServerStartTest {
  private static final String GOOD_AM = "route:\n  receiver: team\nreceivers:\n  - name: team\n";
  private static final String BAD_AM = "route:\n  receiver: nowhere\nreceivers:\n  - name: team\n";

  @Test
  void aBadNotifyFileFailsTheStartAndTheFolderStartsOnceItIsFixed(@TempDir Path dir)
      throws Exception {
    Path file = config(dir);
    NinesConfig config = ConfigLoader.load(file);
    Files.writeString(dir.resolve("am.yml"), BAD_AM);

    assertThatThrownBy(() -> NinesServer.start(config, () -> config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("notify.config_file")
        .hasMessageContaining("nowhere");

    Files.writeString(dir.resolve("am.yml"), GOOD_AM);
    try (NinesServer again = NinesServer.start(config, () -> config)) {
      assertThat(again.tsdb().numSeries()).isZero();
      assertThat(NinesProcess.get(again.port(), "/-/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aTsdbThatCannotOpenFailsTheStartAndTheFolderStartsOnceItIsFixed(@TempDir Path dir)
      throws Exception {
    Path file = config(dir);
    NinesConfig config = ConfigLoader.load(file);
    Path tsdbDir = dir.resolve("data").resolve("tsdb");
    Files.createDirectories(tsdbDir.getParent());
    Files.writeString(tsdbDir, "not a folder");

    assertThatThrownBy(() -> NinesServer.start(config, () -> config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(tsdbDir.toString());

    Files.delete(tsdbDir);
    try (NinesServer again = NinesServer.start(config, () -> config)) {
      assertThat(NinesProcess.get(again.port(), "/-/ready").statusCode()).isEqualTo(200);
    }
  }

  private static Path config(Path dir) throws IOException {
    Files.writeString(dir.resolve("am.yml"), GOOD_AM);
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\nnotify:\n  config_file: am.yml\nscrape_configs: []\n");
    return file;
  }
}
