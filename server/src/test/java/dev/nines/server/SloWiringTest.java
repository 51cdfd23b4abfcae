package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.config.ConfigException;
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

/**
 * slo_files in the config: generated rules on the rule engine, /api/nines/v1/slos and the budget
 * series, a bad SLO file refused on reload with the old SLOs kept, the slo section validated.
 */
class SloWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SLOTH =
      """
      version: prometheus/v1
      service: nines
      slos:
        - name: http
          objective: 99.5
          sli:
            events:
              error_query: sum(rate(nines_http_requests_total{code=~"5.."}[{{.window}}]))
              total_query: sum(rate(nines_http_requests_total[{{.window}}]))
          alerting:
            name: NinesHttp
            annotations:
              runbook_url: https://runbooks.example/nines
          interval:
            all: 1s
      """;

  @Test
  void sloFilesRunOnTheRuleEngineAndAreServed(@TempDir Path dir) throws Exception {
    Path slo = dir.resolve("slo.yml");
    Files.writeString(slo, SLOTH);
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\nglobal:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
            + "slo_files:\n  - "
            + slo
            + "\nslo:\n  service_policies:\n    nines: \"50%:notify,10%:freeze\"\n");
    NinesServer.ConfigSource source = () -> ConfigLoader.load(file);
    try (NinesServer nines = NinesServer.start(source.load(), source)) {
      JsonNode groups =
          JSON.readTree(NinesProcess.get(nines.port(), "/api/v1/rules").body())
              .path("data")
              .path("groups");
      assertThat(groups).isNotEmpty();
      assertThat(groups.get(0).path("file").asText()).isEqualTo("slo_files");
      JsonNode alerts = groups.get(groups.size() - 1).path("rules");
      assertThat(alerts.get(0).path("labels").path("severity").asText()).isEqualTo("page");
      assertThat(alerts.get(0).path("labels").path("slo").asText()).isEqualTo("nines-http");
      assertThat(alerts.get(0).path("labels").path("service").asText()).isEqualTo("nines");
      assertThat(alerts.get(0).path("annotations").path("runbook_url").asText())
          .isEqualTo("https://runbooks.example/nines");

      JsonNode list = JSON.readTree(NinesProcess.get(nines.port(), "/api/nines/v1/slos").body());
      assertThat(list.path("status").asText()).isEqualTo("success");
      JsonNode s = list.path("data").path("slos").get(0);
      assertThat(s.path("id").asText()).isEqualTo("nines-http");
      assertThat(s.path("objective").asDouble()).isEqualTo(0.995);
      assertThat(s.path("window").path("length").asText()).isEqualTo("30d");
      assertThat(s.path("sli").path("type").asText()).isEqualTo("ratio");
      assertThat(s.path("budgetRemaining").asDouble()).isEqualTo(1.0);
      assertThat(s.path("burnRates")).hasSize(7);
      assertThat(s.path("policy").path("steps").get(0).path("remainingAtMost").asDouble())
          .isEqualTo(0.5);
      assertThat(s.path("policy").path("frozen").asBoolean()).isFalse();

      // Self-scraped requests become SLI ratios on the rule engine.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                JsonNode r =
                    JSON.readTree(
                        NinesProcess.get(
                                nines.port(),
                                "/api/v1/query?query=slo:sli_error:ratio_rate5m%7Bslo=%22nines-http%22%7D")
                            .body());
                assertThat(r.path("data").path("result")).hasSize(1);
              });

      JsonNode budget =
          JSON.readTree(
              NinesProcess.get(nines.port(), "/api/nines/v1/slos/nines-http/budget?step=1h")
                  .body());
      assertThat(budget.path("status").asText()).isEqualTo("success");
      assertThat(budget.path("data").path("budgetRemaining")).hasSize(721);
      assertThat(budget.path("data").path("budgetRemaining").get(0).get(1).asText()).isEqualTo("1");
      HttpResponse<String> missing =
          NinesProcess.get(nines.port(), "/api/nines/v1/slos/nope/budget");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(missing.body()).path("errorType").asText()).isEqualTo("not_found");
      assertThat(
              NinesProcess.get(nines.port(), "/api/nines/v1/slos/nines-http/budget?step=0")
                  .statusCode())
          .isEqualTo(400);

      // A broken SLO file is refused on reload; the running SLOs and rules stay.
      Files.writeString(slo, SLOTH.replace("objective: 99.5", "objective: 100.5"));
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
      assertThat(reload.body()).contains(slo + ":5: slos[0].objective");
      assertThat(
              JSON.readTree(NinesProcess.get(nines.port(), "/api/nines/v1/slos").body())
                  .path("data")
                  .path("slos"))
          .hasSize(1);
      assertThat(
              JSON.readTree(NinesProcess.get(nines.port(), "/api/v1/rules").body())
                  .path("data")
                  .path("groups"))
          .hasSameSizeAs(groups);
    }
  }

  @Test
  void badSloSettingsNameTheField() throws Exception {
    assertThatThrownBy(() -> ConfigLoader.parse("n.yml", "slo:\n  budget_policy: \"25%:panic\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("n.yml:2: slo.budget_policy")
        .hasMessageContaining("panic");
    NinesConfig ok = NinesConfigDefaults.parse("slo_files: [a.yml]\nslo:\n  min_events: 50\n");
    assertThat(ok.sloFiles()).containsExactly("a.yml");
    assertThat(ok.slo().toDefaults().minEvents()).isEqualTo(50);
  }

  /** Parses without a file. */
  private static final class NinesConfigDefaults {
    static NinesConfig parse(String yaml) throws ConfigException {
      return ConfigLoader.parse("n.yml", yaml);
    }
  }
}
