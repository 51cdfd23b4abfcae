package dev.nines.ingest.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nines.common.Labels;
import dev.nines.ingest.remotewrite.RecordingAppendable;
import dev.nines.ingest.remotewrite.RecordingAppendable.Appended;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes against a real JDK HTTP server on loopback, driven by {@code scrapeAll()}. */
class ScrapeLoopTest {
  private HttpServer server;
  private volatile String body = "";
  private volatile String contentType = "text/plain; version=0.0.4";
  private volatile boolean gzip;
  private final Map<String, String> requestHeaders = new ConcurrentHashMap<>();
  private final RecordingAppendable storage = new RecordingAppendable();
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private ScrapeManager manager;
  private String address;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          requestHeaders.clear();
          ex.getRequestHeaders()
              .forEach((k, v) -> requestHeaders.put(k.toLowerCase(Locale.ROOT), v.get(0)));
          requestHeaders.put(":uri", ex.getRequestURI().toString());
          byte[] out = body.getBytes(StandardCharsets.UTF_8);
          if (gzip) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
              gz.write(out);
            }
            out = bos.toByteArray();
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
          }
          ex.getResponseHeaders().set("Content-Type", contentType);
          ex.sendResponseHeaders(200, out.length);
          try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
          }
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
    manager = new ScrapeManager(storage, java.net.http.HttpClient.newHttpClient(), clock::get);
  }

  @AfterEach
  void stopServer() {
    manager.close();
    server.stop(0);
  }

  private void configure(String extra) {
    manager.apply(
        ScrapeConfigParser.parseYaml(
            "scrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ['"
                + address
                + "']\n        labels: {env: prod}\n"
                + extra));
  }

  private Labels series(String name, String... more) {
    Labels.Builder b =
        Labels.builder()
            .set("__name__", name)
            .set("job", "node")
            .set("instance", address)
            .set("env", "prod");
    for (int i = 0; i < more.length; i += 2) {
      b.set(more[i], more[i + 1]);
    }
    return b.build();
  }

  private double last(String metric) {
    List<Appended> a = storage.named(metric);
    return a.get(a.size() - 1).v();
  }

  private TargetHealth health() {
    return manager.activeTargets().get(0);
  }

  @Test
  void samplesAreAppendedWithTargetLabelsAndSyntheticSeries() {
    body = "# TYPE foo counter\nfoo_total{a=\"1\"} 5\nbar 2\n";
    configure("");
    manager.scrapeAll();
    assertThat(storage.named("foo_total"))
        .containsExactly(new Appended(series("foo_total", "a", "1"), 1_000_000, 5));
    assertThat(storage.named("bar")).containsExactly(new Appended(series("bar"), 1_000_000, 2));
    assertThat(storage.named("up")).containsExactly(new Appended(series("up"), 1_000_000, 1));
    assertThat(last("scrape_samples_scraped")).isEqualTo(2);
    assertThat(last("scrape_samples_post_metric_relabeling")).isEqualTo(2);
    assertThat(last("scrape_series_added")).isEqualTo(2);
    assertThat(storage.named("scrape_duration_seconds")).hasSize(1);
    assertThat(requestHeaders)
        .containsEntry("accept", dev.nines.ingest.exposition.ExpositionFormat.SCRAPE_ACCEPT_HEADER)
        .containsEntry("accept-encoding", "gzip")
        .containsEntry("x-prometheus-scrape-timeout-seconds", "10");
    TargetHealth h = health();
    assertThat(h.health()).isEqualTo(TargetHealth.Health.UP);
    assertThat(h.lastError()).isEmpty();
    assertThat(h.scrapeUrl()).isEqualTo("http://" + address + "/metrics");
    assertThat(h.labels()).isEqualTo(Labels.of("job", "node", "instance", address, "env", "prod"));
    assertThat(h.discoveredLabels().get("__address__")).isEqualTo(address);
    assertThat(h.scrapePool()).isEqualTo("node");
    assertThat(h.scrapeInterval()).isEqualTo("1m");
    assertThat(h.scrapeTimeout()).isEqualTo("10s");

    manager.scrapeAll();
    assertThat(last("scrape_series_added")).isZero();
  }

  @Test
  void openMetricsIsChosenByContentType() {
    body = "# TYPE foo gauge\nfoo 3 1.5\n# EOF\n";
    contentType = "application/openmetrics-text; version=1.0.0";
    configure("");
    manager.scrapeAll();
    assertThat(storage.named("foo")).containsExactly(new Appended(series("foo"), 1500, 3));
  }

  @Test
  void honorTimestampsFalseUsesScrapeTime() {
    body = "foo 3 1500\n";
    configure("    honor_timestamps: false\n");
    manager.scrapeAll();
    assertThat(storage.named("foo")).containsExactly(new Appended(series("foo"), 1_000_000, 3));
  }

  @Test
  void conflictingLabelsAreExported() {
    body = "foo{job=\"other\",instance=\"x\"} 1\n";
    configure("");
    manager.scrapeAll();
    assertThat(storage.named("foo").get(0).labels())
        .isEqualTo(series("foo", "exported_job", "other", "exported_instance", "x"));
  }

  @Test
  void honorLabelsKeepsExposedValues() {
    body = "foo{job=\"other\",instance=\"x\"} 1\n";
    configure("    honor_labels: true\n");
    manager.scrapeAll();
    assertThat(storage.named("foo").get(0).labels())
        .isEqualTo(Labels.of("__name__", "foo", "job", "other", "instance", "x", "env", "prod"));
  }

  @Test
  void metricRelabelDropsSamples() {
    body = "foo 1\nbar 2\n";
    configure(
        """
            metric_relabel_configs:
              - {source_labels: [__name__], regex: bar, action: drop}
        """);
    manager.scrapeAll();
    assertThat(storage.named("foo")).hasSize(1);
    assertThat(storage.named("bar")).isEmpty();
    assertThat(last("scrape_samples_scraped")).isEqualTo(2);
    assertThat(last("scrape_samples_post_metric_relabeling")).isEqualTo(1);
  }

  @Test
  void sampleLimitFailsTheWholeScrape() {
    body = "foo 1\nbar 2\n";
    configure("    sample_limit: 1\n");
    manager.scrapeAll();
    assertThat(storage.committed())
        .extracting(a -> a.labels().metricName())
        .containsExactlyInAnyOrder(
            "up",
            "scrape_duration_seconds",
            "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling",
            "scrape_series_added");
    assertThat(last("up")).isZero();
    assertThat(health().health()).isEqualTo(TargetHealth.Health.DOWN);
    assertThat(health().lastError()).contains("sample_limit exceeded");
  }

  @Test
  void labelLimitFailsTheWholeScrape() {
    body = "foo{a=\"1\",b=\"2\"} 1\n";
    configure("    label_limit: 5\n");
    manager.scrapeAll();
    assertThat(storage.named("foo")).isEmpty();
    assertThat(health().lastError()).startsWith("label_limit exceeded");
  }

  @Test
  void badExpositionWritesNothingAndReportsLineAndColumn() {
    body = "foo 1\nbar{a=} 2\n";
    configure("");
    manager.scrapeAll();
    assertThat(storage.named("foo")).isEmpty();
    assertThat(last("up")).isZero();
    assertThat(health().lastError()).startsWith("line 2, column ");
  }

  @Test
  void bodySizeLimitFailsTheScrape() {
    body = "foo 1\nbar 2\n";
    configure("    body_size_limit: 4\n");
    manager.scrapeAll();
    assertThat(storage.named("foo")).isEmpty();
    assertThat(health().lastError()).startsWith("body size limit exceeded");
  }

  @Test
  void gzipBodiesAreDecompressed() {
    body = "foo 7\n";
    gzip = true;
    configure("");
    manager.scrapeAll();
    assertThat(storage.named("foo")).containsExactly(new Appended(series("foo"), 1_000_000, 7));
  }

  @Test
  void basicAuthHeaderIsSent() {
    body = "foo 1\n";
    configure("    basic_auth: {username: user, password: pa55}\n");
    manager.scrapeAll();
    assertThat(requestHeaders)
        .containsEntry(
            "authorization",
            "Basic "
                + Base64.getEncoder().encodeToString("user:pa55".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void bearerFromAuthorization() {
    body = "foo 1\n";
    configure("    authorization: {credentials: tok}\n");
    manager.scrapeAll();
    assertThat(requestHeaders).containsEntry("authorization", "Bearer tok");
  }

  @Test
  void relabelConfigsShapeTheUrlAndLabels() {
    body = "foo 1\n";
    configure(
        """
            params: {module: [a, b]}
            relabel_configs:
              - {target_label: __param_module, replacement: http_2xx}
              - {target_label: __metrics_path__, replacement: /probe}
              - {source_labels: [__address__], target_label: host, regex: '(.*):.*'}
        """);
    manager.scrapeAll();
    assertThat(requestHeaders).containsEntry(":uri", "/probe?module=http_2xx&module=b");
    assertThat(health().labels().get("host")).isEqualTo("127.0.0.1");
    assertThat(health().labels().get("__param_module")).isNull();
    assertThat(health().discoveredLabels().get("__param_module")).isEqualTo("a");
  }

  @Test
  void droppedTargetsAreListed() {
    configure("    relabel_configs: [{source_labels: [env], regex: prod, action: drop}]\n");
    assertThat(manager.activeTargets()).isEmpty();
    assertThat(manager.droppedTargets()).hasSize(1);
  }

  @Test
  void staleMarkersWhenASeriesDisappears() {
    body = "foo 1\nbar 2\n";
    configure("");
    manager.scrapeAll();
    body = "foo 1\n";
    clock.set(1_060_000);
    manager.scrapeAll();
    List<Appended> bar = storage.named("bar");
    assertThat(bar).hasSize(2);
    assertThat(bar.get(1).t()).isEqualTo(1_060_000);
    assertThat(Double.doubleToRawLongBits(bar.get(1).v())).isEqualTo(0x7ff0000000000002L);
    assertThat(storage.named("foo")).extracting(Appended::v).containsExactly(1.0, 1.0);
  }

  @Test
  void failedScrapeMarksPreviousSeriesStale() {
    body = "foo 1\n";
    configure("");
    manager.scrapeAll();
    body = "foo{ 1\n";
    clock.set(1_060_000);
    manager.scrapeAll();
    assertThat(Double.doubleToRawLongBits(last("foo"))).isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void fileSdPicksUpChangesAndStalesRemovedTargets(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("targets.json");
    Files.writeString(
        file, "[{\"targets\": [\"" + address + "\"], \"labels\": {\"team\": \"a\"}}]");
    manager.apply(
        ScrapeConfigParser.parseYaml(
            "scrape_configs:\n  - job_name: files\n    file_sd_configs:\n      - files: ['"
                + dir.resolve("*.json")
                + "']\n"));
    assertThat(manager.activeTargets()).hasSize(1);
    assertThat(manager.activeTargets().get(0).labels().get("team")).isEqualTo("a");
    assertThat(manager.activeTargets().get(0).discoveredLabels().get("__meta_filepath"))
        .isEqualTo(file.toString());
    body = "foo 1\n";
    manager.scrapeAll();
    assertThat(storage.named("foo")).hasSize(1);

    Files.writeString(
        file, "[{\"targets\": [\"" + address + "\"], \"labels\": {\"team\": \"b\"}}]");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1234));
    clock.set(1_005_000);
    manager.sync();
    assertThat(manager.activeTargets()).hasSize(1);
    assertThat(manager.activeTargets().get(0).labels().get("team")).isEqualTo("b");
    List<Appended> foo = storage.named("foo");
    assertThat(foo).hasSize(2);
    assertThat(foo.get(1).labels().get("team")).isEqualTo("a");
    assertThat(Double.doubleToRawLongBits(foo.get(1).v())).isEqualTo(0x7ff0000000000002L);
    assertThat(Double.doubleToRawLongBits(last("up"))).isEqualTo(0x7ff0000000000002L);

    Path yaml = dir.resolve("more.yaml");
    Files.writeString(yaml, "- targets: ['127.0.0.1:1']\n");
    manager.apply(
        ScrapeConfigParser.parseYaml(
            "scrape_configs:\n  - job_name: files\n    file_sd_configs:\n      - files: ['"
                + dir.resolve("*.json")
                + "', '"
                + yaml
                + "']\n"));
    assertThat(manager.activeTargets()).hasSize(2);
  }

  @Test
  void closingTheManagerStalesEverySeries() {
    body = "foo 1\n";
    configure("");
    manager.scrapeAll();
    clock.set(1_001_000);
    manager.close();
    assertThat(storage.named("foo")).hasSize(2);
    assertThat(storage.named("foo").get(1).t()).isEqualTo(1_001_000);
    assertThat(Double.doubleToRawLongBits(last("scrape_series_added")))
        .isEqualTo(0x7ff0000000000002L);
  }

  @Test
  void firstScrapeIsSpreadWithinTheInterval() {
    configure("");
    ScrapeConfig cfg =
        ScrapeConfigParser.parseYaml("scrape_configs: [{job_name: x}]").scrapeConfigs().get(0);
    for (int i = 0; i < 20; i++) {
      TargetGroup g = new TargetGroup(List.of("host-" + i + ":80"), Labels.EMPTY, "");
      Target t = Target.populate(cfg, Target.discovered(cfg, g, "host-" + i + ":80"));
      ScrapeLoop loop =
          new ScrapeLoop(t, cfg, storage, java.net.http.HttpClient.newHttpClient(), clock::get);
      long first = loop.firstScrapeAt(1_000_123);
      assertThat(first).isBetween(1_000_123L, 1_000_123L + 60_000);
      assertThat(loop.firstScrapeAt(first + 60_000)).isEqualTo(first + 60_000);
    }
  }
}
