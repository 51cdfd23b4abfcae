package dev.nines.server.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.NinesServer;
import dev.nines.server.PeerTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus 2.42 with Nines as its Alertmanager: a rule that fires reaches Nines through
 * {@code POST /api/v2/alerts} and is delivered to a webhook receiver started here.
 */
class PrometheusAlertingTest {
  @Test
  void prometheusAlertIsRoutedToTheWebhook(@TempDir Path dir) throws Exception {
    assumeTrue(PeerTools.installed("prometheus"), "prometheus not installed");
    try (NotifyTestSupport.Webhook hook = new NotifyTestSupport.Webhook();
        NinesServer nines =
            NotifyTestSupport.start(
                dir.resolve("nines"), NotifyTestSupport.alertmanagerConfig(dir, hook, "1h"))) {
      Path rules = dir.resolve("rules.yml");
      Files.writeString(
          rules,
          """
          groups:
            - name: test
              interval: 1s
              rules:
                - alert: AlwaysFiring
                  expr: vector(1) > 0
                  labels:
                    severity: page
                  annotations:
                    summary: it fires
          """);
      int promPort = PeerTools.freePort();
      Path promConfig = dir.resolve("prometheus.yml");
      Files.writeString(
          promConfig,
          """
          global:
            evaluation_interval: 1s
          rule_files: ['%s']
          alerting:
            alertmanagers:
              - api_version: v2
                static_configs:
                  - targets: ['127.0.0.1:%d']
          """
              .formatted(rules, nines.port()));
      Process prometheus =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + promConfig,
                  "--storage.tsdb.path=" + dir.resolve("prom-data"),
                  "--web.listen-address=127.0.0.1:" + promPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(() -> assertThat(hook.payloads).isNotEmpty());
        JsonNode payload = hook.payloads.get(0);
        assertThat(payload.path("receiver").asText()).isEqualTo("hook");
        assertThat(payload.path("status").asText()).isEqualTo("firing");
        JsonNode alert = payload.path("alerts").get(0);
        assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("AlwaysFiring");
        assertThat(alert.path("labels").path("severity").asText()).isEqualTo("page");
        assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("it fires");
        assertThat(alert.path("generatorURL").asText()).contains("/graph?g0.expr=");
        JsonNode inNines = NotifyTestSupport.getJson(nines.port(), "/api/v2/alerts");
        assertThat(inNines.get(0).path("labels").path("alertname").asText())
            .isEqualTo("AlwaysFiring");
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
    }
  }
}
