package dev.nines.slo.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.EngineOptions;
import dev.nines.rules.ActiveAlert;
import dev.nines.rules.AlertState;
import dev.nines.rules.AlertingRule;
import dev.nines.rules.ManagerOptions;
import dev.nines.rules.QueryFunc;
import dev.nines.rules.Rule;
import dev.nines.rules.RuleGroup;
import dev.nines.rules.RuleManager;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.Slo;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.spec.SpecLoader;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.FsyncPolicy;
import dev.nines.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synthetic service at a 99.9% SLO on a real tsdb, PromQL engine and rule manager, driven by a
 * controlled clock: samples are written directly (a scrape every minute) and rule groups evaluated
 * at their instants, so hours of simulated time take seconds.
 *
 * <p>The workbook's detection time for a burn rate {@code b} against an alert threshold {@code f}
 * over a long window {@code L} is {@code f / b * L}: at 20x, the page pair (14.4x over 1h) fires
 * after 0.72 h = 43.2 min and the ticket pairs (3x over 1d, 1x over 3d) after 0.15 d = 3.6 h. The
 * SLI, meta and alert groups run every minute, in that order, 7 s after each scrape.
 */
class SloEndToEndTest {
  private static final long SCRAPE = 60_000;
  private static final long EVAL = 60_000;
  private static final long EVAL_PHASE = 7_000;
  private static final double RPS = 10;
  private static final long HOUR = 3_600_000;
  private static final long DAY = 24 * HOUR;
  // A scrape instant, far enough from the epoch for 3 days of history.
  private static final long T0 = 1_700_000_000_000L / SCRAPE * SCRAPE;

  private static final String SPEC =
      """
      version: prometheus/v1
      service: checkout
      labels: {team: payments}
      slos:
        - name: availability
          objective: 99.9
          sli:
            events:
              error_query: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))
              total_query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
          alerting:
            name: CheckoutAvailability
            annotations:
              runbook_url: https://runbooks.example/checkout
      """;

  @TempDir Path dir;
  Tsdb tsdb;
  final Engine engine = new Engine(EngineOptions.DEFAULTS);
  final AtomicLong now = new AtomicLong(T0);
  final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
  RuleManager manager;
  SloService service;
  double total;
  double errors;
  long lastScrape = T0 - SCRAPE;
  boolean scraping = true;

  @BeforeEach
  void open() throws Exception {
    // No fsync: every rule commits, and waiting for group commits would only slow the test.
    tsdb =
        Tsdb.open(
            dir.resolve("tsdb"),
            TsdbOptions.defaults()
                .withWal(WalOptions.defaults().withFsyncPolicy(FsyncPolicy.NONE)));
    manager =
        new RuleManager(
            QueryFunc.engine(engine, tsdb),
            tsdb,
            tsdb,
            (expr, alerts) -> {},
            ManagerOptions.DEFAULTS.withEvaluationInterval(Duration.ofMillis(EVAL)),
            clock);
    service = new SloService(tsdb, QueryFunc.engine(engine, tsdb), clock);
  }

  @AfterEach
  void close() throws Exception {
    manager.close();
    tsdb.close();
  }

  /** Writes scrapes up to {@code until} at {@code errorRatio}: counters of 2xx and 5xx. */
  void scrapeUntil(long until, double errorRatio) throws Exception {
    Appender app = tsdb.appender();
    Labels ok = Labels.of("__name__", "http_requests_total", "job", "checkout", "code", "200");
    Labels bad = Labels.of("__name__", "http_requests_total", "job", "checkout", "code", "500");
    int n = 0;
    for (long t = lastScrape + SCRAPE; t <= until; t += SCRAPE) {
      double events = RPS * SCRAPE / 1000.0;
      errors += events * errorRatio;
      total += events;
      app.append(0, ok, t, total - errors);
      app.append(0, bad, t, errors);
      lastScrape = t;
      if (++n % 10_000 == 0) {
        app.commit();
        app = tsdb.appender();
      }
    }
    app.commit();
  }

