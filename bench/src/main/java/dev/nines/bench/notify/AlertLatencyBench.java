package dev.nines.bench.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nines.common.Labels;
import dev.nines.notify.Alert;
import dev.nines.notify.Integration;
import dev.nines.notify.Notification;
import dev.nines.notify.Notifier;
import dev.nines.notify.NotifyOptions;
import dev.nines.notify.PipelineConfig;
import dev.nines.notify.SendResult;
import dev.nines.notify.alert.IncomingAlert;
import dev.nines.notify.config.Route;
import dev.nines.notify.config.RouteOptions;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.EngineOptions;
import dev.nines.rules.AlertSink;
import dev.nines.rules.ManagerOptions;
import dev.nines.rules.OutgoingAlert;
import dev.nines.rules.QueryFunc;
import dev.nines.rules.RuleManager;
import dev.nines.store.Store;
import dev.nines.store.StoreConfig;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Time from the rule evaluation that turns an alert firing to a webhook receiving it, through the
 * real path: tsdb, PromQL, the rule manager, its {@link AlertSink} into the {@link Notifier}
 * (routing, grouping with {@code group_wait: 0s}, inhibition and silence stages, dedup against the
 * SQLite notification log, the send, the log write) and an HTTP POST to a receiver on loopback.
 *
 * <p>Phase 1 ("burst"): 10,000 series in 1,000 groups turn from 0 to 1, so one evaluation fires
 * 10,000 alerts at once; latency is measured for each alert. Phase 2 ("steady"): with those 10,000
 * alerts firing, one new series in a new group turns to 1 per evaluation, 30 times; latency is
 * measured for each new alert. Latency = receipt time − the alert's {@code startsAt}, which for a
 * rule without {@code for} is the timestamp of the evaluation that made it fire.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar dev.nines.bench.notify.AlertLatencyBench}
 */
