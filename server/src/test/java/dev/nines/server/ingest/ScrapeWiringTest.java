package dev.nines.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.NinesProcess;
import dev.nines.server.NinesServer;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scraping as the server wires it: itself when there are no scrape_configs, and /api/v1/targets.
 */
class ScrapeWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void withoutScrapeConfigsNinesScrapesItself(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\nglobal:\n"
            + "  scrape_interval: 1s\n  scrape_timeout: 1s\n");
    NinesConfig config = ConfigLoader.load(file);
    try (NinesServer nines = NinesServer.start(config, () -> config)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                JsonNode targets =
                    JSON.readTree(NinesProcess.get(nines.port(), "/api/v1/targets").body());
                JsonNode active = targets.path("data").path("activeTargets");
                assertThat(active).hasSize(1);
                assertThat(active.get(0).path("labels").path("job").asText()).isEqualTo("nines");
                assertThat(active.get(0).path("health").asText()).isEqualTo("up");
                assertThat(active.get(0).path("scrapeInterval").asText()).isEqualTo("1s");
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                JsonNode up =
                    JSON.readTree(
                        NinesProcess.get(
                                nines.port(), "/api/v1/query?query=up%7Bjob%3D%22nines%22%7D")
                            .body());
                assertThat(up.path("data").path("result")).hasSize(1);
                assertThat(up.path("data").path("result").get(0).path("value").get(1).asText())
                    .isEqualTo("1");
              });
    }
  }

  @Test
  void anUnsupportedScrapeKeyIsAnErrorAtItsLine() {
    String yaml =
        """
        scrape_configs:
          - job_name: k8s
            kubernetes_sd_configs:
              - role: pod
        """;
    assertThatThrownBy(() -> ConfigLoader.parse("nines.yml", yaml))
        .hasMessageStartingWith("nines.yml:3: scrape_configs[0].kubernetes_sd_configs:");
  }
}
