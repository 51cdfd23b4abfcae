package dev.nines.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.server.NinesProcess;
import dev.nines.server.NinesServer;
import dev.nines.server.PeerTools;
import dev.nines.server.config.NinesConfig;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus 2.42 (Debian's package) scrapes itself and remote-writes to Nines: every
 * series and every sample it scraped must arrive, as Prometheus itself stored them.
 */
class PrometheusRemoteWriteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everythingPrometheusScrapedArrivesInNines(@TempDir Path dir) throws Exception {
    assumeTrue(PeerTools.installed("prometheus"), "prometheus not installed");
    NinesConfig config =
        NinesConfig.defaults()
            .withFlags("127.0.0.1:0", dir.resolve("nines"), null, null)
            .validate();
    try (NinesServer nines = NinesServer.start(config, () -> config)) {
      int promPort = PeerTools.freePort();
      Path promConfig = dir.resolve("prometheus.yml");
      Files.writeString(
          promConfig,
          """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: prometheus
              static_configs:
                - targets: ['127.0.0.1:%d']
          remote_write:
            - url: http://127.0.0.1:%d/api/v1/write
              queue_config:
                batch_send_deadline: 500ms
                min_backoff: 100ms
          """
              .formatted(promPort, nines.port()));
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
        // Wait for a few scrapes, then compare what Prometheus stored up to a point in time a few
        // seconds back (remote-write trails the scrape) with what Nines received.
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> scrapes(promPort) >= 4);
        long cutoff = System.currentTimeMillis() - 2_000;
        Map<Labels, TreeMap<Long, Double>> expected = prometheusSamples(promPort, cutoff);
        assertThat(expected).hasSizeGreaterThan(100);

        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  Map<Labels, TreeMap<Long, Double>> got = ninesSamples(nines, cutoff);
                  Set<Labels> missing = new HashSet<>(expected.keySet());
                  missing.removeAll(got.keySet());
                  assertThat(missing).as("series Prometheus scraped but Nines lacks").isEmpty();
                  for (Map.Entry<Labels, TreeMap<Long, Double>> e : expected.entrySet()) {
                    assertThat(got.get(e.getKey()))
                        .as("samples of %s", e.getKey())
                        .containsAllEntriesOf(e.getValue());
                  }
                });

        // And Nines's query API answers like Prometheus's on that data.
        String promql = "count by (__name__) ({job=\"prometheus\"})";
        assertThat(byName(query(nines.port(), promql, cutoff / 1000.0)))
            .isEqualTo(byName(query(promPort, promql, cutoff / 1000.0)))
            .isNotEmpty();
      } finally {
        prometheus.destroy();
        prometheus.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static Map<String, String> byName(JsonNode response) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode r : response.path("data").path("result")) {
      out.put(r.path("metric").path("__name__").asText(), r.path("value").get(1).asText());
    }
    return out;
  }

  private static double scrapes(int promPort) throws Exception {
    JsonNode r = query(promPort, "count_over_time(up{job=\"prometheus\"}[1m])", null);
    JsonNode result = r.path("data").path("result");
    return result.isEmpty() ? 0 : result.get(0).path("value").get(1).asDouble();
  }

  /**
   * Every series of job="prometheus" and its samples up to {@code cutoff}, read from Prometheus.
   */
  private static Map<Labels, TreeMap<Long, Double>> prometheusSamples(int promPort, long cutoff)
      throws Exception {
    double at = cutoff / 1000.0;
    JsonNode r = query(promPort, "{job=\"prometheus\"}[2m]", at);
    Map<Labels, TreeMap<Long, Double>> out = new HashMap<>();
    for (JsonNode series : r.path("data").path("result")) {
      Labels.Builder b = Labels.builder();
      series
          .path("metric")
          .fields()
          .forEachRemaining(f -> b.set(f.getKey(), f.getValue().asText()));
      TreeMap<Long, Double> samples = new TreeMap<>();
      for (JsonNode v : series.path("values")) {
        samples.put(Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
      }
      out.put(b.build(), samples);
    }
    return out;
  }

  private static Map<Labels, TreeMap<Long, Double>> ninesSamples(NinesServer nines, long cutoff) {
    Map<Labels, TreeMap<Long, Double>> out = new HashMap<>();
    try (Querier q = nines.tsdb().querier(cutoff - 120_000, cutoff)) {
      SeriesSet set =
          q.select(
              false,
              SelectHints.range(cutoff - 120_000, cutoff),
              List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "prometheus")));
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        TreeMap<Long, Double> samples = new TreeMap<>();
        while (it.next() != SampleIterator.NONE) {
          samples.put(it.timestamp(), it.value());
        }
        out.put(set.at().labels(), samples);
      }
    }
    return out;
  }

  private static JsonNode query(int port, String promql, Double time) throws Exception {
    String path =
        "/api/v1/query?query="
            + URLEncoder.encode(promql, StandardCharsets.UTF_8)
            + (time == null ? "" : "&time=" + time);
    return JSON.readTree(NinesProcess.get(port, path).body());
  }
}