  List<Slo> load(SloDefaults defaults) throws Exception {
    SpecLoader.Result r = SpecLoader.loadTexts(Map.of("checkout.yml", SPEC), defaults);
    assertThat(r.problems()).isEmpty();
    manager.updateFiles(List.of(service.apply("slo_files", r.slos())));
    return r.slos();
  }

  RuleGroup group(String suffix) {
    return manager.groups().stream()
        .filter(g -> g.name().endsWith(suffix))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Runs time forward to {@code until}: scrapes every minute at {@code errorRatio}, the bucket
   * group at its own instants, the other groups every minute. Returns when each alert first fired,
   * by severity.
   */
  Map<String, Long> run(long until, double errorRatio, Map<String, Long> fired) throws Exception {
    RuleGroup buckets = group("-buckets");
    List<RuleGroup> everyTick =
        List.of(group("-sli"), group("-sli-long"), group("-meta"), group("-alerts"));
    long nextBucket = buckets.evalTimestamp(now.get()) + buckets.interval().toMillis();
    long nextTick = (now.get() - EVAL_PHASE) / EVAL * EVAL + EVAL + EVAL_PHASE;
    while (Math.min(nextBucket, nextTick) <= until) {
      long t = Math.min(nextBucket, nextTick);
      now.set(t);
      if (scraping) {
        scrapeUntil(t, errorRatio);
      }
      if (t == nextBucket) {
        manager.evaluate(buckets, t);
        nextBucket += buckets.interval().toMillis();
      }
      if (t == nextTick) {
        for (RuleGroup g : everyTick) {
          manager.evaluate(g, t);
        }
        for (Rule r : group("-alerts").rules()) {
          if (r instanceof AlertingRule a) {
            for (ActiveAlert alert : a.alerts()) {
              if (alert.state() == AlertState.FIRING) {
                fired.putIfAbsent(a.name() + "/" + alert.labels().get("severity"), t);
              }
            }
          }
        }
        nextTick += EVAL;
      }
    }
    now.set(until);
    return fired;
  }

  /** Backfills the SLO {@code id} into blocks, as the server does; the buckets written. */
  int backfill(String id) {
    return service.backfill(
        engine,
        series ->
            tsdb.importSeries(
                series.stream()
                    .map(s -> new Tsdb.ImportSeries(s.labels(), s.times(), s.values()))
                    .toList()),
        manager.groups(),
        Set.of(id));
  }

  /** Backfills the SLO {@code id} with a sink that fails the test if anything is written. */
  int backfillWritesNothing(String id) {
    return service.backfill(
        engine,
        series -> {
          throw new AssertionError("nothing to write");
        },
        manager.groups(),
        Set.of(id));
  }

  /** Writes 3 days of clean history, loads the SLO and backfills its buckets. */
  void historyThenLoad(double errorRatio) throws Exception {
    scrapeUntil(T0 + 3 * DAY, errorRatio);
    now.set(T0 + 3 * DAY);
    List<Slo> slos = load(SloDefaults.DEFAULTS);
    int filled = backfill(slos.getFirst().id());
    assertThat(filled).isBetween(3 * 288 - 1, 3 * 288); // 3 days of data in the 30-day window
  }

  @Test
  void anHourAt20xPagesAfterTheWorkbookTimeAndNeverTickets() throws Exception {
    historyThenLoad(0);
    long burst = now.get() / SCRAPE * SCRAPE;
    Map<String, Long> fired = run(burst + HOUR, 0.02, new HashMap<>());
    run(burst + 2 * HOUR, 0, fired);

    long predictedPage = burst + Math.round(14.4 / 20 * HOUR); // 43.2 minutes
    assertThat(fired).containsOnlyKeys("CheckoutAvailability/page");
    assertThat((double) fired.get("CheckoutAvailability/page"))
        .isCloseTo(predictedPage, within((double) EVAL));
    // The page resolved once the 5-minute window cleared; the ticket could not fire: the most the
    // burst puts in the 1-day window is 1/24 * 2% = 0.083%, below 3 * 0.1%.
    AlertingRule page = alert("page");
    assertThat(page.alerts()).allMatch(a -> a.state() != AlertState.FIRING);
  }

  @Test
  void fourHoursAt20xTicketAfterTheWorkbookTimeAndSpendTheBudget() throws Exception {
    historyThenLoad(0);
    long burst = now.get() / SCRAPE * SCRAPE;
    Map<String, Long> fired = run(burst + 4 * HOUR, 0.02, new HashMap<>());

    long predictedPage = burst + Math.round(14.4 / 20 * HOUR);
    long predictedTicket = burst + Math.round(3.0 / 20 * DAY); // 3.6 hours, both ticket pairs
    assertThat((double) fired.get("CheckoutAvailability/page"))
        .isCloseTo(predictedPage, within((double) EVAL));
    // The ticket's windows (1d and 2h) are sums of 5-minute buckets, which end at the newest
    // bucket: the ticket fires after the workbook time, by at most one bucket and one evaluation.
    assertThat(fired.get("CheckoutAvailability/ticket"))
        .isBetween(predictedTicket - EVAL, predictedTicket + 5 * 60_000 + EVAL);

    // Budget from buckets: 3 days clean + 4 hours at 2% errors over a 30-day window.
    SloStatus st = service.status("checkout-availability").orElseThrow();
    double allTotal = RPS * (3 * DAY + 4 * HOUR) / 1000;
    double allErrors = RPS * 4 * HOUR / 1000 * 0.02;
    assertThat(st.total()).isCloseTo(allTotal, within(allTotal * 0.005));
    assertThat(st.remaining()).isCloseTo(1 - allErrors / (0.001 * allTotal), within(0.02));
    assertThat(st.remaining()).isNegative();
    assertThat(st.policy().active())
        .containsExactlyInAnyOrder(BudgetPolicy.Action.NOTIFY, BudgetPolicy.Action.FREEZE);
    assertThat(st.timeToExhaustion()).contains(Duration.ZERO);
    // Burn rate over the page's 1h window is 20x.
    assertThat(st.currentBurnRate()).isCloseTo(20, within(0.01));
    assertThat(service.servicePolicy("checkout").frozen()).isTrue();
  }

  @Test
  void backfillShowsTheTrueBudgetAtOnceAndNeverCountsTwice() throws Exception {
    // 3 days at half the budget's rate: 0.05% errors.
    historyThenLoad(0.0005);
    SloStatus st = service.status("checkout-availability").orElseThrow();
    assertThat(st.total()).isCloseTo(RPS * 3 * DAY / 1000, within(RPS * 3 * DAY / 1000 * 0.005));
    assertThat(st.errorRatio()).isCloseTo(0.0005, within(1e-9));
    assertThat(st.remaining()).isCloseTo(0.5, within(1e-6));
    assertThat(st.policy().active()).isEmpty();

    // Live buckets continue where the backfill stopped; a second backfill adds nothing.
    run(now.get() + HOUR, 0.0005, new HashMap<>());
    assertThat(backfillWritesNothing("checkout-availability")).isZero();
    SloStatus later = service.status("checkout-availability").orElseThrow();
    assertThat(later.total())
        .isCloseTo(RPS * (3 * DAY + HOUR) / 1000, within(RPS * 3 * DAY / 1000 * 0.005));
    assertThat(later.remaining()).isCloseTo(0.5, within(1e-6));
    // The burn-down of the last hour, every 5 minutes, stays at half the budget.
    BurnDown bd =
        service
            .burnDown("checkout-availability", now.get() - HOUR, now.get(), 300_000)
            .orElseThrow();
    assertThat(bd.times()).hasSize(13);
    for (double r : bd.remaining()) {
      assertThat(r).isCloseTo(0.5, within(1e-6));
    }
  }

  @Test
  void aThresholdSliGetsItsPastGoodFlagsAndBucketsBackfilled() throws Exception {
    // A p99 latency gauge, scraped every minute for a day: 2% of the minutes over 250 ms.
    Appender app = tsdb.appender();
    Labels p99 = Labels.of("__name__", "checkout_latency_p99_seconds", "job", "checkout");
    int minutes = (int) (DAY / SCRAPE);
    for (int m = 0; m < minutes; m++) {
      app.append(0, p99, T0 + m * SCRAPE, m % 50 == 0 ? 0.4 : 0.1);
    }
    app.commit();
    now.set(T0 + DAY - SCRAPE);
    String spec =
        """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: checkout-latency
        spec:
          service: checkout
          indicator:
            metadata:
              name: checkout-p99
            spec:
              thresholdMetric:
                metricSource:
                  type: Prometheus
                  spec:
                    query: max(checkout_latency_p99_seconds{job="checkout"})
          timeWindow:
            - duration: 30d
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - op: lte
              value: 0.25
              target: 0.95
        """;
    SpecLoader.Result r = SpecLoader.loadTexts(Map.of("latency.yml", spec), SloDefaults.DEFAULTS);
    assertThat(r.problems()).isEmpty();
    manager.updateFiles(List.of(service.apply("slo_files", r.slos())));

    int filled = backfill("checkout-latency");

    // One flag per SLI evaluation (every minute), 5 per bucket, over the day of data.
    assertThat(filled).isBetween(287, 288);
    SloStatus st = service.status("checkout-latency").orElseThrow();
    assertThat(st.total()).isBetween(1430.0, 1440.0);
    assertThat(st.errorRatio()).isCloseTo(0.02, within(0.001));
    assertThat(st.remaining()).isCloseTo(1 - 0.02 / 0.05, within(0.02));
    // A second backfill finds every flag and bucket in place.
    assertThat(backfillWritesNothing("checkout-latency")).isZero();
  }

  @Test
  void zeroTrafficIsAFullBudgetNotNaN() throws Exception {
    now.set(T0);
    load(SloDefaults.DEFAULTS);
    // Counters exist but do not move: no events at all.
    Appender app = tsdb.appender();
    for (long t = T0; t <= T0 + HOUR; t += SCRAPE) {
      app.append(
          0, Labels.of("__name__", "http_requests_total", "job", "checkout", "code", "200"), t, 0);
      app.append(
          0, Labels.of("__name__", "http_requests_total", "job", "checkout", "code", "500"), t, 0);
    }
    app.commit();
    lastScrape = T0 + HOUR;
    run(T0 + HOUR, 0, new HashMap<>());
    SloStatus st = service.status("checkout-availability").orElseThrow();
    assertThat(st.remaining()).isEqualTo(1.0);
    assertThat(st.errorRatio()).isZero();
    assertThat(st.currentBurnRate()).isZero();
    assertThat(st.timeToExhaustion()).isEmpty();
    List<Double> recorded = new ArrayList<>();
    for (var s :
        QueryFunc.engine(engine, tsdb)
            .query("slo:period_error_budget_remaining:ratio", now.get())) {
      recorded.add(s.value());
    }
    assertThat(recorded).containsExactly(1.0);
  }

  @Test
  void absentSliSeriesFireTheNoDataAlert() throws Exception {
    now.set(T0);
    load(SloDefaults.DEFAULTS);
    scraping = false; // no series written at all
    Map<String, Long> fired = run(T0 + HOUR, 0, new HashMap<>());
    assertThat(fired).containsKey("CheckoutAvailabilityNoData/ticket");
    assertThat(alert("page").alerts()).isEmpty();
  }

  private AlertingRule alert(String severity) {
    for (Rule r : group("-alerts").rules()) {
      if (r instanceof AlertingRule a && severity.equals(a.labels().get("severity"))) {
        return a;
      }
    }
    throw new AssertionError("no " + severity + " alert");
  }
}
