package dev.nines.server.api;

import static dev.nines.server.api.ApiTestServer.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.common.Labels;
import dev.nines.server.BuildInfo;
import dev.nines.server.http.StatusRoutes;
import dev.nines.server.metrics.SelfMetrics;
import io.javalin.config.RoutesConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the requests Grafana's Prometheus data source sends when it is added (the health check
 * and buildinfo), when its query editor browses metrics and labels, and when a panel draws a time
 * series, with Grafana's headers, and checks that every answer has the shape Grafana reads.
 */
class GrafanaContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The headers Grafana's backend sends to a Prometheus data source. */
  private static HttpRequest.Builder grafana(HttpRequest.Builder b) {
    return b.header("User-Agent", "Grafana/11.3.0")
        .header("Accept", "application/json, text/plain, */*")
        .header("Accept-Encoding", "gzip")
        .header("X-Grafana-Org-Id", "1")
        .header("X-Dashboard-Uid", "nines-contract")
        .header("X-Panel-Id", "2");
  }

  private static JsonNode call(ApiTestServer server, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        server.client.send(grafana(request).build(), HttpResponse.BodyHandlers.ofByteArray());
    InputStream body = new ByteArrayInputStream(r.body());
    if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      body = new GZIPInputStream(body);
    }
    JsonNode json = JSON.readTree(body);
    assertThat(r.statusCode()).as(json.toString()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(json.at("/status").asText()).isEqualTo("success");
    return json.at("/data");
  }

  private static JsonNode get(ApiTestServer server, String pathAndQuery)
      throws IOException, InterruptedException {
    return call(server, HttpRequest.newBuilder(URI.create(server.url(pathAndQuery))).GET());
  }

  private static JsonNode post(ApiTestServer server, String path, String... form)
      throws IOException, InterruptedException {
    return call(
        server,
        HttpRequest.newBuilder(URI.create(server.url(path)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(ApiTestServer.form(form))));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void grafanaConnectsBrowsesAndDrawsAPanel() throws Exception {
    SelfMetrics selfMetrics = new SelfMetrics(BuildInfo.current());
    List<Consumer<RoutesConfig>> status =
        List.of(new StatusRoutes(() -> true, () -> {}, selfMetrics, BuildInfo.current()));
    try (ApiTestServer server = ApiTestServer.start(dir, status)) {
      long now = System.currentTimeMillis() / 15_000 * 15_000;
      long from = now - 3_600_000;
      for (String job : List.of("api", "web")) {
        double[] v = new double[241];
        for (int i = 0; i < v.length; i++) {
          v[i] = i * 3;
        }
        server.series(
            Labels.of("__name__", "http_requests_total", "job", job, "instance", job + ":9100"),
            from,
            15_000,
            v);
      }
      String nowSec = Long.toString(now / 1000);
      String fromSec = Long.toString(from / 1000);

      // 1. "Save & test": the health check, then buildinfo for the version and features.
      JsonNode health = get(server, "/api/v1/query?query=1%2B1&time=" + nowSec);
      assertThat(health.at("/resultType").asText()).isEqualTo("scalar");
      assertThat(health.at("/result/0").asLong()).isEqualTo(now / 1000);
      assertThat(health.at("/result/1").asText()).isEqualTo("2");
      JsonNode build = get(server, "/api/v1/status/buildinfo");
      assertThat(build.at("/version").isTextual()).isTrue();
      assertThat(build.has("revision")).isTrue();

      // 2. The query editor: metric names, label names, label values scoped by the metric.
      String range = "start=" + fromSec + "&end=" + nowSec;
      assertThat(texts(get(server, "/api/v1/labels?" + range)))
          .contains("__name__", "instance", "job");
      assertThat(
              texts(
                  post(
                      server,
                      "/api/v1/labels",
                      "match[]",
                      "http_requests_total",
                      "start",
                      fromSec,
                      "end",
                      nowSec)))
          .containsExactly("__name__", "instance", "job");
      assertThat(texts(get(server, "/api/v1/label/__name__/values?" + range)))
          .containsExactly("http_requests_total");
      assertThat(
              texts(
                  get(
                      server,
                      "/api/v1/label/job/values?match[]="
                          + enc("http_requests_total")
                          + "&"
                          + range)))
          .containsExactly("api", "web");
      JsonNode series =
          get(
              server,
              "/api/v1/series?match[]=" + enc("{__name__=\"http_requests_total\"}") + "&" + range);
      assertThat(series.size()).isEqualTo(2);
      assertThat(series.get(0).at("/__name__").asText()).isEqualTo("http_requests_total");
      assertThat(get(server, "/api/v1/metadata").isObject()).isTrue();

      // 3. A time-series panel: query_range by POST, step in seconds, Grafana's timeout.
      JsonNode panel =
          post(
              server,
              "/api/v1/query_range",
              "query",
              "sum by (job) (rate(http_requests_total[5m]))",
              "start",
              fromSec,
              "end",
              nowSec,
              "step",
              "60",
              "timeout",
              "30s");
      assertThat(panel.at("/resultType").asText()).isEqualTo("matrix");
      assertThat(panel.at("/result").size()).isEqualTo(2);
      JsonNode api = panel.at("/result/0");
      assertThat(api.at("/metric").toString()).isEqualTo("{\"job\":\"api\"}");
      JsonNode points = api.at("/values");
      // The first step has a single sample in its window: no rate yet.
      assertThat(points.size()).isEqualTo(60);
      JsonNode last = points.get(points.size() - 1);
      assertThat(last.get(0).isNumber()).isTrue();
      assertThat(last.get(0).asLong()).isEqualTo(now / 1000);
      assertThat(last.get(1).isTextual()).isTrue();
      assertThat(Double.parseDouble(last.get(1).asText())).isCloseTo(0.2, within(1e-12));

      // 4. A table/stat panel: an instant query by POST.
      JsonNode instant =
          post(
              server, "/api/v1/query", "query", "http_requests_total{job=\"web\"}", "time", nowSec);
      assertThat(instant.at("/resultType").asText()).isEqualTo("vector");
      assertThat(instant.at("/result/0/value/1").asText()).isEqualTo("720");
    }
  }
}
