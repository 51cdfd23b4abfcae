package dev.nines.bench.slo;

import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.EngineOptions;
import dev.nines.rules.AlertSink;
import dev.nines.rules.ManagerOptions;
import dev.nines.rules.QueryFunc;
import dev.nines.rules.RuleGroup;
import dev.nines.rules.RuleManager;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.service.SloService;
import dev.nines.slo.service.SloStatus;
import dev.nines.slo.spec.SpecLoader;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU and memory of evaluating N SLOs (default 1,000) with 30-day windows every 30 s, steady state.
 *
 * <p>Data, as a running Nines would hold it: per SLO two request counters (all and 5xx) scraped
 * every {@code scrape} seconds (default 30) for the last 3 days (the longest alert window), and 30
 * days of recorded 5-minute buckets. History goes into one block through the tsdb's import; live
 * samples go into the head. SLOs come from one generated Sloth file (10 SLOs per service) through
 * the real loader and rule generator, and run on the real rule manager and PromQL engine.
 *
 * <p>One round = 30 s of simulated time: a scrape of every series, then every group that is due on
 * its own interval (the rule manager's is 30 s; the generated long-window and meta groups run every
 * minute, the bucket groups every 5 minutes), spread over the rounds. Rounds are counted in whole
 * 5-minute cycles. The figure is the process CPU time per round (all threads, GC included) divided
 * by 30 s: the share of one core. Memory is the heap after full GCs with the rules loaded and
 * evaluated, minus the heap with the same data but no rules (the tsdb's own memory is its
 * benchmark's business).
 *
 * <p>Each round evaluates every due group on its own virtual thread (as the rule manager does) and
 * waits for all. The WAL does not fsync here: each rule commits, and waiting for group commits (10
 * ms) would measure the disk, not the evaluation.
 *
 * <p>Run: {@code java -Xmx4g -cp bench/target/benchmarks.jar dev.nines.bench.slo.SloEvalBench
 * [slos] [rounds] [scrapeSeconds]}.
 */
public final class SloEvalBench {
  private static final long MIN = 60_000;
  private static final long DAY = 1_440 * MIN;
  private static final long ROUND = 30_000;

  private SloEvalBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    long scrape = (args.length > 2 ? Long.parseLong(args[2]) : 30) * 1000;
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Path dir = Files.createTempDirectory("slo-bench");
    long now = 1_700_000_000_000L / ROUND * ROUND;
    AtomicLong clockMillis = new AtomicLong(now);
    InstantSource clock = () -> Instant.ofEpochMilli(clockMillis.get());

    Tsdb tsdb =
        Tsdb.open(
            dir.resolve("tsdb"), TsdbOptions.defaults().withCompactionInterval(Duration.ZERO));
    long t0 = System.nanoTime();
    Labels[] ok = new Labels[n];
    Labels[] bad = new Labels[n];
    double[] rps = new double[n];
    for (int i = 0; i < n; i++) {
      ok[i] = Labels.of("__name__", "http_requests_total", "code", "200", "svc", "s" + i);
      bad[i] = Labels.of("__name__", "http_requests_total", "code", "500", "svc", "s" + i);
      rps[i] = 1 + i % 100;
    }
    // History: 3 days of raw counters, 30 days of buckets, in one block; the head takes the rest.
    long rawStart = now - 3 * DAY;
    long headFrom = now - 30 * MIN;
    int rawPoints = (int) ((headFrom - rawStart) / scrape);
    int bucketPoints = (int) (30 * DAY / (5 * MIN));
    List<Tsdb.ImportSeries> history = new ArrayList<>();
    double[] okValue = new double[n];
    double[] badValue = new double[n];
    for (int i = 0; i < n; i++) {
      long[] times = new long[rawPoints];
      double[] okv = new double[rawPoints];
      double[] badv = new double[rawPoints];
      for (int k = 0; k < rawPoints; k++) {
        times[k] = rawStart + k * scrape;
        double events = rps[i] * scrape / 1000.0;
        badValue[i] += events * 0.0005;
        okValue[i] += events * 0.9995;
        okv[k] = okValue[i];
        badv[k] = badValue[i];
      }
      history.add(new Tsdb.ImportSeries(ok[i], times, okv));
      history.add(new Tsdb.ImportSeries(bad[i], times.clone(), badv));
      long[] bt = new long[bucketPoints];
      double[] tot = new double[bucketPoints];
      double[] err = new double[bucketPoints];
      for (int k = 0; k < bucketPoints; k++) {
        bt[k] = headFrom - (long) (bucketPoints - k) * 5 * MIN;
        tot[k] = rps[i] * 300;
        err[k] = tot[k] * 0.0005;
      }
      Labels common = Labels.of("service", "svc" + i / 10, "slo", "svc" + i / 10 + "-slo" + i);
      history.add(
          new Tsdb.ImportSeries(
              common.toBuilder().set("__name__", "slo:events_total:increase5m").build(), bt, tot));
      history.add(
          new Tsdb.ImportSeries(
              common.toBuilder().set("__name__", "slo:events_error:increase5m").build(),
              bt.clone(),
              err));
    }
    tsdb.importSeries(history);
    history = null;
    long lastScrape = rawStart + (rawPoints - 1) * scrape;
    lastScrape = appendUntil(tsdb, ok, bad, rps, okValue, badValue, lastScrape, now, scrape);
    System.out.printf(
        Locale.ROOT,
        "data: %d SLOs, %d raw samples/series at %ds, %d buckets/series, loaded in %.1f s%n",
        n,
        rawPoints,
        scrape / 1000,
        bucketPoints,
        (System.nanoTime() - t0) / 1e9);

    long heapData = usedAfterGc(mem);
    StringBuilder spec = new StringBuilder();
    for (int s = 0; s < (n + 9) / 10; s++) {
      spec.append("---\nversion: prometheus/v1\nservice: svc").append(s).append("\nslos:\n");
      for (int i = s * 10; i < Math.min(n, s * 10 + 10); i++) {
        spec.append("  - name: slo")
            .append(i)
            .append("\n    objective: 99.9\n    sli:\n      events:\n")
            .append("        error_query: sum(rate(http_requests_total{svc=\"s")
            .append(i)
            .append("\",code=~\"5..\"}[{{.window}}]))\n")
            .append("        total_query: sum(rate(http_requests_total{svc=\"s")
            .append(i)
            .append("\"}[{{.window}}]))\n")
            .append("    alerting:\n      name: Slo")
            .append(i)
            .append("Burn\n");
      }
    }
    SpecLoader.Result loaded =
        SpecLoader.loadTexts(Map.of("bench.yml", spec.toString()), SloDefaults.DEFAULTS);
    if (!loaded.ok()) {
      throw new IllegalStateException(loaded.problems().getFirst().toString());
    }
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    QueryFunc query = QueryFunc.engine(engine, tsdb);
    SloService service = new SloService(tsdb, query, clock);
    RuleManager manager =
        new RuleManager(
            query,
            tsdb,
            tsdb,
            AlertSink.NONE,
            ManagerOptions.DEFAULTS.withEvaluationInterval(Duration.ofMillis(ROUND)),
            clock);
    manager.updateFiles(List.of(service.apply("slo_files", loaded.slos())));
    List<RuleGroup> groups = manager.groups();
    System.out.printf(
        Locale.ROOT,
        "rules: %d groups, %d rules%n",
        manager.groups().size(),
        manager.groups().stream().mapToInt(g -> g.rules().size()).sum());

    // Whole 5-minute cycles, so that every group's share of the work is in the average.
    rounds = Math.max(10, rounds / 10 * 10);
    int warmup = 10;
    long cpuSum = 0;
    long wallSum = 0;
    for (int r = 0; r < warmup + rounds; r++) {
      long t = now + (r + 1) * ROUND;
      lastScrape = appendUntil(tsdb, ok, bad, rps, okValue, badValue, lastScrape, t, scrape);
      clockMillis.set(t);
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      // A group with an interval of k rounds runs every k-th round, groups spread over the k.
      List<RuleGroup> due = new ArrayList<>();
      for (int g = 0; g < groups.size(); g++) {
        long k = Math.max(1, groups.get(g).interval().toMillis() / ROUND);
        if ((r + g) % k == 0) {
          due.add(groups.get(g));
        }
      }
      // Each group on its own virtual thread, as the rule manager runs them: the groups' commits
      // then share WAL batches instead of queueing one after another.
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (RuleGroup g : due) {
          pool.submit(() -> manager.evaluate(g, t));
        }
      }
      long cpu = os.getProcessCpuTime() - cpu0;
      long wall = System.nanoTime() - wall0;
      if (r >= warmup) {
        cpuSum += cpu;
        wallSum += wall;
      }
    }
    double cpuPerRound = cpuSum / 1e9 / rounds;
    System.out.printf(
        Locale.ROOT,
        "evaluation: %.3f s CPU per 30 s round (%.2f%% of one core), %.3f s wall, over %d rounds"
            + " after %d warm-up%n",
        cpuPerRound,
        cpuPerRound / 30 * 100,
        wallSum / 1e9 / rounds,
        rounds,
        warmup);

    // The API's list, five times: the first call pays for class loading and compilation.
    List<SloStatus> statuses = List.of();
    StringBuilder calls = new StringBuilder();
    for (int c = 0; c < 5; c++) {
      long a0 = os.getProcessCpuTime();
      statuses = service.statuses();
      calls.append(String.format(Locale.ROOT, " %.3f", (os.getProcessCpuTime() - a0) / 1e9));
    }
    System.out.printf(
        Locale.ROOT,
        "GET /api/nines/v1/slos equivalent (%d statuses), s CPU per call:%s; first: remaining"
            + " %.4f%n",
        statuses.size(),
        calls,
        statuses.getFirst().remaining());

    long heapRules = usedAfterGc(mem);
    System.out.printf(
        Locale.ROOT,
        "heap: %.1f MiB with the data only, %.1f MiB with rules loaded and evaluated:"
            + " %.1f MiB for %d SLOs (%.1f KiB each)%n",
        heapData / 1048576.0,
        heapRules / 1048576.0,
        (heapRules - heapData) / 1048576.0,
        n,
        (heapRules - heapData) / 1024.0 / n);
    manager.close();
    tsdb.close();
  }

  private static long appendUntil(
      Tsdb tsdb,
      Labels[] ok,
      Labels[] bad,
      double[] rps,
      double[] okValue,
      double[] badValue,
      long last,
      long until,
      long scrape)
      throws Exception {
    long t = last + scrape;
    while (t <= until) {
      Appender app = tsdb.appender();
      for (int i = 0; i < ok.length; i++) {
        double events = rps[i] * scrape / 1000.0;
        badValue[i] += events * 0.0005;
        okValue[i] += events * 0.9995;
        app.append(0, ok[i], t, okValue[i]);
        app.append(0, bad[i], t, badValue[i]);
      }
      app.commit();
      last = t;
      t += scrape;
    }
    return last;
  }

  private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
