package dev.nines.bench.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.nines.common.Labels;
import dev.nines.notify.Integration;
import dev.nines.notify.Notification;
import dev.nines.notify.Notifier;
import dev.nines.notify.NotifyOptions;
import dev.nines.notify.PipelineConfig;
import dev.nines.notify.SendResult;
import dev.nines.notify.alert.IncomingAlert;
import dev.nines.notify.config.HttpConfig;
import dev.nines.notify.config.Route;
import dev.nines.notify.config.RouteOptions;
import dev.nines.notify.config.WebhookConfig;
import dev.nines.notify.receiver.WebhookIntegration;
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
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time from the rule evaluation that turns an alert firing to a webhook receiving it, through the
 * real path: tsdb, PromQL, the rule manager, its {@link AlertSink} into the {@link Notifier}
 * (routing, grouping with {@code group_wait: 0s}, inhibition and silence stages, dedup against the
 * SQLite notification log, the send slots, Nines's {@link WebhookIntegration} with Alertmanager's
 * payload, the log write) and an HTTP POST to a receiver on loopback in the same process.
 *
 * <p>Phase 1 ("burst"): 10,000 series in 1,000 groups turn from 0 to 1, so one evaluation fires
 * 10,000 alerts at once; latency is measured for each alert. Phase 2 ("steady"): with those 10,000
 * alerts firing, one new series in a new group turns to 1 per evaluation, 30 times; latency is
 * measured for each new alert. Latency = receipt time − the alert's {@code startsAt}, which for a
 * rule without {@code for} is the timestamp of the evaluation that made it fire.
 *
 * <p>The scenario runs {@code ROUNDS} times (default 5) in one JVM, each on fresh storage and a
 * fresh pipeline: round 1 is the first traffic through the notify path after start (the JIT
 * compiles it while the burst runs; round 2 is still compiling the hot paths at the top tier), and
 * the summary at the end gives rounds 3 and later as the warm process. Each burst also prints the
 * process CPU time it took and a timeline (when the alerts reached the notifier, when its put
 * returned, first send, first and last receipt), so that figures taken on a loaded machine can be
 * read. The receiver is the JDK's {@code HttpServer} with a virtual thread per exchange; it shares
 * the process and its cores with Nines, which a production receiver does not.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.nines.bench.notify.AlertLatencyBench [ROUNDS]}; {@code -Dmax_concurrent_sends=N} overrides
 * {@code notify.max_concurrent_sends}.
 */
