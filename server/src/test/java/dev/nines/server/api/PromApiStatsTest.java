package dev.nines.server.api;

import static dev.nines.server.api.ApiTestServer.at;
import static dev.nines.server.api.ApiTestServer.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.common.Labels;
import dev.nines.server.api.ApiTestServer.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code stats} parameter of the query endpoints and the cap on annotations. */
class PromApiStatsTest {
  @TempDir Path dir;

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void statsAllAddsPrometheusTimingsAndSamples() throws Exception {
    try (ApiTestServer server = ApiTestServer.start(dir)) {
      server.loadStandardData();
      Response r =
          server.get(
              "/api/v1/query?query="
                  + enc("rate(http_requests_total{instance=\"a\"}[1m])")
                  + "&time="
                  + enc(at(60_000))
                  + "&stats=all");
      assertThat(r.status()).isEqualTo(200);
      JsonNode stats = r.json().at("/data/stats");
      assertThat(names(r.json().at("/data"))).containsExactly("resultType", "result", "stats");
      assertThat(names(stats)).containsExactly("timings", "samples");
      assertThat(names(stats.get("timings")))
          .containsExactly(
              "evalTotalTime",
              "resultSortTime",
              "queryPreparationTime",
              "innerEvalTime",
              "execQueueTime",
              "execTotalTime");
      for (JsonNode t : stats.get("timings")) {
        assertThat(t.isNumber()).isTrue();
        assertThat(t.asDouble()).isGreaterThanOrEqualTo(0);
      }
      // The window (T0, T0 + 60s] holds the samples at 15, 30, 45 and 60 s.
      assertThat(stats.at("/samples/totalQueryableSamples").asLong()).isEqualTo(4);
      // Held at once: the window's 4 samples and the result's 1.
      assertThat(stats.at("/samples/peakSamples").asLong()).isEqualTo(5);
    }
  }

  @Test
  void rangeQueriesCountOneSamplePerSeriesAndStep() throws Exception {
    try (ApiTestServer server = ApiTestServer.start(dir)) {
      server.loadStandardData();
      Response r =
          server.get(
              "/api/v1/query_range?query="
                  + enc("http_requests_total")
                  + "&start="
                  + enc(at(0))
                  + "&end="
                  + enc(at(60_000))
                  + "&step=15s&stats=1");
      assertThat(r.status()).isEqualTo(200);
      // Three series at five steps; any non-empty value of the parameter asks for stats.
      assertThat(r.json().at("/data/stats/samples/totalQueryableSamples").asLong()).isEqualTo(15);
      assertThat(r.json().at("/data/stats/samples/peakSamples").asLong()).isEqualTo(15);
    }
  }

  @Test
  void subqueriesCountTheirWindowsNotTheirInnerSelectors() throws Exception {
    try (ApiTestServer server = ApiTestServer.start(dir)) {
      server.loadStandardData();
      Response r =
          server.get(
              "/api/v1/query?query="
                  + enc("max_over_time(http_requests_total{instance=\"a\"}[1m:15s])")
                  + "&time="
                  + enc(at(60_000))
                  + "&stats=all");
      assertThat(r.status()).isEqualTo(200);
      // Four subquery points in the window, as Prometheus 2.42 counts them.
      assertThat(r.json().at("/data/stats/samples/totalQueryableSamples").asLong()).isEqualTo(4);
    }
  }

  @Test
  void noStatsWithoutTheParameter() throws Exception {
    try (ApiTestServer server = ApiTestServer.start(dir)) {
      server.loadStandardData();
      Response r = server.get("/api/v1/query?query=" + enc("1") + "&stats=");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().at("/data").has("stats")).isFalse();
    }
  }

  @Test
  void annotationsOverTheCapAreCountedInALastEntry() throws Exception {
    QueryLimits limits = new QueryLimits(Duration.ofMinutes(1), 1_000_000, 4, 1, 1);
    try (ApiTestServer server = ApiTestServer.start(dir, limits, UnaryOperator.identity())) {
      server.loadStandardData();
      server.series(Labels.of("__name__", "gauge_a"), ApiTestServer.T0, 15_000, 1, 2, 3);
      server.series(Labels.of("__name__", "gauge_b"), ApiTestServer.T0, 15_000, 1, 2, 3);
      String query =
          "quantile(2, temperature) + quantile(3, temperature) + quantile(4, temperature)"
              + " + sum(rate(gauge_a[1m])) + sum(rate(gauge_b[1m]))";
      Response r = server.get("/api/v1/query?query=" + enc(query) + "&time=" + enc(at(30_000)));
      assertThat(r.status()).isEqualTo(200);
      JsonNode warnings = r.json().get("warnings");
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(0).asText()).contains("quantile value should be between 0 and 1");
      assertThat(warnings.get(1).asText()).isEqualTo("2 more warning annotations omitted");
      JsonNode infos = r.json().get("infos");
      assertThat(infos).hasSize(2);
      assertThat(infos.get(0).asText()).contains("metric might not be a counter");
      assertThat(infos.get(1).asText()).isEqualTo("1 more info annotations omitted");
      assertThat(server.metrics())
          .contains("nines_engine_query_annotations_omitted_total{kind=\"warning\"} 2.0")
          .contains("nines_engine_query_annotations_omitted_total{kind=\"info\"} 1.0");
    }
  }

  @Test
  void tenAnnotationsAreListedByDefault() throws Exception {
    try (ApiTestServer server = ApiTestServer.start(dir)) {
      server.loadStandardData();
      StringBuilder query = new StringBuilder("vector(0)");
      for (int i = 2; i <= 13; i++) {
        query.append(" + quantile(").append(i).append(", temperature)");
      }
      Response r =
          server.get("/api/v1/query?query=" + enc(query.toString()) + "&time=" + enc(at(30_000)));
      assertThat(r.status()).isEqualTo(200);
      JsonNode warnings = r.json().get("warnings");
      assertThat(warnings).hasSize(11);
      assertThat(warnings.get(10).asText()).isEqualTo("2 more warning annotations omitted");
    }
  }
}
