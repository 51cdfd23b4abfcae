package dev.nines.slo.rules;

import dev.nines.common.PromDuration;
import dev.nines.common.PromQuoting;
import dev.nines.promql.parser.Parser;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleSpec;
import dev.nines.slo.AlertTiers;
import dev.nines.slo.Alerting;
import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.Sli;
import dev.nines.slo.SliQuery;
import dev.nines.slo.Slo;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Turns SLOs into Prometheus recording and alerting rules.
 *
 * <p>Per SLO, up to six groups (names {@code slo-<id>-...}):
 *
 * <ol>
 *   <li>{@code -sli}: the error ratio over every alert window shorter than {@link #FROM_BUCKETS},
 *       from raw samples, {@code slo:sli_error:ratio_rate<window>} (for a threshold SLI, first the
 *       per-evaluation good flag {@code slo:sli_threshold_good:bool}). A raw-ratio SLI has no
 *       events, so all its windows are here;
 *   <li>{@code -buckets}, every 5 minutes: the events of the last 5 minutes, {@code
 *       slo:events_total:increase5m} and {@code slo:events_error:increase5m}. The group's interval
 *       equals the bucket length, so buckets do not overlap and a window's events are the sum of
 *       its buckets: the budget never scans the window's raw samples;
 *   <li>{@code -sli-long}: the error ratio over the alert windows of {@link #FROM_BUCKETS} and
 *       longer, summed from the buckets (a 3-day window reads 864 buckets per series instead of
 *       8,640 raw samples at a 30 s scrape). Such a window ends at the newest bucket, up to 5
 *       minutes back, which moves a long window by at most 4%;
 *   <li>{@code -timeslices}, every slice window (time-slice budgeting only): {@code
 *       slo:timeslice_error:ratio} and, for {@code Timeslices}, {@code slo:timeslice_bad:bool};
 *   <li>{@code -meta}: objective, budget, window length, current and period burn rates and the
 *       budget remaining;
 *   <li>{@code -alerts}: the page and ticket multi-window, multi-burn-rate alerts (or the OpenSLO
 *       policy alerts) and a no-data alert.
 * </ol>
 *
 * <p>What is computed from buckets changes only when a bucket lands, so {@code -sli-long} and
 * {@code -meta} run every {@link #DERIVED_INTERVAL} unless the SLO sets its own SLI or metadata
 * interval: often enough that a dashboard's instant query always finds a sample within the 5-minute
 * lookback, and a fifth of the work of a 30 s interval.
 *
 * <p>Zero traffic never divides by zero: a ratio is {@code errors / (total + (total == bool 0))},
 * which is 0 when there were no events; bad events missing as series ({@code sum(rate(...))} of a
 * 5xx counter that never appeared) count as zero through {@code or total * 0}. Every expression is
 * parsed with Nines's PromQL parser before it is returned; a failure is a bug, reported as {@link
 * IllegalStateException}.
 */
public final class RuleGenerator {
  /** The length of an event bucket. */
  public static final Duration BUCKET = Duration.ofMinutes(5);

  /** Alert windows at least this long are summed from buckets rather than raw samples. */
  public static final Duration FROM_BUCKETS = Duration.ofHours(2);

  /** The interval of the groups computed from buckets, unless the SLO sets its own. */
  public static final Duration DERIVED_INTERVAL = Duration.ofMinutes(1);

  static final String SLI_ERROR = "slo:sli_error:ratio_rate";

  /** A threshold SLI's good flag: 1 when the gauge met the threshold at an SLI evaluation. */
  public static final String THRESHOLD_GOOD = "slo:sli_threshold_good:bool";

  /** The recorded bucket of all events: the events of the 5 minutes before each sample. */
  public static final String EVENTS_TOTAL = "slo:events_total:increase5m";

  /** The recorded bucket of bad events. */
  public static final String EVENTS_ERROR = "slo:events_error:increase5m";

  static final String TIMESLICE_ERROR = "slo:timeslice_error:ratio";
  static final String TIMESLICE_BAD = "slo:timeslice_bad:bool";
  static final String OBJECTIVE = "slo:objective:ratio";
  static final String ERROR_BUDGET = "slo:error_budget:ratio";
  static final String WINDOW_SECONDS = "slo:time_window:seconds";
  static final String CURRENT_BURN = "slo:current_burn_rate:ratio";
  static final String PERIOD_ERROR = "slo:period_error:ratio";
  static final String PERIOD_BURN = "slo:period_burn_rate:ratio";

  /** The recorded budget remaining over the whole window. */
  public static final String PERIOD_REMAINING = "slo:period_error_budget_remaining:ratio";

  private RuleGenerator() {}

  /** The rules of all {@code slos}, in order, as a rule file named {@code slo}. */
  public static RuleFile generate(List<Slo> slos) {
    return generate("slo", slos);
  }

  /**
   * The rules of all {@code slos}, in order, in the rules module's file model: the rule manager
   * runs it as it runs a loaded file, and {@link RuleFileWriter} prints it.
   *
   * @param path the name the file goes by in the rules API and in errors
   */
  public static RuleFile generate(String path, List<Slo> slos) {
    List<GroupSpec> groups = new ArrayList<>();
    for (Slo slo : slos) {
      groups.addAll(new PerSlo(slo).groups());
    }
    return new RuleFile(path, groups);
  }

  /** The name of the SLI group (the short windows, and a threshold SLI's good flag). */
  public static String sliGroupName(String id) {
    return "slo-" + id + "-sli";
  }

  /** The name of the bucket group of the SLO {@code id}. */
  public static String bucketGroupName(String id) {
    return "slo-" + id + "-buckets";
  }

  /** Every window whose error ratio the SLI group of {@code slo} records, shortest first. */
  public static SortedSet<Duration> windows(Slo slo) {
    return new PerSlo(slo).windows();
  }

  /** The metric name of the error ratio over {@code window}. */
  public static String sliErrorMetric(Duration window) {
    return SLI_ERROR + format(window);
  }

  /**
   * A duration in Prometheus notation, counting whole days as days ({@code 30d}, not Prometheus's
   * own {@code 4w2d}) so that windows read as SLO windows are usually written.
   */
  public static String format(Duration d) {
    long day = Duration.ofDays(1).toMillis();
    if (d.toMillis() % day == 0) {
      return d.toMillis() / day + "d";
    }
    return PromDuration.format(d);
  }

  /** A number as PromQL text, without float noise: 0.999, 14.4, 6. */
  static String num(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** {@code 1 - d} in decimal, so that 1 - 0.999 prints 0.001. */
  static String oneMinus(double d) {
    return BigDecimal.ONE.subtract(BigDecimal.valueOf(d)).stripTrailingZeros().toPlainString();
  }

  private static final class PerSlo {
    private final Slo slo;
    private final String sel;
    private final Map<String, String> labels;
    private final String budget;

    PerSlo(Slo slo) {
      this.slo = slo;
      this.sel =
          "{slo="
              + PromQuoting.quote(slo.id())
              + ", service="
              + PromQuoting.quote(slo.service())
              + "}";
      Map<String, String> l = new LinkedHashMap<>(slo.labels());
      l.put("slo", slo.id());
      l.put("service", slo.service());
      this.labels = l;
      this.budget = oneMinus(slo.objective());
    }

    List<GroupSpec> groups() {
      List<GroupSpec> out = new ArrayList<>();
      String prefix = "slo-" + slo.id();
      out.add(group(prefix + "-sli", slo.intervals().sli(), sliRules()));
      if (!(slo.sli() instanceof Sli.RawRatio)) {
        out.add(group(prefix + "-buckets", BUCKET, bucketRules()));
        List<RuleSpec> longWindows = longSliRules();
        if (!longWindows.isEmpty()) {
          out.add(group(prefix + "-sli-long", derived(slo.intervals().sli()), longWindows));
        }
      }
      switch (slo.budgeting()) {
        case BudgetingMethod.Occurrences o -> {}
        case BudgetingMethod.Timeslices t ->
            out.add(group(prefix + "-timeslices", t.sliceWindow(), sliceRules()));
        case BudgetingMethod.RatioTimeslices t ->
            out.add(group(prefix + "-timeslices", t.sliceWindow(), sliceRules()));
      }
      out.add(group(prefix + "-meta", derived(slo.intervals().metadata()), metaRules()));
      List<RuleSpec> alerts = alertRules();
      out.add(group(prefix + "-alerts", slo.intervals().alert(), alerts));
      return out;
    }

    private static Duration derived(@Nullable Duration own) {
      return own != null ? own : DERIVED_INTERVAL;
    }

    // ---- windows ----

    /** Whether the error ratio over {@code w} is summed from buckets. */
    boolean fromBuckets(Duration w) {
      return !(slo.sli() instanceof Sli.RawRatio) && w.compareTo(FROM_BUCKETS) >= 0;
    }

    SortedSet<Duration> windows() {
      SortedSet<Duration> w = new TreeSet<>();
      w.add(BUCKET);
      if (slo.alerting().policies().isEmpty()) {
        if (!slo.alerting().page().disabled()) {
          slo.tiers().page().forEach(p -> addPair(w, p));
        }
        if (!slo.alerting().ticket().disabled()) {
          slo.tiers().ticket().forEach(p -> addPair(w, p));
        }
      }
      for (Alerting.PolicyAlert p : slo.alerting().policies()) {
        w.add(p.lookbackWindow());
      }
      return w;
    }

    private static void addPair(SortedSet<Duration> w, AlertTiers.BurnRateWindow p) {
      w.add(p.longWindow());
      w.add(p.shortWindow());
    }

    // ---- expressions ----

    /** Events over {@code w}; null for a raw ratio SLI, which has none. */
    String total(Duration w) {
      return switch (slo.sli()) {
        case Sli.Ratio r -> "(" + r.total().render(w) + ")";
        case Sli.Threshold t -> "count_over_time(" + THRESHOLD_GOOD + sel + "[" + d(w) + "])";
        case Sli.RawRatio r -> throw new IllegalStateException("raw SLIs have no events");
      };
    }

    /** Bad events over {@code w}, defined wherever {@link #total} is. */
    String errors(Duration w) {
      String t = total(w);
      return switch (slo.sli()) {
        case Sli.Ratio r ->
            r.numeratorIsGood()
                ? "(" + t + " - ((" + r.numerator().render(w) + ") or " + t + " * 0))"
                : "((" + r.numerator().render(w) + ") or " + t + " * 0)";
        case Sli.Threshold th ->
            "(" + t + " - sum_over_time(" + THRESHOLD_GOOD + sel + "[" + d(w) + "]))";
        case Sli.RawRatio r -> throw new IllegalStateException("raw SLIs have no events");
      };
    }

    static String safeDivide(String num, String den) {
      return num + " / (" + den + " + (" + den + " == bool 0))";
    }

    /** The error ratio over {@code w}, keeping the labels of the user's queries. */
    String errorRatio(Duration w) {
      if (slo.sli() instanceof Sli.RawRatio r) {
        String q = "(" + r.ratio().render(w) + ")";
        return r.isSuccessRatio() ? "1 - " + q : q;
      }
      return safeDivide(errors(w), total(w));
    }

    /** The error ratio over {@code w}, aggregated into one series for the SLO. */
    String aggregatedErrorRatio(Duration w) {
      if (slo.sli() instanceof Sli.RawRatio r) {
        String q = "(" + r.ratio().render(w) + ")";
        return r.isSuccessRatio() ? "1 - avg(" + q + ")" : "avg(" + q + ")";
      }
      return safeDivide("sum(" + errors(w) + ")", "sum(" + total(w) + ")");
    }

    private double perSecondFactor(SliQuery q) {
      return q.isPerSecond() ? BUCKET.toSeconds() : 1;
    }

    // ---- groups ----

    List<RuleSpec> sliRules() {
      List<RuleSpec> rules = new ArrayList<>();
      if (slo.sli() instanceof Sli.Threshold t) {
        rules.add(
            recording(
                THRESHOLD_GOOD,
                "("
                    + t.query().render(BUCKET)
                    + ") "
                    + t.op().promql()
                    + " bool "
                    + num(t.value())));
      }
      for (Duration w : windows()) {
        if (!fromBuckets(w)) {
          rules.add(recording(sliErrorMetric(w), errorRatio(w)));
        }
      }
      return rules;
    }

    List<RuleSpec> longSliRules() {
      List<RuleSpec> rules = new ArrayList<>();
      for (Duration w : windows()) {
        if (fromBuckets(w)) {
          rules.add(
              recording(
                  sliErrorMetric(w),
                  safeDivide(sumOfBuckets(EVENTS_ERROR, w), sumOfBuckets(EVENTS_TOTAL, w))));
        }
      }
      return rules;
    }

    private String sumOfBuckets(String metric, Duration w) {
      return "sum_over_time(" + metric + sel + "[" + d(w) + "])";
    }

    List<RuleSpec> bucketRules() {
      String total = total(BUCKET);
      String errors = errors(BUCKET);
      if (slo.sli() instanceof Sli.Ratio r && r.total().isPerSecond()) {
        // Sloth-style rate() queries give events per second: times 300 gives the bucket's events.
        total = total + " * " + num(perSecondFactor(r.total()));
        errors = errors + " * " + num(perSecondFactor(r.total()));
      }
      return List.of(recording(EVENTS_TOTAL, total), recording(EVENTS_ERROR, errors));
    }

    List<RuleSpec> sliceRules() {
      List<RuleSpec> rules = new ArrayList<>();
      Duration slice =
          switch (slo.budgeting()) {
            case BudgetingMethod.Timeslices t -> t.sliceWindow();
            case BudgetingMethod.RatioTimeslices t -> t.sliceWindow();
            case BudgetingMethod.Occurrences o -> throw new IllegalStateException();
          };
      rules.add(recording(TIMESLICE_ERROR, aggregatedErrorRatio(slice)));
      if (slo.budgeting() instanceof BudgetingMethod.Timeslices t) {
        rules.add(
            recording(
                TIMESLICE_BAD, TIMESLICE_ERROR + sel + " > bool " + oneMinus(t.sliceTarget())));
      }
      return rules;
    }

    List<RuleSpec> metaRules() {
      Duration window = slo.window().nominalLength();
      String w = d(window);
      List<RuleSpec> rules = new ArrayList<>();
      rules.add(recording(OBJECTIVE, "vector(" + num(slo.objective()) + ")"));
      rules.add(recording(ERROR_BUDGET, "vector(" + budget + ")"));
      rules.add(recording(WINDOW_SECONDS, "vector(" + window.toSeconds() + ")"));
      rules.add(recording(CURRENT_BURN, sliErrorMetric(BUCKET) + sel + " / " + budget));
      String periodError =
          switch (slo.budgeting()) {
            case BudgetingMethod.Occurrences o ->
                slo.sli() instanceof Sli.RawRatio
                    ? "avg(avg_over_time(" + sliErrorMetric(BUCKET) + sel + "[" + w + "]))"
                    : safeDivide(
                        "sum(" + sumOfBuckets(EVENTS_ERROR, window) + ")",
                        "sum(" + sumOfBuckets(EVENTS_TOTAL, window) + ")");
            case BudgetingMethod.Timeslices t ->
                "sum(sum_over_time("
                    + TIMESLICE_BAD
                    + sel
                    + "["
                    + w
                    + "])) / "
                    + Math.max(1, window.toMillis() / t.sliceWindow().toMillis());
            case BudgetingMethod.RatioTimeslices t ->
                "avg(avg_over_time(" + TIMESLICE_ERROR + sel + "[" + w + "]))";
          };
      rules.add(recording(PERIOD_ERROR, periodError));
      rules.add(recording(PERIOD_BURN, PERIOD_ERROR + sel + " / " + budget));
      rules.add(recording(PERIOD_REMAINING, "1 - " + PERIOD_BURN + sel));
      return rules;
    }

    List<RuleSpec> alertRules() {
      List<RuleSpec> rules = new ArrayList<>();
      Alerting a = slo.alerting();
      if (a.policies().isEmpty()) {
        tier(rules, a.page(), "page", slo.tiers().page());
        tier(rules, a.ticket(), "ticket", slo.tiers().ticket());
      }
      for (Alerting.PolicyAlert p : a.policies()) {
        String expr =
            "("
                + sliErrorMetric(p.lookbackWindow())
                + sel
                + " / "
                + budget
                + ") "
                + p.op().promql()
                + " "
                + num(p.threshold())
                + guard(p.lookbackWindow());
        Map<String, String> l = alertLabels(a.labels(), p.labels(), p.severity());
        Map<String, String> ann =
            alertAnnotations(
                p.annotations(),
                "{{ $labels.service }} SLO {{ $labels.slo }}: error budget burn rate over "
                    + d(p.lookbackWindow())
                    + " "
                    + p.op().promql()
                    + " "
                    + num(p.threshold()));
        rules.add(alerting(p.name(), expr, p.alertAfter(), l, ann));
      }
      String base = baseAlertName();
      rules.add(
          alerting(
              base + "NoData",
              "absent(" + sliErrorMetric(BUCKET) + sel + ")",
              slo.tiers().noDataFor(),
              alertLabels(a.labels(), Map.of(), "ticket"),
              alertAnnotations(
                  Map.of(),
                  "{{ $labels.service }} SLO {{ $labels.slo }}: no SLI data for "
                      + d(slo.tiers().noDataFor()))));
      return rules;
    }

    private String baseAlertName() {
      Alerting a = slo.alerting();
      if (!a.page().name().isBlank()) {
        return a.page().name();
      }
      if (!a.ticket().name().isBlank()) {
        return a.ticket().name();
      }
      StringBuilder out = new StringBuilder("Slo");
      for (String part : slo.id().split("[^A-Za-z0-9]+")) {
        if (!part.isEmpty()) {
          out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
      }
      return out.toString();
    }

    private void tier(
        List<RuleSpec> rules,
        Alerting.AlertSpec spec,
        String severity,
        List<AlertTiers.BurnRateWindow> pairs) {
      if (spec.disabled() || pairs.isEmpty()) {
        return;
      }
      List<String> parts = new ArrayList<>();
      for (AlertTiers.BurnRateWindow p : pairs) {
        String threshold = "(" + num(p.factor()) + " * " + budget + ")";
        parts.add(
            "(("
                + sliErrorMetric(p.longWindow())
                + sel
                + " > "
                + threshold
                + ") and ("
                + sliErrorMetric(p.shortWindow())
                + sel
                + " > "
                + threshold
                + ")"
                + guard(p.longWindow())
                + ")");
      }
      Map<String, String> l = alertLabels(slo.alerting().labels(), spec.labels(), severity);
      Map<String, String> ann =
          alertAnnotations(
              spec.annotations(),
              "{{ $labels.service }} SLO {{ $labels.slo }}: error budget burning too fast ("
                  + severity
                  + ")");
      rules.add(alerting(spec.name(), String.join(" or ", parts), Duration.ZERO, l, ann));
    }

    /** The minimum-events guard over {@code window}, or "" when off or impossible (raw SLI). */
    private String guard(Duration window) {
      if (slo.minEvents() <= 0 || slo.sli() instanceof Sli.RawRatio) {
        return "";
      }
      Duration w = window.compareTo(BUCKET) < 0 ? BUCKET : window;
      return " and on () (sum(" + sumOfBuckets(EVENTS_TOTAL, w) + ") >= " + slo.minEvents() + ")";
    }

    private Map<String, String> alertLabels(
        Map<String, String> common, Map<String, String> own, String severity) {
      Map<String, String> l = new LinkedHashMap<>(labels);
      l.put("severity", severity);
      l.putAll(common);
      l.putAll(own);
      l.put("slo", slo.id());
      l.put("service", slo.service());
      return l;
    }

    private Map<String, String> alertAnnotations(Map<String, String> own, String summary) {
      Map<String, String> ann = new LinkedHashMap<>();
      ann.put("summary", summary);
      ann.putAll(slo.alerting().annotations());
      ann.putAll(own);
      if (slo.alerting().runbookUrl() != null) {
        ann.putIfAbsent("runbook_url", slo.alerting().runbookUrl());
      }
      return ann;
    }

    // ---- rule construction, with every expression checked ----

    private RuleSpec recording(String name, String expr) {
      check(name, expr);
      return new RuleSpec.Recording(name, expr, labels, 0);
    }

    private RuleSpec alerting(
        String name,
        String expr,
        Duration forDuration,
        Map<String, String> l,
        Map<String, String> ann) {
      check(name, expr);
      return new RuleSpec.Alerting(name, expr, forDuration, Duration.ZERO, l, ann, 0);
    }

    private static GroupSpec group(String name, @Nullable Duration interval, List<RuleSpec> rules) {
      return new GroupSpec(name, interval, 0, null, Map.of(), rules, 0);
    }

    private void check(String name, String expr) {
      try {
        Parser.parse(expr);
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "SLO "
                + slo.id()
                + ": generated rule "
                + name
                + " does not parse: "
                + e.getMessage()
                + "\n  "
                + expr,
            e);
      }
    }

    private static String d(Duration w) {
      return RuleGenerator.format(w);
    }
  }
}