public final class AlertLatencyBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GROUPS = 1_000;
  private static final int PER_GROUP = 10;
  private static final int STEADY = 30;

  private final Map<String, Long> latencyMs = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> receipts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> sendStarts = new ConcurrentLinkedQueue<>();
  private final AtomicLong evaluatedAt = new AtomicLong();
  private final AtomicLong handedOver = new AtomicLong();
  private final AtomicLong putReturned = new AtomicLong();
  private long burstP99;
  private long steadyP99;

  private AlertLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int maxSends =
        Integer.getInteger("max_concurrent_sends", NotifyOptions.DEFAULT_MAX_CONCURRENT_SENDS);
    System.out.println("notify.max_concurrent_sends=" + maxSends);
    List<Long> warmBurst = new ArrayList<>();
    List<Long> warmSteady = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      System.out.println(
          "round " + r + (r == 1 ? " (cold JVM: first traffic through the notify path)" : ""));
      AlertLatencyBench b = new AlertLatencyBench();
      b.run(maxSends);
      if (r >= 3) {
        warmBurst.add(b.burstP99);
        warmSteady.add(b.steadyP99);
      }
    }
    if (!warmBurst.isEmpty()) {
      warmBurst.sort(null);
      warmSteady.sort(null);
      System.out.printf(
          "warm (rounds 3-%d): burst p99 median %d ms (min %d, max %d);"
              + " steady p99 median %d ms (max %d)%n",
          rounds,
          warmBurst.get((warmBurst.size() - 1) / 2),
          warmBurst.get(0),
          warmBurst.get(warmBurst.size() - 1),
          warmSteady.get((warmSteady.size() - 1) / 2),
          warmSteady.get(warmSteady.size() - 1));
    }
  }

  private void run(int maxSends) throws Exception {
    Path dir = Files.createTempDirectory("nines-alert-bench");
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    receiver.createContext(
        "/hook",
        ex -> {
          long now = System.currentTimeMillis();
          receipts.add(now);
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
    Integration webhook =
        new WebhookIntegration(
            new WebhookConfig(true, url, 0, HttpConfig.DEFAULT), 0, Duration.ofSeconds(30));
    PipelineConfig config =
        new PipelineConfig(
            new Route("{}", List.of(), false, options, List.of()),
            List.of(),
            Map.of(),
            Map.of("hook", List.of(new Timed(webhook, sendStarts))),
            Duration.ofMinutes(5),
            "");

    try (Store store = Store.open(StoreConfig.defaults(dir.resolve("data")));
        Tsdb tsdb = Tsdb.open(dir.resolve("tsdb"), TsdbOptions.defaults())) {
      Notifier notifier =
          Notifier.start(
              store,
              config,
              NotifyOptions.DEFAULTS.withMaxConcurrentSends(maxSends),
              InstantSource.system());
      AlertSink sink =
          (expr, alerts) -> {
            // The first alerts sent are the burst's (every series is 0 before it).
            evaluatedAt.compareAndSet(0, alerts.get(0).startsAt().toEpochMilli());
            handedOver.compareAndSet(0, System.currentTimeMillis());
            List<IncomingAlert> in = new ArrayList<>(alerts.size());
            for (OutgoingAlert a : alerts) {
              Labels.Builder b = Labels.builder();
              a.labels().forEach(b::set);
              in.add(
                  new IncomingAlert(
                      b.build(), a.annotations(), a.startsAt(), a.endsAt(), a.generatorUrl()));
            }
            notifier.put(in, Notifier.SOURCE_RULES);
            putReturned.compareAndSet(0, System.currentTimeMillis());
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
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      writeAll(tsdb, 1);
      while (latencyMs.size() < GROUPS * PER_GROUP) {
        Thread.sleep(20);
        if (System.nanoTime() - t0 > 120_000_000_000L) {
          throw new IllegalStateException("burst: only " + latencyMs.size() + " delivered");
        }
      }
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      List<Long> burst = new ArrayList<>(latencyMs.values());
      burstP99 = report("burst: 10,000 alerts in 1,000 groups fire in one evaluation", burst);
      timeline(cpu);

      // Phase 2: one new alert in a new group per evaluation, 10,000 already firing.
      List<Long> steady = new ArrayList<>();
      List<Long> evalMicros = new ArrayList<>();
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
        evalMicros.add(manager.groups().getFirst().evaluationTime().toNanos() / 1000);
        Thread.sleep(300);
      }
      steadyP99 = report("steady: 1 new alert in a new group, 10,000 firing", steady);
      evalMicros.sort(null);
      System.out.printf(
          "  rule group evaluation with 10,000 firing (the last before each new alert arrived):"
              + " median %.1f ms, max %.1f ms%n",
          evalMicros.get(evalMicros.size() / 2) / 1000.0, evalMicros.getLast() / 1000.0);
      System.out.println("  aggregation groups: " + notifier.groupCount());
      manager.close();
      notifier.close();
    } finally {
      receiver.stop(0);
    }
  }

  /** When things happened in the burst, relative to the evaluation that fired the alerts. */
  private void timeline(double cpuSeconds) {
    long t = evaluatedAt.get();
    List<Long> recv = new ArrayList<>(receipts);
    List<Long> sends = new ArrayList<>(sendStarts);
    recv.sort(null);
    sends.sort(null);
    System.out.printf(
        "  burst timeline (s after the evaluation at %s): handed to notify +%.2f, put returned"
            + " +%.2f, first send +%.2f, first receipt +%.2f, last receipt +%.2f; process CPU %.2f"
            + " s%n",
        java.time.Instant.ofEpochMilli(t),
        (handedOver.get() - t) / 1e3,
        (putReturned.get() - t) / 1e3,
        (sends.get(0) - t) / 1e3,
        (recv.get(0) - t) / 1e3,
        (recv.get(recv.size() - 1) - t) / 1e3,
        cpuSeconds);
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

  /** Prints the percentiles; returns the p99. */
  private static long report(String what, List<Long> latencies) {
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
    return latencies.get(Math.min(n - 1, (int) (n * 0.99)));
  }

  /** Nines's webhook integration, noting when each send starts. */
  private record Timed(Integration delegate, ConcurrentLinkedQueue<Long> starts)
      implements Integration {
    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public int index() {
      return delegate.index();
    }

    @Override
    public boolean sendResolved() {
      return delegate.sendResolved();
    }

    @Override
    public SendResult send(Notification n) throws InterruptedException {
      starts.add(System.currentTimeMillis());
      return delegate.send(n);
    }
  }
}
