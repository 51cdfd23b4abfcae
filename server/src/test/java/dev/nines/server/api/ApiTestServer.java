package dev.nines.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.EngineOptions;
import dev.nines.server.config.ListenAddress;
import dev.nines.server.http.HttpServer;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import io.javalin.config.RoutesConfig;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A real HTTP server on loopback with the query API over a real {@link Tsdb} in a temporary folder
 * and a real {@link Engine}, plus a client that speaks to it.
 */
final class ApiTestServer implements AutoCloseable {
  /** The base time of the test data: 2023-11-14T22:13:20Z. */
  static final long T0 = 1_700_000_000_000L;

  static final double STALE = Double.longBitsToDouble(0x7ff0_0000_0000_0002L);

  private static final ObjectMapper JSON = new ObjectMapper();

  final Tsdb tsdb;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final HttpServer http;
  final HttpClient client = HttpClient.newHttpClient();

  /** An answer: status, body, parsed JSON and Content-Type. */
  record Response(int status, String body, JsonNode json, String contentType) {}

  private ApiTestServer(
      Path dir,
      QueryLimits limits,
      EngineOptions engineOptions,
      UnaryOperator<Queryable> wrap,
      List<Consumer<RoutesConfig>> extra,
      boolean adminEnabled)
      throws IOException {
    tsdb =
        Tsdb.open(
            dir,
            TsdbOptions.defaults()
                .withWal(WalOptions.defaults().withFsyncPolicy(FsyncPolicy.NONE)));
    RuntimeInfo info =
        new RuntimeInfo(
            Instant.parse("2023-11-14T22:00:00.120Z"),
            dir.toString(),
            true,
            Instant.parse("2023-11-14T22:00:01Z"),
            0,
            "15d",
            Map.of("--listen", "127.0.0.1:0", "--data", dir.toString()),
            "server:\n  listen: 127.0.0.1:0\n");
    PromApiRoutes routes =
        new PromApiRoutes(
            new Engine(engineOptions),
            wrap.apply(tsdb),
            limits,
            () -> info,
            () ->
                Map.of(
                    "http_requests_total",
                    List.of(new MetricMetadata("counter", "Requests served.", "")),
                    "temperature",
                    List.of(
                        new MetricMetadata("gauge", "Room temperature.", "celsius"),
                        new MetricMetadata("gauge", "Temperature.", "celsius"))),
            registry,
            adminEnabled
                ? new TsdbAdmin() {
                  @Override
                  public String snapshot(boolean skipHead) throws IOException {
                    return tsdb.snapshot(dir.resolve("snapshots"), !skipHead);
                  }

                  @Override
                  public void deleteSeries(long mint, long maxt, List<LabelMatcher> matchers)
                      throws IOException {
                    tsdb.deleteSeries(mint, maxt, matchers);
                  }
                }
                : null);
    List<Consumer<RoutesConfig>> sets = new ArrayList<>(extra);
    sets.add(routes);
    http =
        HttpServer.start(new ListenAddress("127.0.0.1", 0), Duration.ofSeconds(5), registry, sets);
  }

  static ApiTestServer start(Path dir) throws IOException {
    return start(dir, QueryLimits.DEFAULTS, UnaryOperator.identity());
  }

  static ApiTestServer start(Path dir, QueryLimits limits, UnaryOperator<Queryable> wrap)
      throws IOException {
    return new ApiTestServer(dir, limits, EngineOptions.DEFAULTS, wrap, List.of(), true);
  }

  static ApiTestServer start(Path dir, List<Consumer<RoutesConfig>> extra) throws IOException {
    return new ApiTestServer(
        dir, QueryLimits.DEFAULTS, EngineOptions.DEFAULTS, UnaryOperator.identity(), extra, true);
  }

  /** A server whose admin API is disabled, as it is by default. */
  static ApiTestServer startWithoutAdmin(Path dir) throws IOException {
    return new ApiTestServer(
        dir,
        QueryLimits.DEFAULTS,
        EngineOptions.DEFAULTS,
        UnaryOperator.identity(),
        List.of(),
        false);
  }

  /** Appends samples {@code values[i]} at {@code start + i * interval} and commits. */
  void series(Labels labels, long start, long interval, double... values) {
    Appender app = tsdb.appender();
    long ref = 0;
    try {
      for (int i = 0; i < values.length; i++) {
        ref = app.append(ref, labels, start + i * interval, values[i]);
      }
    } catch (AppendException e) {
      app.rollback();
      throw new IllegalStateException(e);
    }
    app.commit();
  }

  /**
   * The standard data set: three request counters, a gauge with special values, and a series that
   * goes stale.
   */
  void loadStandardData() {
    double[] ramp = new double[41];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = i * 10;
    }
    series(
        Labels.of("__name__", "http_requests_total", "job", "api", "instance", "a", "code", "200"),
        T0,
        15_000,
        ramp);
    double[] half = new double[41];
    for (int i = 0; i < half.length; i++) {
      half[i] = i * 5;
    }
    series(
        Labels.of("__name__", "http_requests_total", "job", "api", "instance", "b", "code", "500"),
        T0,
        15_000,
        half);
    series(
        Labels.of("__name__", "http_requests_total", "job", "web", "instance", "c", "code", "200"),
        T0,
        15_000,
        half);
    series(Labels.of("__name__", "temperature", "room", "nan"), T0, 15_000, Double.NaN);
    series(
        Labels.of("__name__", "temperature", "room", "hot"), T0, 15_000, Double.POSITIVE_INFINITY);
    series(
        Labels.of("__name__", "temperature", "room", "cold"), T0, 15_000, Double.NEGATIVE_INFINITY);
    series(Labels.of("__name__", "temperature", "room", "tiny"), T0, 15_000, 1.5e-7);
    series(Labels.of("__name__", "temperature", "room", "warm"), T0, 15_000, 21.5);
    series(Labels.of("__name__", "going_stale", "job", "x"), T0, 15_000, 1, 2, STALE);
  }

  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + http.port() + pathAndQuery;
  }

  Response get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET());
  }

  Response get(String pathAndQuery, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET();
    headers.forEach(b::header);
    return send(b);
  }

  /** POSTs a form-encoded body built from name/value pairs. */
  Response postForm(String path, String... namesAndValues) {
    return send(
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(namesAndValues))));
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(r.body());
      } catch (IOException notJson) {
        json = JSON.nullNode();
      }
      return new Response(
          r.statusCode(), r.body(), json, r.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String form(String... namesAndValues) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (i > 0) {
        b.append('&');
      }
      b.append(enc(namesAndValues[i])).append('=').append(enc(namesAndValues[i + 1]));
    }
    return b.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Seconds since the epoch of {@code T0 + offsetMillis}, as a query parameter. */
  static String at(long offsetMillis) {
    long t = T0 + offsetMillis;
    return t % 1000 == 0
        ? Long.toString(t / 1000)
        : (t / 1000) + "." + String.format("%03d", t % 1000);
  }

  /** The self metrics in the text format. */
  String metrics() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
    tsdb.close();
  }
}
