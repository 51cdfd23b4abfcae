package dev.nines.slo.service;

import dev.nines.common.PromQuoting;
import dev.nines.promql.engine.Engine;
import dev.nines.promql.engine.Sample;
import dev.nines.rules.QueryFunc;
import dev.nines.rules.RuleGroup;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleFile;
import dev.nines.slo.AlertTiers;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.Sli;
import dev.nines.slo.Slo;
import dev.nines.slo.TimeWindow;
import dev.nines.slo.budget.Buckets;
import dev.nines.slo.budget.BudgetMath;
import dev.nines.slo.budget.CalendarWindows;
import dev.nines.slo.budget.Timeslices;
import dev.nines.slo.rules.RuleGenerator;
import dev.nines.tsdb.storage.Queryable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design notes.
 *
 * The service holds the loaded SLOs (an immutable snapshot swapped on reload) and computes their
 * figures on demand; it keeps no per-SLO state between calls, so a reload cannot leave half-updated
 * state behind, and an idle server spends nothing here. The rule manager does the periodic work
 * (SLI ratios, buckets, alerts), on the generated rule file apply() returns.
 *
 *  - Budget remaining, error ratio and events come from the 5-minute buckets, read straight from
 *    the tsdb (BucketReader): exact sums over the window (rolling, or the calendar window holding
 *    now in its time zone), never a scan of raw samples.
 *  - Burn rates per alert window come from the recorded slo:sli_error:ratio_rate<W> series, one
 *    instant query per distinct window for all SLOs at once (max over an SLO's series).
 *  - Raw-ratio SLIs have no buckets: their budget is the recorded period figure.
 */

/** The SLOs Nines runs: their generated rules, budgets, policy state and bucket backfill. */
public final class SloService implements ErrorBudgets {
  private static final Logger LOG = LoggerFactory.getLogger(SloService.class);

  private final Queryable storage;
  private final QueryFunc query;
  private final InstantSource clock;
  private volatile Loaded loaded = new Loaded(List.of(), Map.of(), new RuleFile("slo", List.of()));

  private record Loaded(List<Slo> slos, Map<String, Slo> byId, RuleFile rules) {}

  /**
   * A service reading buckets from {@code storage} and recorded ratios through {@code query}, at
   * the times {@code clock} gives.
   */
  public SloService(Queryable storage, QueryFunc query, InstantSource clock) {
    this.storage = storage;
    this.query = query;
    this.clock = clock;
  }

  /**
   * Replaces the loaded SLOs and returns their generated rules, as a rule file named {@code path}
   * for the rule manager (the caller hands it over together with the other rule files).
   */
  public RuleFile apply(String path, List<Slo> slos) {
    RuleFile rules = RuleGenerator.generate(path, slos);
    Map<String, Slo> byId = new LinkedHashMap<>();
    for (Slo s : slos) {
      byId.put(s.id(), s);
    }
    loaded = new Loaded(List.copyOf(slos), Map.copyOf(byId), rules);
    return rules;
  }

  /** The loaded SLOs, in load order. */
  public List<Slo> slos() {
    return loaded.slos();
  }

  /** The generated rules of the loaded SLOs. */
  public RuleFile rules() {
    return loaded.rules();
  }

  /**
   * Backfills the buckets of {@code ids} over their windows, up to the last instant their live
   * bucket group evaluated at (found among {@code running}); buckets already recorded are left
   * alone. Failures are logged per SLO and do not stop the others.
   *
   * @return the number of buckets written, over all SLOs
   */
  public int backfill(
      Engine engine, BucketBackfill.Sink sink, List<RuleGroup> running, Set<String> ids) {
    Loaded l = loaded;
    Map<String, RuleGroup> groups = new HashMap<>();
    for (RuleGroup g : running) {
      if (g.file().equals(l.rules().path())) {
        groups.put(g.name(), g);
      }
    }
    Map<String, GroupSpec> specs = new HashMap<>();
    for (GroupSpec g : l.rules().groups()) {
      specs.put(g.name(), g);
    }
    long now = clock.millis();
    int total = 0;
    for (String id : ids) {
      Slo slo = l.byId().get(id);
      String name = RuleGenerator.bucketGroupName(id);
      RuleGroup live = groups.get(name);
      GroupSpec spec = specs.get(name);
      if (slo == null || live == null || spec == null) {
        continue;
      }
      try {
        long window = slo.window().nominalLength().toMillis();
        RuleGroup sli = groups.get(RuleGenerator.sliGroupName(id));
        GroupSpec sliSpec = specs.get(RuleGenerator.sliGroupName(id));
        if (slo.sli() instanceof Sli.Threshold && sli != null && sliSpec != null) {
          // The buckets count the SLI group's good flags: fill those first.
          long lastBucket = live.evalTimestamp(now);
          BucketBackfill.backfillFlags(
              engine,
              storage,
              sink,
              id,
              sliSpec,
              sli.evalTimestamp(now),
              sli.interval().toMillis(),
              lastBucket - window - RuleGenerator.BUCKET.toMillis());
        }
        int n =
            BucketBackfill.backfill(
                engine, storage, sink, id, spec, live.evalTimestamp(now), window);
        total += n;
        if (n > 0) {
          LOG.atInfo().addKeyValue("slo", id).addKeyValue("buckets", n).log("buckets backfilled");
        }
      } catch (IOException | RuntimeException e) {
        LOG.atError()
            .addKeyValue("slo", id)
            .addKeyValue("err", e.toString())
            .log("bucket backfill failed");
      }
    }
    return total;
  }

  @Override
  public List<SloStatus> statuses() {
    Loaded l = loaded;
    long now = clock.millis();
    Set<Duration> windows = new TreeSet<>();
    for (Slo s : l.slos()) {
      windows.addAll(RuleGenerator.windows(s));
    }
    Map<Duration, Map<String, Double>> ratios = new HashMap<>();
    for (Duration w : windows) {
      ratios.put(w, byId(RuleGenerator.sliErrorMetric(w), null, now));
    }
    List<SloStatus> out = new ArrayList<>(l.slos().size());
    for (Slo s : l.slos()) {
      out.add(status(s, now, ratios));
    }
    return out;
  }

  @Override
  public Optional<SloStatus> status(String id) {
    Slo s = loaded.byId().get(id);
    if (s == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    Map<Duration, Map<String, Double>> ratios = new HashMap<>();
    for (Duration w : RuleGenerator.windows(s)) {
      ratios.put(w, byId(RuleGenerator.sliErrorMetric(w), s.id(), now));
    }
    return Optional.of(status(s, now, ratios));
  }

  @Override
  public PolicyState servicePolicy(String service) {
    Set<BudgetPolicy.Action> active = EnumSet.noneOf(BudgetPolicy.Action.class);
    BudgetPolicy policy = null;
    for (SloStatus st : statuses()) {
      if (st.slo().service().equals(service)) {
        active.addAll(st.policy().active());
        policy = policy == null ? st.slo().policy() : policy;
      }
    }
    return new PolicyState(policy == null ? BudgetPolicy.DEFAULT : policy, active);
  }

  @Override
  public Optional<BurnDown> burnDown(String id, long fromMillis, long toMillis, long stepMillis) {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("step must be positive");
    }
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException("to must not be before from");
    }
    Slo s = loaded.byId().get(id);
    if (s == null) {
      return Optional.empty();
    }
    int n = (int) Math.min(Integer.MAX_VALUE - 8, (toMillis - fromMillis) / stepMillis + 1);
    long[] times = new long[n];
    double[] remaining = new double[n];
    double[] ratio = new double[n];
    if (s.sli() instanceof Sli.RawRatio) {
      for (int i = 0; i < n; i++) {
        long t = fromMillis + i * stepMillis;
        times[i] = t;
        remaining[i] = first(query.query(recorded(RuleGenerator.PERIOD_REMAINING, s.id()), t), 1);
        ratio[i] = first(query.query(recorded("slo:period_error:ratio", s.id()), t), 0);
      }
      return Optional.of(new BurnDown(id, times, remaining, ratio));
    }
    Buckets b = BucketReader.read(storage, s.id(), windowStart(s, fromMillis), toMillis);
    Prefix prefix = new Prefix(b);
    for (int i = 0; i < n; i++) {
      long t = fromMillis + i * stepMillis;
      times[i] = t;
      BudgetMath.Figures f = figures(s, b, prefix, windowStart(s, t), t);
      remaining[i] = f.remaining();
      ratio[i] = f.errorRatio();
    }
    return Optional.of(new BurnDown(id, times, remaining, ratio));
  }

  // ---- figures ----

  private SloStatus status(Slo s, long now, Map<Duration, Map<String, Double>> ratios) {
    long start = windowStart(s, now);
    BudgetMath.Figures f;
    if (s.sli() instanceof Sli.RawRatio) {
      double rem = first(query.query(recorded(RuleGenerator.PERIOD_REMAINING, s.id()), now), 1);
      double err = first(query.query(recorded("slo:period_error:ratio", s.id()), now), 0);
      f = new BudgetMath.Figures(0, 0, err, BudgetMath.burnRate(err, s.objective()), rem);
    } else {
      Buckets b = BucketReader.read(storage, s.id(), start, now);
      f = figures(s, b, new Prefix(b), start, now);
    }
    List<SloStatus.WindowBurn> burns = new ArrayList<>();
    for (Duration w : RuleGenerator.windows(s)) {
      Double r = ratios.getOrDefault(w, Map.of()).get(s.id());
      burns.add(
          new SloStatus.WindowBurn(w, r == null ? null : BudgetMath.burnRate(r, s.objective())));
    }
    Double current = currentBurn(s, burns);
    Optional<Duration> tte =
        current == null
            ? (f.remaining() <= 0 ? Optional.of(Duration.ZERO) : Optional.empty())
            : BudgetMath.timeToExhaustion(f.remaining(), current, s.window().nominalLength());
    return new SloStatus(
        s,
        Instant.ofEpochMilli(now),
        Instant.ofEpochMilli(start),
        f.good(),
        f.total(),
        f.errorRatio(),
        f.remaining(),
        burns,
        current,
        tte,
        PolicyState.at(s.policy(), f.remaining()));
  }

  /** The burn rate over the page tier's first long window, else over the shortest window. */
  private static @Nullable Double currentBurn(Slo s, List<SloStatus.WindowBurn> burns) {
    List<AlertTiers.BurnRateWindow> page = s.tiers().page();
    if (!page.isEmpty()) {
      Duration w = page.getFirst().longWindow();
      for (SloStatus.WindowBurn b : burns) {
        if (b.window().equals(w) && b.burnRate() != null) {
          return b.burnRate();
        }
      }
    }
    return burns.isEmpty() ? null : burns.getFirst().burnRate();
  }

  private static BudgetMath.Figures figures(Slo s, Buckets b, Prefix prefix, long start, long end) {
    return switch (s.budgeting()) {
      case BudgetingMethod.Occurrences o -> prefix.occurrences(start, end, s.objective());
      case BudgetingMethod.Timeslices t ->
          Timeslices.timeslices(
              b, start, end, t.sliceWindow().toMillis(), t.sliceTarget(), s.objective());
      case BudgetingMethod.RatioTimeslices t ->
          Timeslices.ratioTimeslices(b, start, end, t.sliceWindow().toMillis(), s.objective());
    };
  }

  /**
   * The exclusive start of the window that ends at {@code t}: {@code t - length} for a rolling
   * window, the start of the calendar window holding {@code t} for a calendar one.
   */
  static long windowStart(Slo s, long t) {
    return switch (s.window()) {
      case TimeWindow.Rolling r -> t - r.length().toMillis();
      case TimeWindow.Calendar c ->
          CalendarWindows.containing(c, Instant.ofEpochMilli(t)).start().toEpochMilli();
    };
  }

  /** Prefix sums of buckets: any window's sums in O(log n). */
  private static final class Prefix {
    final long[] times;
    final double[] good;
    final double[] total;

    Prefix(Buckets b) {
      times = b.times();
      good = new double[times.length + 1];
      total = new double[times.length + 1];
      for (int i = 0; i < times.length; i++) {
        good[i + 1] = good[i] + b.good()[i];
        total[i + 1] = total[i] + b.total()[i];
      }
    }

    /** Index of the first bucket with time > t. */
    int after(long t) {
      int lo = 0;
      int hi = times.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (times[mid] <= t) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    BudgetMath.Figures occurrences(long from, long to, double objective) {
      int a = after(from);
      int b = after(to);
      double g = good[b] - good[a];
      double t = total[b] - total[a];
      double errors = Math.max(0, t - g);
      double ratio = BudgetMath.errorRatio(errors, t);
      return new BudgetMath.Figures(
          g,
          t,
          ratio,
          BudgetMath.burnRate(ratio, objective),
          BudgetMath.budgetRemaining(errors, t, objective));
    }
  }

  // ---- recorded series ----

  private static String recorded(String metric, String id) {
    return "max(" + metric + "{slo=" + PromQuoting.quote(id) + "})";
  }

  /** The max of {@code metric} per {@code slo} label now; one SLO when {@code id} is given. */
  private Map<String, Double> byId(String metric, @Nullable String id, long now) {
    String sel = id == null ? metric : metric + "{slo=" + PromQuoting.quote(id) + "}";
    Map<String, Double> out = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Sample sample : query.query("max by (slo) (" + sel + ")", now)) {
      String slo = sample.labels().get("slo");
      if (slo != null && !Double.isNaN(sample.value()) && seen.add(slo)) {
        out.put(slo, sample.value());
      }
    }
    return out;
  }

  private static double first(List<Sample> samples, double otherwise) {
    return samples.isEmpty() || Double.isNaN(samples.getFirst().value())
        ? otherwise
        : samples.getFirst().value();
  }

  /** Every alert window of {@code slo}, for callers listing them. */
  public static SortedSet<Duration> alertWindows(Slo slo) {
    return RuleGenerator.windows(slo);
  }
}
