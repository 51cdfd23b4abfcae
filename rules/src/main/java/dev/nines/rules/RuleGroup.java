package dev.nines.rules;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.promql.engine.Sample;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.Appendable;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.storage.SampleIterator;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule group at run time: its rules, evaluated in order at one timestamp per interval, and the
 * series each rule wrote last time (to write stale markers for those that disappear).
 *
 * <p>Each rule's samples are appended and committed before the next rule runs, as Prometheus does,
 * so that a rule sees the output of the rules before it in the same evaluation.
 */
public final class RuleGroup {
  private static final Logger LOG = LoggerFactory.getLogger(RuleGroup.class);

  /** Prometheus's stale marker. */
  static final double STALE_NAN = Double.longBitsToDouble(0x7ff0_0000_0000_0002L);

  private final String name;
  private final String file;
  private final Duration interval;
  private final int limit;
  private final Duration queryOffset;
  private final Map<String, String> labels;
  private final List<Rule> rules;
  private final AtomicLong missedIterations = new AtomicLong();
  private final AtomicLong evaluations = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final List<Set<Labels>> previousSeries;
  private volatile @Nullable Instant lastEvaluation;
  private volatile Duration evaluationTime = Duration.ZERO;
  private boolean shouldRestore;

  RuleGroup(
      String name,
      String file,
      Duration interval,
      int limit,
      Duration queryOffset,
      Map<String, String> labels,
      List<Rule> rules) {
    this.name = name;
    this.file = file;
    this.interval = interval;
    this.limit = limit;
    this.queryOffset = queryOffset;
    this.labels = Map.copyOf(labels);
    this.rules = List.copyOf(rules);
    this.previousSeries = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      previousSeries.add(new HashSet<>());
    }
  }

  /** The group name. */
  public String name() {
    return name;
  }

  /** The file the group came from. */
  public String file() {
    return file;
  }

  /** The evaluation interval. */
  public Duration interval() {
    return interval;
  }

  /** The group's limit (0: none). */
  public int limit() {
    return limit;
  }

  /** The query offset. */
  public Duration queryOffset() {
    return queryOffset;
  }

  /** The group's labels. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The rules, in order. */
  public List<Rule> rules() {
    return rules;
  }

  /** When the group was last evaluated, or null. */
  public @Nullable Instant lastEvaluation() {
    return lastEvaluation;
  }

  /** How long the last evaluation of the whole group took. */
  public Duration evaluationTime() {
    return evaluationTime;
  }

  /** Intervals skipped because an evaluation took longer than the interval. */
  public long missedIterations() {
    return missedIterations.get();
  }

  /** Evaluations run. */
  public long evaluations() {
    return evaluations.get();
  }

  /** Rule evaluations that failed. */
  public long failures() {
    return failures.get();
  }

  void addMissed(long n) {
    missedIterations.addAndGet(n);
  }

  boolean shouldRestore() {
    return shouldRestore;
  }

  void setShouldRestore(boolean b) {
    shouldRestore = b;
  }

  /** A key identifying the group across reloads. */
  String key() {
    return file + "\u0000" + name;
  }

  /**
   * The timestamp of the evaluation at or before {@code nowMillis}: a multiple of the interval
   * shifted by a hash of the group's name and file, so that groups spread over the interval and a
   * group keeps its phase across restarts (as Prometheus's {@code EvalTimestamp}).
   */
  public long evalTimestamp(long nowMillis) {
    long iv = interval.toMillis();
    long offset = Math.floorMod(hash(), iv);
    long adjNow = nowMillis - offset;
    long base = adjNow - Math.floorMod(adjNow, iv);
    return base + offset;
  }

  private long hash() {
    byte[] b = (name + "\u00ff" + file).getBytes(StandardCharsets.UTF_8);
    long h = 0xcbf29ce484222325L;
    for (byte x : b) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Evaluates every rule at {@code ts}, writes the results and stale markers, and sends alerts. */
  void evaluate(
      long ts, QueryFunc query, Appendable storage, AlertSink sink, ManagerOptions options) {
    long start = System.nanoTime();
    Rule.EvalContext ctx = new Rule.EvalContext(query, queryOffset.toMillis(), limit, options);
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      long ruleStart = System.nanoTime();
      List<Sample> out;
      try {
        out = rule.eval(ts, ctx);
      } catch (RuleEvaluationException | RuntimeException e) {
        failures.incrementAndGet();
        rule.recordOutcome(ts, Duration.ofNanos(System.nanoTime() - ruleStart), e.getMessage());
        LOG.warn(
            "rule evaluation failed: group={} rule={} error={}", name, rule.name(), e.getMessage());
        continue;
      }
      // Alerts go out before the rule's samples are written, as Prometheus orders it: the ALERTS
      // series write (a WAL commit) must not delay notifications.
      if (rule instanceof AlertingRule ar) {
        List<OutgoingAlert> alerts = ar.alertsToSend(ts, interval, options);
        if (!alerts.isEmpty()) {
          try {
            sink.send(rule.expr(), alerts);
          } catch (RuntimeException e) {
            LOG.warn(
                "alert sink failed: group={} rule={} error={}", name, rule.name(), e.toString());
          }
        }
      }
      String error = write(i, out, ts - queryOffset.toMillis(), storage);
      rule.recordOutcome(ts, Duration.ofNanos(System.nanoTime() - ruleStart), error);
    }
    evaluations.incrementAndGet();
    lastEvaluation = Instant.ofEpochMilli(ts);
    evaluationTime = Duration.ofNanos(System.nanoTime() - start);
  }

  /** Appends a rule's samples, then stale markers for its series that disappeared; one commit. */
  private @Nullable String write(
      int ruleIndex, List<Sample> out, long staleTs, Appendable storage) {
    Set<Labels> now = HashSet.newHashSet(out.size());
    Appender app = storage.appender();
    String error = null;
    int refused = 0;
    try {
      for (Sample s : out) {
        Labels l = withGroupLabels(s.labels());
        now.add(l);
        try {
          app.append(0, l, s.timestamp(), s.value());
        } catch (AppendException e) {
          refused++;
          if (e.reason() != AppendException.Reason.OUT_OF_ORDER
              && e.reason() != AppendException.Reason.DUPLICATE_TIMESTAMP) {
            error = e.getMessage();
          }
        }
      }
      for (Labels gone : previousSeries.get(ruleIndex)) {
        if (!now.contains(gone)) {
          try {
            app.append(0, gone, staleTs, STALE_NAN);
          } catch (AppendException e) {
            // A sample at or after this time already ended the series; nothing to mark.
          }
        }
      }
      app.commit();
    } catch (RuntimeException e) {
      app.rollback();
      return e.getMessage();
    }
    if (refused > 0) {
      LOG.debug("rule samples refused: group={} count={}", name, refused);
    }
    previousSeries.set(ruleIndex, now);
    return error;
  }

  private Labels withGroupLabels(Labels l) {
    if (labels.isEmpty()) {
      return l;
    }
    Labels.Builder b = l.toBuilder();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      // Rule labels win over group labels.
      if (b.get(e.getKey()) == null) {
        b.set(e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  /** Writes stale markers for every series the group wrote last time (the group is going away). */
  void markAllStale(long ts, Appendable storage) {
    Appender app = storage.appender();
    for (Set<Labels> set : previousSeries) {
      for (Labels l : set) {
        try {
          app.append(0, l, ts, STALE_NAN);
        } catch (AppendException e) {
          // already ended
        }
      }
    }
    app.commit();
  }

  /** Takes over the state of the same group before a reload: alerts, outcomes, written series. */
  void copyState(RuleGroup old) {
    lastEvaluation = old.lastEvaluation;
    evaluationTime = old.evaluationTime;
    missedIterations.set(old.missedIterations.get());
    Map<String, List<Integer>> byName = new HashMap<>();
    for (int i = 0; i < old.rules.size(); i++) {
      byName.computeIfAbsent(kindName(old.rules.get(i)), k -> new ArrayList<>()).add(i);
    }
    for (int i = 0; i < rules.size(); i++) {
      List<Integer> candidates = byName.get(kindName(rules.get(i)));
      if (candidates == null || candidates.isEmpty()) {
        continue;
      }
      int j = candidates.removeFirst();
      Rule from = old.rules.get(j);
      previousSeries.set(i, new HashSet<>(old.previousSeries.get(j)));
      if (rules.get(i) instanceof AlertingRule ar && from instanceof AlertingRule fa) {
        ar.copyState(fa);
      } else {
        rules.get(i).copyOutcome(from);
      }
    }
  }

  private static String kindName(Rule r) {
    return (r instanceof AlertingRule ? "alert:" : "record:") + r.name() + r.labels();
  }

  /**
   * Restores pending and firing alerts' {@code activeAt} from {@code ALERTS_FOR_STATE}, as
   * Prometheus's {@code RestoreForState}: run once after the first evaluation after start.
   */
  void restoreForState(long ts, Queryable storage, ManagerOptions options) {
    long mint = ts - options.outageTolerance().toMillis();
    try (Querier q = storage.querier(mint, ts)) {
      for (Rule r : rules) {
        if (!(r instanceof AlertingRule ar)) {
          continue;
        }
        long hold = ar.holdDuration().toMillis();
        if (hold < options.forGracePeriod().toMillis()) {
          // It would wait at least the grace period otherwise; waiting `for` is shorter.
          ar.setRestored();
          continue;
        }
        ar.forEachActive(a -> restoreOne(q, a, ts, hold, mint, options));
        ar.setRestored();
      }
    } catch (RuntimeException e) {
      LOG.warn("restoring alert state failed: group={} error={}", name, e.getMessage());
      rules.forEach(
          r -> {
            if (r instanceof AlertingRule ar) {
              ar.setRestored();
            }
          });
    }
  }

  private void restoreOne(
      Querier q, AlertingRule.Alert a, long ts, long hold, long mint, ManagerOptions options) {
    List<LabelMatcher> matchers = new ArrayList<>();
    matchers.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, Labels.METRIC_NAME, "ALERTS_FOR_STATE"));
    withGroupLabels(a.labels)
        .forEach((k, v) -> matchers.add(LabelMatcher.of(LabelMatcher.Type.EQUAL, k, v)));
    SeriesSet set = q.select(false, SelectHints.range(mint, ts), matchers);
    if (!set.next()) {
      return;
    }
    SampleIterator it = set.at().iterator(null);
    long t = Long.MIN_VALUE;
    double v = 0;
    while (it.next() == SampleIterator.FLOAT) {
      t = it.timestamp();
      v = it.value();
    }
    if (t == Long.MIN_VALUE || Double.doubleToRawLongBits(v) == 0x7ff0_0000_0000_0002L) {
      return;
    }
    long downAt = Math.floorDiv(t, 1000L) * 1000L;
    long restoredActiveAt = ((long) v) * 1000L;
    long remaining = hold - (downAt - restoredActiveAt);
    long grace = options.forGracePeriod().toMillis();
    if (remaining <= 0) {
      // It was firing; the next evaluation makes it firing again if it still holds.
    } else if (remaining < grace) {
      restoredActiveAt = ts + grace - hold;
    } else {
      restoredActiveAt = restoredActiveAt + (ts - downAt);
    }
    AlertingRule.restoreActiveAt(a, restoredActiveAt);
  }
}
