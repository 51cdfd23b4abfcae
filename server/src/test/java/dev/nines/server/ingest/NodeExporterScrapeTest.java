package dev.nines.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.ingest.exposition.ExpositionFormat;
import dev.nines.server.NinesProcess;
import dev.nines.server.NinesServer;
import dev.nines.server.PeerTools;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Nines scrapes the real {@code prometheus-node-exporter} (Debian's package, started here as a
 * child process on a free loopback port) and what it stored is compared with what the exporter
 * serves, read by a small line parser of this test's own (not Nines's parser).
 *
 * <p>The exporter's output changes between requests (counters move, gauges wander), so the test
 * fetches {@code /metrics} just before and just after one Nines scrape and checks the series that
 * scrape stored (every sample at exactly the scrape's timestamp, labels without {@code job} and
 * {@code instance}): every series present in both fetches is stored, nothing is stored that is in
 * neither, and a series whose value is the same in both fetches is stored with that value (except
 * families that count the exporter's own connections, which differ between Nines's scrape and the
 * test's fetch; a value that merely wandered makes the round retry, up to three rounds). Then the
 * synthetic series, {@code /api/v1/metadata} and {@code /api/v1/targets/metadata}.
 */
class NodeExporterScrapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SYNTHETIC =
      Set.of(
          "up",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  /**
   * Families whose values depend on who is connected to the exporter at that moment (Nines's scrape
   * or this test's fetch is one more socket, file descriptor, goroutine, runnable task...):
   * compared as series, not by value. {@code node_procs_running} counts the tasks runnable at the
   * instant of the request, which include the requester's own threads, so on a busy machine a
   * scrape and the fetches around it can each see a different count that none of them repeats.
   */
  private static final List<String> OBSERVER_DEPENDENT =
      List.of(
          "node_sockstat_",
          "node_netstat_",
          "node_filefd_",
          "node_nf_conntrack_",
          "node_procs_running",
          "node_procs_blocked",
          "process_",
          "go_");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One fetch of the exporter, parsed: values by series, and TYPE/HELP by family. */
  record Exposition(
      Map<Labels, Double> samples, Map<String, String> types, Map<String, String> help) {}

  @Test
  void whatNinesStoresIsWhatTheExporterServes(@TempDir Path dir) throws Exception {
    assumeTrue(
        PeerTools.installed("prometheus-node-exporter"), "prometheus-node-exporter not installed");
    int exporterPort = PeerTools.freePort();
    Process exporter =
        new ProcessBuilder(
                "prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + exporterPort)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node-exporter.log").toFile())
            .start();
    try {
      String metricsUrl = "http://127.0.0.1:" + exporterPort + "/metrics";
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> !fetch(metricsUrl).samples().isEmpty());

      Path file = dir.resolve("nines.yml");
      Files.writeString(
          file,
          """
          server:
            listen: 127.0.0.1:0
            data_dir: %s
          scrape_configs:
            - job_name: node
              scrape_interval: 2s
              scrape_timeout: 2s
              static_configs:
                - targets: ['127.0.0.1:%d']
          """
              .formatted(dir.resolve("data"), exporterPort));
      NinesConfig config = ConfigLoader.load(file);
      try (NinesServer nines = NinesServer.start(config, () -> config)) {
        Instant first = awaitScrapeAfter(nines, Instant.EPOCH);
        List<String> failures = new ArrayList<>();
        String failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
          Exposition before = fetch(metricsUrl);
          Instant scrape = awaitScrapeAfter(nines, first);
          Exposition after = fetch(metricsUrl);
          first = scrape;
          Map<Labels, Double> stored = storedAt(nines, scrape.toEpochMilli());
          failure = compare(before, after, stored);
          if (failure != null) {
            failures.add("scrape at " + scrape + ": " + failure);
          } else {
            checkSynthetic(stored, scrape);
            checkMetadata(nines.port(), after);
            break;
          }
        }
        assertThat(failure)
            .as("three scrapes in a row disagreed with the exporter: %s", failures)
            .isNull();
      }
    } finally {
      exporter.destroy();
      if (!exporter.waitFor(10, TimeUnit.SECONDS)) {
        exporter.destroyForcibly();
      }
    }
  }

  /** What differs between the stored scrape and the two fetches around it, or null. */
  private static String compare(
      Exposition before, Exposition after, Map<Labels, Double> storedWithSynthetic) {
    Map<Labels, Double> stored = new HashMap<>();
    storedWithSynthetic.forEach(
        (l, v) -> {
          if (!SYNTHETIC.contains(l.metricName())) {
            stored.put(l.toBuilder().delete("job").delete("instance").build(), v);
          }
        });
    Set<Labels> inBoth = new HashSet<>(before.samples().keySet());
    inBoth.retainAll(after.samples().keySet());
    Set<Labels> inEither = new HashSet<>(before.samples().keySet());
    inEither.addAll(after.samples().keySet());
    assertThat(inBoth).as("series the exporter served twice").hasSizeGreaterThan(200);

    Set<Labels> missing = new HashSet<>(inBoth);
    missing.removeAll(stored.keySet());
    Set<Labels> extra = new HashSet<>(stored.keySet());
    extra.removeAll(inEither);
    List<String> wrong = new ArrayList<>();
    for (Labels l : inBoth) {
      double a = before.samples().get(l);
      double b = after.samples().get(l);
      Double s = stored.get(l);
      String name = l.metricName();
      if (OBSERVER_DEPENDENT.stream().anyMatch(name::startsWith)) {
        continue;
      }
      if (s != null && Double.compare(a, b) == 0 && Double.compare(a, s) != 0) {
        wrong.add(l + ": served " + a + ", stored " + s);
      }
    }
    if (missing.isEmpty() && extra.isEmpty() && wrong.isEmpty()) {
      return null;
    }
    return "missing " + missing + "; not served " + extra + "; wrong values " + wrong;
  }

  private static void checkSynthetic(Map<Labels, Double> stored, Instant scrape) {
    Map<String, Double> synthetic = new TreeMap<>();
    stored.forEach(
        (l, v) -> {
          if (SYNTHETIC.contains(l.metricName())) {
            assertThat(l.get("job")).isEqualTo("node");
            synthetic.put(l.metricName(), v);
          }
        });
    assertThat(synthetic).as("synthetic series at %s", scrape).containsOnlyKeys(SYNTHETIC);
    long samples =
        stored.keySet().stream().filter(l -> !SYNTHETIC.contains(l.metricName())).count();
    assertThat(synthetic.get("up")).isEqualTo(1.0);
    assertThat(synthetic.get("scrape_samples_scraped")).isEqualTo((double) samples);
    assertThat(synthetic.get("scrape_samples_post_metric_relabeling")).isEqualTo((double) samples);
    assertThat(synthetic.get("scrape_duration_seconds")).isPositive();
    assertThat(synthetic.get("scrape_series_added")).isBetween(0.0, (double) samples);
  }

  private static void checkMetadata(int port, Exposition served) throws Exception {
    JsonNode all = api(port, "/api/v1/metadata").path("data");
    int checked = 0;
    for (Map.Entry<String, String> e : served.types().entrySet()) {
      String family = e.getKey();
      JsonNode entries = all.path(family);
      assertThat(entries).as("metadata of %s", family).hasSize(1);
      assertThat(entries.get(0).path("type").asText()).isEqualTo(e.getValue());
      assertThat(entries.get(0).path("help").asText())
          .isEqualTo(served.help().getOrDefault(family, ""));
      assertThat(entries.get(0).path("unit").asText()).isEmpty();
      checked++;
    }
    assertThat(checked).isGreaterThan(50);

    JsonNode cpu = api(port, "/api/v1/metadata?metric=node_cpu_seconds_total").path("data");
    assertThat(cpu.size()).isEqualTo(1);
    assertThat(cpu.path("node_cpu_seconds_total").get(0).path("type").asText())
        .isEqualTo("counter");
    assertThat(api(port, "/api/v1/metadata?limit=3").path("data").size()).isEqualTo(3);

    String selector = URLEncoder.encode("{job=\"node\"}", StandardCharsets.UTF_8);
    JsonNode target =
        api(
            port,
            "/api/v1/targets/metadata?match_target=" + selector + "&metric=node_cpu_seconds_total");
    assertThat(target.path("status").asText()).isEqualTo("success");
    assertThat(target.path("data")).hasSize(1);
    JsonNode entry = target.path("data").get(0);
    assertThat(entry.path("target").path("job").asText()).isEqualTo("node");
    assertThat(entry.has("metric")).isFalse();
    assertThat(entry.path("type").asText()).isEqualTo("counter");
    assertThat(entry.path("help").asText()).isEqualTo(served.help().get("node_cpu_seconds_total"));
    JsonNode everything = api(port, "/api/v1/targets/metadata").path("data");
    assertThat(everything.size()).isEqualTo(served.types().size());
    assertThat(everything.get(0).has("metric")).isTrue();
    String other = URLEncoder.encode("{job=\"other\"}", StandardCharsets.UTF_8);
    assertThat(api(port, "/api/v1/targets/metadata?match_target=" + other).path("data")).isEmpty();
  }

  private static JsonNode api(int port, String path) throws Exception {
    return JSON.readTree(NinesProcess.get(port, path).body());
  }

  /** Waits for the target's next successful scrape after {@code after}; returns its time. */
  private static Instant awaitScrapeAfter(NinesServer nines, Instant after) {
    Instant[] seen = new Instant[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              JsonNode t = api(nines.port(), "/api/v1/targets").path("data").path("activeTargets");
              assertThat(t).hasSize(1);
              assertThat(t.get(0).path("lastError").asText()).isEmpty();
              assertThat(t.get(0).path("health").asText()).isEqualTo("up");
              Instant last = Instant.parse(t.get(0).path("lastScrape").asText());
              assertThat(last).isAfter(after);
              seen[0] = last;
            });
    return seen[0];
  }

  /** Every sample of job="node" stored at exactly {@code t}. */
  private static Map<Labels, Double> storedAt(NinesServer nines, long t) {
    Map<Labels, Double> out = new HashMap<>();
    try (Querier q = nines.tsdb().querier(t, t)) {
      SeriesSet set =
          q.select(
              false,
              SelectHints.range(t, t),
              List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "job", "node")));
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        while (it.next() != SampleIterator.NONE) {
          if (it.timestamp() == t) {
            out.put(set.at().labels(), it.value());
          }
        }
      }
    }
    return out;
  }

  /** Fetches and parses the exporter's exposition with the same Accept header Nines sends. */
  private static Exposition fetch(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", ExpositionFormat.SCRAPE_ACCEPT_HEADER)
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    Map<Labels, Double> samples = new HashMap<>();
    Map<String, String> types = new TreeMap<>();
    Map<String, String> help = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.equals("# EOF")) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] p = line.substring(7).split(" ", 2);
        types.put(p[0], p[1].equals("untyped") ? "unknown" : p[1]);
      } else if (line.startsWith("# HELP ")) {
        String[] p = line.substring(7).split(" ", 2);
        help.put(p[0], p.length < 2 ? "" : unescape(p[1]));
      } else if (!line.startsWith("#")) {
        parseSample(line, samples);
      }
    }
    return new Exposition(samples, types, help);
  }

  /** {@code name{a="b",...} value [timestamp]}, as node exporter writes it. */
  private static void parseSample(String line, Map<Labels, Double> out) {
    Labels.Builder b = Labels.builder();
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    b.set("__name__", line.substring(0, i));
    if (line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String name = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2; // past ="
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
          j++;
        }
        b.set(name, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    out.put(b.build(), number(rest[0]));
  }

  private static double number(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> out.append('\n');
          case '\\', '"' -> out.append(n);
          default -> out.append(c).append(n);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
