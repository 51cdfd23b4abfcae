package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rule_files in the config: evaluated on self-scraped data, served at /api/v1/rules, reloaded. */
class RulesWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ruleFilesAreEvaluatedServedAndReloadedSafely(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        """
        groups:
          - name: self
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: NinesDown
                expr: up == 0
                for: 1m
        """);
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\nglobal:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
            + "rule_files:\n  - "
            + rules
            + "\n");
    NinesServer.ConfigSource source = () -> ConfigLoader.load(file);
    NinesConfig config = source.load();
    try (NinesServer nines = NinesServer.start(config, source)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                JsonNode r =
                    JSON.readTree(
                        NinesProcess.get(nines.port(), "/api/v1/query?query=job:up:sum").body());
                assertThat(r.path("data").path("result")).hasSize(1);
              });
      JsonNode groups =
          JSON.readTree(NinesProcess.get(nines.port(), "/api/v1/rules").body())
              .path("data")
              .path("groups");
      assertThat(groups).hasSize(1);
      assertThat(groups.get(0).path("name").asText()).isEqualTo("self");
      // A group without its own interval takes global.evaluation_interval, as in Prometheus.
      assertThat(groups.get(0).path("interval").asDouble()).isEqualTo(1.0);
      assertThat(groups.get(0).path("rules")).hasSize(2);
      assertThat(
              JSON.readTree(NinesProcess.get(nines.port(), "/api/v1/alerts").body())
                  .path("status")
                  .asText())
          .isEqualTo("success");

      // A broken rule file is refused on reload and the running rules stay.
      Files.writeString(
          rules, "groups:\n  - name: self\n    rules:\n      - record: x\n        expr: sum(\n");
      HttpResponse<String> reload;
      try (HttpClient client = HttpClient.newHttpClient()) {
        reload =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nines.port() + "/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      }
      assertThat(reload.statusCode()).isEqualTo(500);
      assertThat(reload.body()).contains(rules.toString() + ":5:");
      assertThat(
              JSON.readTree(NinesProcess.get(nines.port(), "/api/v1/rules").body())
                  .path("data")
                  .path("groups")
                  .get(0)
                  .path("rules"))
          .hasSize(2);
    }
  }
}