public final class AlertLatencyBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GROUPS = 1_000;
  private static final int PER_GROUP = 10;
  private static final int STEADY = 30;

  private AlertLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("nines-alert-bench");
    Map<String, Long> latencyMs = new ConcurrentHashMap<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/hook",
        ex -> {
          long now = System.currentTimeMillis();
          JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
          for (JsonNode a : body.path("alerts")) {
            if (a.path("status").asText().equals("firing")) {
              String key =
                  a.path("labels").path("group").asText()
                      + "/"
                      + a.path("labels").path("instance").asText();
              long startsAt = Instant.parse(a.path("startsAt").asText()).toEpochMilli();
              latencyMs.putIfAbsent(key, now - startsAt);
            }
          }
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

    HttpClient http = HttpClient.newHttpClient();
    RouteOptions options =
        new RouteOptions(
            "hook",
            List.of("group"),
            false,
            Duration.ZERO,
            Duration.ofMinutes(5),
            Duration.ofHours(4),
            List.of(),
            List.of());
    PipelineConfig config =
        new PipelineConfig(
            new Route("{}", List.of(), false, options, List.of()),
            List.of(),
            Map.of(),
            Map.of("hook", List.of(new Webhook(url, http))),
            Duration.ofMinutes(5),
            "");

    try (Store store = Store.open(StoreConfig.defaults(dir.resolve("data")));
        Tsdb tsdb = Tsdb.open(dir.resolve("tsdb"), TsdbOptions.defaults())) {
      Notifier notifier =
          Notifier.start(store, config, NotifyOptions.DEFAULTS, InstantSource.system());
      AlertSink sink =
          (expr, alerts) -> {
            List<IncomingAlert> in = new ArrayList<>(alerts.size());
            for (OutgoingAlert a : alerts) {
              Labels.Builder b = Labels.builder();
              a.labels().forEach(b::set);
              in.add(
                  new IncomingAlert(
                      b.build(), a.annotations(), a.startsAt(), a.endsAt(), a.generatorUrl()));
            }
            notifier.put(in, Notifier.SOURCE_RULES);
          };
      Path rules = dir.resolve("rules.yml");
      Files.writeString(
          rules,
          """
          groups:
            - name: bench
              interval: 1s
              rules:
                - alert: BenchDown
                  expr: bench_up > 0
          """);
      Engine engine = new Engine(EngineOptions.DEFAULTS);
      writeAll(tsdb, 0);
      RuleManager manager =
          new RuleManager(
              QueryFunc.engine(engine, tsdb),
              tsdb,
              tsdb,
              sink,
              ManagerOptions.DEFAULTS.withEvaluationInterval(Duration.ofSeconds(1)),
              InstantSource.system());
      manager.update(List.of(rules));
      manager.start();
      Thread.sleep(2_000);

      // Phase 1: everything fires at once.
      long t0 = System.nanoTime();
      writeAll(tsdb, 1);
      while (latencyMs.size() < GROUPS * PER_GROUP) {
        Thread.sleep(20);
        if (System.nanoTime() - t0 > 120_000_000_000L) {
          throw new IllegalStateException("burst: only " + latencyMs.size() + " delivered");
        }
      }
      report(
          "burst: 10,000 alerts in 1,000 groups fire in one evaluation",
          new ArrayList<>(latencyMs.values()));

      // Phase 2: one new alert in a new group per evaluation, 10,000 already firing.
      List<Long> steady = new ArrayList<>();
      for (int i = 0; i < STEADY; i++) {
        String key = "new" + i + "/i0";
        writeOne(tsdb, "new" + i, "i0", 1);
        long start = System.nanoTime();
        while (!latencyMs.containsKey(key)) {
          Thread.sleep(5);
          if (System.nanoTime() - start > 30_000_000_000L) {
            throw new IllegalStateException("steady: alert " + key + " never arrived");
          }
        }
        steady.add(latencyMs.get(key));
        Thread.sleep(300);
      }
      report("steady: 1 new alert in a new group, 10,000 firing", steady);
      System.out.println("aggregation groups: " + notifier.groupCount());
      manager.close();
      notifier.close();
    } finally {
      receiver.stop(0);
    }
  }

  private static void writeAll(Tsdb tsdb, double value) throws Exception {
    Appender app = tsdb.appender();
    long t = System.currentTimeMillis();
    for (int g = 0; g < GROUPS; g++) {
      for (int i = 0; i < PER_GROUP; i++) {
        app.append(
            0, Labels.of("__name__", "bench_up", "group", "g" + g, "instance", "i" + i), t, value);
      }
    }
    app.commit();
  }

  private static void writeOne(Tsdb tsdb, String group, String instance, double value)
      throws Exception {
    Appender app = tsdb.appender();
    app.append(
        0,
        Labels.of("__name__", "bench_up", "group", group, "instance", instance),
        System.currentTimeMillis(),
        value);
    app.commit();
  }

  private static void report(String what, List<Long> latencies) {
    latencies.sort(null);
    int n = latencies.size();
    System.out.printf(
        "%s: n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms%n",
        what,
        n,
        latencies.get((int) (n * 0.50)),
        latencies.get(Math.min(n - 1, (int) (n * 0.90))),
        latencies.get(Math.min(n - 1, (int) (n * 0.99))),
        latencies.get(n - 1));
  }

  /** A minimal webhook integration: the alerts' labels, status and startsAt as JSON. */
  private record Webhook(String url, HttpClient http) implements Integration {
    @Override
    public String name() {
      return "webhook";
    }

    @Override
    public int index() {
      return 0;
    }

    @Override
    public boolean sendResolved() {
      return true;
    }

    @Override
    public SendResult send(Notification n) throws InterruptedException {
      List<Map<String, Object>> alerts = new ArrayList<>();
      for (Alert a : n.alerts()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", a.resolvedAt(n.now()) ? "resolved" : "firing");
        Map<String, String> labels = new LinkedHashMap<>();
        a.labels().forEach(labels::put);
        m.put("labels", labels);
        m.put("startsAt", a.startsAt().toString());
        alerts.add(m);
      }
      try {
        byte[] body = JSON.writeValueAsBytes(Map.of("groupKey", n.groupKey(), "alerts", alerts));
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() / 100 == 2
            ? SendResult.success()
            : SendResult.retry("status " + r.statusCode());
      } catch (IOException e) {
        return SendResult.retry(e.toString());
      }
    }
  }
}
