package dev.nines.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.EngineOptions;
import dev.nines.promql.engine.Result;
import dev.nines.promql.engine.Sample;
import dev.nines.rules.file.RuleFileException;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleManagerTest {
  static final long T0 = 1_700_000_000_000L;
  static final long MIN = 60_000L;

  @TempDir Path dir;
  Tsdb tsdb;
  Engine engine = new Engine(EngineOptions.DEFAULTS);
  List<OutgoingAlert> sent = new CopyOnWriteArrayList<>();
  RuleManager manager;

  @BeforeEach
  void open() throws IOException {
    tsdb = Tsdb.open(dir.resolve("tsdb"), TsdbOptions.defaults());
  }

  @AfterEach
  void close() throws IOException {
    if (manager != null) {
      manager.close();
    }
    tsdb.close();
  }

  RuleManager manager(ManagerOptions options) {
    return new RuleManager(
        QueryFunc.engine(engine, tsdb),
        tsdb,
        tsdb,
        (expr, alerts) -> sent.addAll(alerts),
        options,
        InstantSource.fixed(Instant.ofEpochMilli(T0)));
  }

  Path file(String name, String yaml) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  void write(String metric, long t, double v, String... labels) throws Exception {
    Appender app = tsdb.appender();
    Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, metric);
    for (int i = 0; i < labels.length; i += 2) {
      b.set(labels[i], labels[i + 1]);
    }
    app.append(0, b.build(), t, v);
    app.commit();
  }

  List<Sample> query(String q, long t) {
    return ((Result.Vector) engine.instantQuery(tsdb, q, t)).samples();
  }

  /** Raw samples of the series matching a metric name, as value@time. */
  List<String> raw(String metric, String extraLabel, String extraValue) {
    List<String> out = new ArrayList<>();
    try (Querier q = tsdb.querier(0, Long.MAX_VALUE)) {
      List<LabelMatcher> ms = new ArrayList<>();
      ms.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, "__name__", metric));
      if (extraLabel != null) {
        ms.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, extraLabel, extraValue));
      }
      SeriesSet set = q.select(true, SelectHints.range(0, Long.MAX_VALUE), ms);
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == SampleIterator.FLOAT) {
          double v = it.value();
          String vs =
              Double.doubleToRawLongBits(v) == 0x7ff0_0000_0000_0002L
                  ? "stale"
                  : Double.toString(v);
          out.add(vs + "@" + (it.timestamp() - T0) / 1000);
        }
      }
    }
    return out;
  }

  @Test
  void recordingRuleWritesSeriesWithLabelsAndStaleMarkers() throws Exception {
    write("up", T0, 1, "job", "a");
    write("up", T0, 0, "job", "b");
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(
        List.of(
            file(
                "r.yml",
                """
                groups:
                  - name: g
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                        labels:
                          team: sre
                """)));
    RuleGroup g = manager.groups().get(0);
    manager.evaluate(g, T0 + 1000);
    assertThat(query("job:up:sum", T0 + 1000))
        .extracting(s -> s.labels().toString(), Sample::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "{__name__=\"job:up:sum\", job=\"a\", team=\"sre\"}", 1.0),
            org.assertj.core.groups.Tuple.tuple(
                "{__name__=\"job:up:sum\", job=\"b\", team=\"sre\"}", 0.0));
    assertThat(g.rules().get(0).health()).isEqualTo(RuleHealth.OK);
    // job b disappears: its recorded series gets a stale marker at the next evaluation.
    write("up", T0 + 60_000, 1, "job", "a");
    write("up", T0 + 60_000, Double.longBitsToDouble(0x7ff0_0000_0000_0002L), "job", "b");
    manager.evaluate(g, T0 + 61_000);
    assertThat(raw("job:up:sum", "job", "b")).containsExactly("0.0@1", "stale@61");
    assertThat(raw("job:up:sum", "job", "a")).containsExactly("1.0@1", "1.0@61");
  }

  @Test
  void limitExceededIsARuleError() throws Exception {
    write("up", T0, 1, "job", "a");
    write("up", T0, 1, "job", "b");
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(
        List.of(
            file(
                "r.yml",
                """
                groups:
                  - name: g
                    limit: 1
                    rules:
                      - record: x
                        expr: up
                """)));
    RuleGroup g = manager.groups().get(0);
    manager.evaluate(g, T0 + 1000);
    assertThat(g.rules().get(0).health()).isEqualTo(RuleHealth.ERR);
    assertThat(g.rules().get(0).lastError()).isEqualTo("exceeded limit of 1 with 2 series");
    assertThat(query("x", T0 + 1000)).isEmpty();
  }

  static final String ALERT_FILE =
      """
      groups:
        - name: alerts
          interval: 1m
          rules:
            - alert: HighErrors
              expr: errors > 5
              for: 2m
              keep_firing_for: 2m
              labels:
                severity: page
              annotations:
                summary: "{{ $labels.instance }} has {{ $value }} errors"
      """;

  @Test
  void alertGoesPendingFiringKeepsFiringAndResolves() throws Exception {
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", ALERT_FILE)));
    RuleGroup g = manager.groups().get(0);
    AlertingRule rule = (AlertingRule) g.rules().get(0);

    write("errors", T0, 10, "instance", "i1");
    manager.evaluate(g, T0);
    assertThat(rule.state()).isEqualTo(AlertState.PENDING);
    assertThat(rule.alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.labels().get("alertname")).isEqualTo("HighErrors");
              assertThat(a.labels().get("severity")).isEqualTo("page");
              assertThat(a.annotations()).containsEntry("summary", "i1 has 10 errors");
            });
    assertThat(sent).isEmpty();

    write("errors", T0 + MIN, 10, "instance", "i1");
    manager.evaluate(g, T0 + MIN);
    assertThat(rule.state()).isEqualTo(AlertState.PENDING);

    write("errors", T0 + 2 * MIN, 12, "instance", "i1");
    manager.evaluate(g, T0 + 2 * MIN);
    assertThat(rule.state()).isEqualTo(AlertState.FIRING);
    assertThat(sent)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.startsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * MIN));
              // endsAt = now + 4 * max(interval 1m, resend delay 1m)
              assertThat(a.endsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 6 * MIN));
              assertThat(a.annotations()).containsEntry("summary", "i1 has 12 errors");
              assertThat(a.generatorUrl())
                  .isEqualTo("http://localhost:9595/graph?g0.expr=errors+%3E+5&g0.tab=1");
            });

    // ALERTS: pending at 1m, firing at 2m (the first evaluation after start only restores
    // state, as in Prometheus); ALERTS_FOR_STATE holds activeAt in seconds.
    assertThat(raw("ALERTS", "alertstate", "pending")).containsExactly("1.0@60", "stale@120");
    assertThat(raw("ALERTS", "alertstate", "firing")).containsExactly("1.0@120");
    assertThat(raw("ALERTS_FOR_STATE", null, null)).containsExactly("1.7E9@60", "1.7E9@120");

    // Condition clears; keep_firing_for 2m keeps it firing for two more evaluations.
    write("errors", T0 + 3 * MIN, 1, "instance", "i1");
    manager.evaluate(g, T0 + 3 * MIN);
    assertThat(rule.state()).isEqualTo(AlertState.FIRING);
    assertThat(rule.alerts().get(0).keepFiringSince())
        .isEqualTo(Instant.ofEpochMilli(T0 + 3 * MIN));
    write("errors", T0 + 4 * MIN, 1, "instance", "i1");
    manager.evaluate(g, T0 + 4 * MIN);
    assertThat(rule.state()).isEqualTo(AlertState.FIRING);
    sent.clear();
    write("errors", T0 + 5 * MIN, 1, "instance", "i1");
    manager.evaluate(g, T0 + 5 * MIN);
    assertThat(rule.state()).isEqualTo(AlertState.INACTIVE);
    assertThat(rule.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.resolvedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5 * MIN)));
    // The resolved alert is sent with endsAt = resolvedAt.
    assertThat(sent)
        .singleElement()
        .satisfies(a -> assertThat(a.endsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5 * MIN)));
    assertThat(raw("ALERTS", "alertstate", "firing")).endsWith("1.0@240", "stale@300");

    // Kept for 15 minutes after resolving, then dropped.
    manager.evaluate(g, T0 + 20 * MIN);
    assertThat(rule.alerts()).hasSize(1);
    manager.evaluate(g, T0 + 20 * MIN + 1);
    assertThat(rule.alerts()).isEmpty();
  }

  @Test
  void alertsAreSentBeforeTheRuleSamplesAreWritten() throws Exception {
    // Prometheus's order: the ALERTS write (a WAL commit) must not delay the notification.
    List<List<String>> alertsSeriesAtSend = new CopyOnWriteArrayList<>();
    manager =
        new RuleManager(
            QueryFunc.engine(engine, tsdb),
            tsdb,
            tsdb,
            (expr, alerts) -> alertsSeriesAtSend.add(raw("ALERTS", "alertstate", "firing")),
            ManagerOptions.DEFAULTS,
            InstantSource.fixed(Instant.ofEpochMilli(T0)));
    manager.update(
        List.of(
            file(
                "a.yml",
                """
                groups:
                  - name: alerts
                    interval: 1m
                    rules:
                      - alert: Up
                        expr: up > 0
                """)));
    RuleGroup g = manager.groups().get(0);
    write("up", T0, 0, "instance", "i1");
    manager.evaluate(g, T0);
    assertThat(alertsSeriesAtSend).isEmpty();
    write("up", T0 + MIN, 1, "instance", "i1");
    manager.evaluate(g, T0 + MIN);
    // One send, which saw no ALERTS sample yet; the sample is written after it.
    assertThat(alertsSeriesAtSend).hasSize(1);
    assertThat(alertsSeriesAtSend.get(0)).isEmpty();
    assertThat(raw("ALERTS", "alertstate", "firing")).containsExactly("1.0@60");
  }

  @Test
  void pendingAlertThatClearsIsDropped() throws Exception {
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", ALERT_FILE)));
    RuleGroup g = manager.groups().get(0);
    AlertingRule rule = (AlertingRule) g.rules().get(0);
    write("errors", T0, 10, "instance", "i1");
    manager.evaluate(g, T0);
    write("errors", T0 + MIN, 1, "instance", "i1");
    manager.evaluate(g, T0 + MIN);
    assertThat(rule.alerts()).isEmpty();
    assertThat(rule.state()).isEqualTo(AlertState.INACTIVE);
  }

  @Test
  void restoresActiveAtFromAlertsForStateAfterRestart() throws Exception {
    String file =
        """
        groups:
          - name: alerts
            rules:
              - alert: Slow
                expr: latency > 1
                for: 30m
        """;
    // First run: pending since T0, ALERTS_FOR_STATE written until T0+10m, then "crash".
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", file)));
    RuleGroup g = manager.groups().get(0);
    for (long t = T0; t <= T0 + 10 * MIN; t += MIN) {
      write("latency", t, 2);
      manager.evaluate(g, t);
    }
    assertThat(((AlertingRule) g.rules().get(0)).state()).isEqualTo(AlertState.PENDING);
    manager.close();

    // Restart 5 minutes later: a new manager, first evaluation then restore.
    long restart = T0 + 15 * MIN;
    write("latency", restart, 2);
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", file)));
    RuleGroup g2 = manager.groups().get(0);
    AlertingRule r2 = (AlertingRule) g2.rules().get(0);
    manager.evaluate(g2, restart);
    // 10m were spent pending before the outage; 20m remain (more than the 10m grace period), so
    // activeAt moves forward by the 5m the server was down: T0 + 5m.
    assertThat(r2.alerts().get(0).activeAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5 * MIN));
    write("latency", T0 + 34 * MIN, 2);
    manager.evaluate(g2, T0 + 34 * MIN);
    assertThat(r2.state()).isEqualTo(AlertState.PENDING);
    write("latency", T0 + 35 * MIN, 2);
    manager.evaluate(g2, T0 + 35 * MIN);
    assertThat(r2.state()).isEqualTo(AlertState.FIRING);
  }

  @Test
  void restoreWithinGracePeriodWaitsTheGracePeriod() throws Exception {
    String file =
        """
        groups:
          - name: alerts
            rules:
              - alert: Slow
                expr: latency > 1
                for: 15m
        """;
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", file)));
    RuleGroup g = manager.groups().get(0);
    for (long t = T0; t <= T0 + 10 * MIN; t += MIN) {
      write("latency", t, 2);
      manager.evaluate(g, t);
    }
    manager.close();
    long restart = T0 + 12 * MIN;
    write("latency", restart, 2);
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", file)));
    RuleGroup g2 = manager.groups().get(0);
    manager.evaluate(g2, restart);
    // 5m remained (< 10m grace): it fires 10m after the restart.
    assertThat(((AlertingRule) g2.rules().get(0)).alerts().get(0).activeAt())
        .isEqualTo(Instant.ofEpochMilli(restart + 10 * MIN - 15 * MIN));
  }

  @Test
  void reloadKeepsAlertStateAndBadFileKeepsOldRules() throws Exception {
    manager = manager(ManagerOptions.DEFAULTS);
    Path f = file("a.yml", ALERT_FILE);
    manager.update(List.of(f));
    RuleGroup g = manager.groups().get(0);
    write("errors", T0, 10, "instance", "i1");
    manager.evaluate(g, T0);

    Files.writeString(f, ALERT_FILE.replace("errors\"", "errors now\""));
    manager.update(List.of(f));
    RuleGroup g2 = manager.groups().get(0);
    assertThat(g2).isNotSameAs(g);
    AlertingRule r2 = (AlertingRule) g2.rules().get(0);
    assertThat(r2.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.activeAt()).isEqualTo(Instant.ofEpochMilli(T0)));

    Files.writeString(
        f, "groups:\n  - name: alerts\n    rules:\n      - alert: X\n        expr: sum(\n");
    assertThatThrownBy(() -> manager.update(List.of(f)))
        .isInstanceOf(RuleFileException.class)
        .hasMessageContaining("a.yml:5: groups[0].rules[0].expr: could not parse expression");
    assertThat(manager.groups()).containsExactly(g2);
  }

  @Test
  void removedGroupGetsStaleMarkers() throws Exception {
    write("up", T0 - 2000, 1, "job", "a");
    manager = manager(ManagerOptions.DEFAULTS);
    Path f =
        file(
            "r.yml",
            """
            groups:
              - name: g
                rules:
                  - record: x
                    expr: up
            """);
    manager.update(List.of(f));
    manager.evaluate(manager.groups().get(0), T0 - 1000);
    Files.writeString(f, "groups: []\n");
    manager.update(List.of(f));
    assertThat(manager.groups()).isEmpty();
    assertThat(raw("x", null, null)).containsExactly("1.0@-1", "stale@0");
  }

  @Test
  void slowGroupDoesNotDelayAnother() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch fastRan = new CountDownLatch(5);
    QueryFunc engineQuery = QueryFunc.engine(engine, tsdb);
    QueryFunc q =
        (expr, t) -> {
          if (expr.contains("slow")) {
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          } else {
            fastRan.countDown();
          }
          return engineQuery.query(expr, t);
        };
    manager =
        new RuleManager(
            q,
            tsdb,
            tsdb,
            AlertSink.NONE,
            ManagerOptions.DEFAULTS.withEvaluationInterval(Duration.ofMillis(50)),
            InstantSource.system());
    manager.update(
        List.of(
            file(
                "r.yml",
                """
                groups:
                  - name: slow
                    rules:
                      - record: s
                        expr: vector(1) + 0 * absent(slow)
                  - name: fast
                    rules:
                      - record: f
                        expr: vector(2)
                """)));
    manager.start();
    // The fast group evaluates repeatedly while the slow one is stuck in its first evaluation.
    assertThat(fastRan.await(20, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    manager.close();
    RuleGroup slow = manager.groups().get(0);
    assertThat(slow.name()).isEqualTo("slow");
    // The slow group's first evaluation spanned at least four of its intervals; the ones it
    // overran are counted as missed, not run late.
    assertThat(slow.missedIterations()).isPositive();
    assertThat(slow.evaluations()).isPositive();
  }

  @Test
  void evalTimestampIsAlignedAndStable() throws Exception {
    manager = manager(ManagerOptions.DEFAULTS);
    manager.update(List.of(file("a.yml", ALERT_FILE)));
    RuleGroup g = manager.groups().get(0);
    long a = g.evalTimestamp(T0);
    assertThat(a).isLessThanOrEqualTo(T0).isGreaterThan(T0 - MIN);
    assertThat(g.evalTimestamp(T0 + MIN)).isEqualTo(a + MIN);
    assertThat(g.evalTimestamp(a)).isEqualTo(a);
  }
}
