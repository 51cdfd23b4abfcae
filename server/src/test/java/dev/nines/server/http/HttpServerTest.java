package dev.nines.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.server.BuildInfo;
import dev.nines.server.config.ListenAddress;
import dev.nines.server.metrics.SelfMetrics;
import io.javalin.config.RoutesConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class HttpServerTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final SelfMetrics metrics = new SelfMetrics(BuildInfo.current());

  private HttpServer start(AtomicBoolean ready, List<Consumer<RoutesConfig>> extra) {
    StatusRoutes status = new StatusRoutes(ready::get, () -> {}, metrics, BuildInfo.current());
    List<Consumer<RoutesConfig>> routes = new java.util.ArrayList<>(extra);
    routes.add(status);
    return HttpServer.start(
        new ListenAddress("127.0.0.1", 0), Duration.ofSeconds(10), metrics.registry(), routes);
  }

  private HttpResponse<String> get(HttpServer server, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyIs503UntilStorageHasRecovered() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HttpServer server = start(ready, List.of())) {
      assertThat(get(server, "/-/healthy").statusCode()).isEqualTo(200);
      HttpResponse<String> notYet = get(server, "/-/ready");
      assertThat(notYet.statusCode()).isEqualTo(503);
      assertThat(notYet.body()).isEqualTo("Service Unavailable\n");
      ready.set(true);
      assertThat(get(server, "/-/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void countsRequestsByRoutePatternNotRawPath() throws Exception {
    try (HttpServer server =
        start(
            new AtomicBoolean(true),
            List.of(r -> r.get("/api/v1/label/{name}/values", ctx -> ctx.result("[]"))))) {
      get(server, "/api/v1/label/job/values");
      get(server, "/api/v1/label/instance/values");
      get(server, "/no/such/path");
      String body = get(server, "/metrics").body();
      assertThat(body)
          .contains(
              "nines_http_requests_total{code=\"200\",handler=\"/api/v1/label/{name}/values\","
                  + "method=\"GET\"} 2.0")
          .contains("handler=\"not_found\"")
          .doesNotContain("handler=\"/no/such/path\"")
          .contains("nines_build_info{")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void metricsSpeakOpenMetricsWhenAsked() throws Exception {
    try (HttpServer server = start(new AtomicBoolean(true), List.of())) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                  .header("Accept", "application/openmetrics-text; version=1.0.0")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/openmetrics-text");
      assertThat(response.body()).endsWith("# EOF\n");
    }
  }

  @Test
  void gzipsLargeResponsesForClientsThatAcceptIt() throws Exception {
    try (HttpServer server = start(new AtomicBoolean(true), List.of())) {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                  .header("Accept-Encoding", "gzip")
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .contains("nines_build_info");
      }
    }
  }

  @Test
  void buildInfoHasPrometheusShape() throws Exception {
    try (HttpServer server = start(new AtomicBoolean(true), List.of())) {
      String body = get(server, "/api/v1/status/buildinfo").body();
      assertThat(body)
          .startsWith("{\"status\":\"success\",\"data\":{\"version\":")
          .contains("\"revision\":", "\"branch\":", "\"buildDate\":", "\"goVersion\":");
    }
  }

  @Test
  void requestsInFlightFinishWhenTheServerStops() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    HttpServer server =
        start(
            new AtomicBoolean(true),
            List.of(
                r ->
                    r.get(
                        "/slow",
                        ctx -> {
                          entered.countDown();
                          Thread.sleep(1500);
                          ctx.result("finished");
                        })));
    int port = server.port();
    CompletableFuture<HttpResponse<String>> inFlight =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    server.close();
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("finished");
  }
}
