package dev.nines.server.api;

import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.Sli;
import dev.nines.slo.Slo;
import dev.nines.slo.TimeWindow;
import dev.nines.slo.rules.RuleGenerator;
import dev.nines.slo.service.BurnDown;
import dev.nines.slo.service.ErrorBudgets;
import dev.nines.slo.service.SloStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Nines's SLO API, in the Prometheus API's envelope ({@code {"status":"success","data":...}}):
 *
 * <ul>
 *   <li>{@code GET /api/nines/v1/slos}: every SLO with its objective, window, SLI, budget
 *       remaining, burn rate per alert window, time to exhaustion and budget-policy state;
 *   <li>{@code GET /api/nines/v1/slos/{id}}: one of them;
 *   <li>{@code GET /api/nines/v1/slos/{id}/budget?from=&to=&step=}: the burn-down series (budget
 *       remaining and error ratio over the window ending at each step), as Prometheus's {@code
 *       [seconds, "value"]} pairs. Times as in Prometheus's API (seconds or RFC 3339); {@code to}
 *       defaults to now, {@code from} to one SLO window before {@code to}, {@code step} to a 250th
 *       of the range (at least 5 minutes); at most 11,000 points.
 * </ul>
 */
public final class SloRoutes implements Consumer<RoutesConfig> {
  private static final String PREFIX = "/api/nines/v1/slos";
  private static final long MAX_POINTS = 11_000;
  private final Supplier<@Nullable ErrorBudgets> budgets;

  /** Routes over the budgets {@code budgets} returns (null before start: no SLOs). */
  public SloRoutes(Supplier<@Nullable ErrorBudgets> budgets) {
    this.budgets = budgets;
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.get(PREFIX, this::list);
    routes.get(PREFIX + "/{id}", this::one);
    routes.get(PREFIX + "/{id}/budget", this::budget);
  }

  private void list(Context ctx) {
    ErrorBudgets b = budgets.get();
    List<Object> out = new ArrayList<>();
    if (b != null) {
      for (SloStatus s : b.statuses()) {
        out.add(status(s));
      }
    }
    ctx.json(success(Map.of("slos", out)));
  }

  private void one(Context ctx) {
    ErrorBudgets b = budgets.get();
    String id = ctx.pathParam("id");
    Optional<SloStatus> s = b == null ? Optional.empty() : b.status(id);
    if (s.isEmpty()) {
      error(ctx, 404, "not_found", "no SLO with id " + quote(id));
      return;
    }
    ctx.json(success(status(s.get())));
  }

  private void budget(Context ctx) {
    ErrorBudgets b = budgets.get();
    String id = ctx.pathParam("id");
    Optional<SloStatus> st = b == null ? Optional.empty() : b.status(id);
    if (st.isEmpty()) {
      error(ctx, 404, "not_found", "no SLO with id " + quote(id));
      return;
    }
    Slo slo = st.get().slo();
    long to;
    long from;
    long step;
    try {
      to =
          param(ctx, "to") == null
              ? System.currentTimeMillis()
              : Params.parseTime(param(ctx, "to"));
      from =
          param(ctx, "from") == null
              ? to - slo.window().nominalLength().toMillis()
              : Params.parseTime(param(ctx, "from"));
      step =
          param(ctx, "step") == null
              ? Math.max(300_000, (to - from) / 250)
              : Params.parseDuration(param(ctx, "step")).toMillis();
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "bad_data", e.getMessage());
      return;
    }
    if (step <= 0) {
      error(ctx, 400, "bad_data", "step must be positive");
      return;
    }
    if (to < from) {
      error(ctx, 400, "bad_data", "to must not be before from");
      return;
    }
    if ((to - from) / step > MAX_POINTS) {
      error(
          ctx,
          400,
          "bad_data",
          "exceeded maximum resolution of 11,000 points per series. Try increasing the step");
      return;
    }
    BurnDown bd = b.burnDown(id, from, to, step).orElseThrow();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("slo", id);
    data.put("objective", slo.objective());
    data.put("window", window(slo.window()));
    data.put("step", step / 1000.0);
    data.put("budgetRemaining", points(bd.times(), bd.remaining()));
    data.put("errorRatio", points(bd.times(), bd.errorRatio()));
    ctx.json(success(data));
  }

  private static @Nullable String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  // ---- JSON shapes ----

  static Map<String, Object> status(SloStatus s) {
    Slo slo = s.slo();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", slo.id());
    m.put("service", slo.service());
    m.put("name", slo.name());
    m.put("description", slo.description());
    m.put("labels", slo.labels());
    m.put("source", slo.source());
    m.put("objective", slo.objective());
    m.put("window", window(slo.window()));
    m.put("budgetingMethod", budgeting(slo.budgeting()));
    m.put("sli", sli(slo.sli()));
    m.put("evaluatedAt", s.at().toString());
    m.put("windowStart", s.windowStart().toString());
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("good", finite(s.good()));
    events.put("total", finite(s.total()));
    m.put("events", events);
    m.put("errorRatio", finite(s.errorRatio()));
    m.put("budgetRemaining", finite(s.remaining()));
    List<Object> burns = new ArrayList<>();
    for (SloStatus.WindowBurn w : s.burnRates()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("window", RuleGenerator.format(w.window()));
      one.put("burnRate", w.burnRate() == null ? null : finite(w.burnRate()));
      burns.add(one);
    }
    m.put("burnRates", burns);
    m.put("currentBurnRate", s.currentBurnRate() == null ? null : finite(s.currentBurnRate()));
    m.put(
        "timeToExhaustionSeconds",
        s.timeToExhaustion().map(d -> (Object) (d.toMillis() / 1000.0)).orElse(null));
    m.put(
        "exhaustsAt",
        s.timeToExhaustion().map(d -> (Object) s.at().plus(d).toString()).orElse(null));
    Map<String, Object> policy = new LinkedHashMap<>();
    List<Object> steps = new ArrayList<>();
    for (BudgetPolicy.Step step : s.policy().policy().steps()) {
      steps.add(
          Map.of("remainingAtMost", step.remainingAtMost(), "action", step.action().specName()));
    }
    policy.put("steps", steps);
    policy.put("active", s.policy().active().stream().map(BudgetPolicy.Action::specName).toList());
    policy.put("frozen", s.policy().frozen());
    m.put("policy", policy);
    return m;
  }

  private static Map<String, Object> window(TimeWindow w) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (w) {
      case TimeWindow.Rolling r -> {
        m.put("type", "rolling");
        m.put("length", RuleGenerator.format(r.length()));
      }
      case TimeWindow.Calendar c -> {
        m.put("type", "calendar");
        m.put("unit", c.unit().name().toLowerCase(Locale.ROOT));
        m.put("count", c.count());
        m.put("timeZone", c.zone().getId());
        m.put("anchor", c.anchor().toString());
      }
    }
    m.put("seconds", w.nominalLength().toSeconds());
    return m;
  }

  private static Map<String, Object> budgeting(BudgetingMethod b) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (b) {
      case BudgetingMethod.Occurrences o -> m.put("type", "Occurrences");
      case BudgetingMethod.Timeslices t -> {
        m.put("type", "Timeslices");
        m.put("timeSliceTarget", t.sliceTarget());
        m.put("timeSliceWindow", RuleGenerator.format(t.sliceWindow()));
      }
      case BudgetingMethod.RatioTimeslices t -> {
        m.put("type", "RatioTimeslices");
        m.put("timeSliceWindow", RuleGenerator.format(t.sliceWindow()));
      }
    }
    return m;
  }

  private static Map<String, Object> sli(Sli sli) {
    Map<String, Object> m = new LinkedHashMap<>();
    Duration w = Duration.ofMinutes(5);
    switch (sli) {
      case Sli.Ratio r -> {
        m.put("type", "ratio");
        m.put(r.numeratorIsGood() ? "goodQuery" : "badQuery", r.numerator().render(w));
        m.put("totalQuery", r.total().render(w));
      }
      case Sli.RawRatio r -> {
        m.put("type", "raw");
        m.put(r.isSuccessRatio() ? "successRatioQuery" : "errorRatioQuery", r.ratio().render(w));
      }
      case Sli.Threshold t -> {
        m.put("type", "threshold");
        m.put("query", t.query().render(w));
        m.put("op", t.op().promql());
        m.put("value", t.value());
      }
    }
    return m;
  }

  private static List<Object> points(long[] times, double[] values) {
    List<Object> out = new ArrayList<>(times.length);
    for (int i = 0; i < times.length; i++) {
      out.add(List.of(times[i] / 1000.0, PromJson.formatFloat(values[i])));
    }
    return out;
  }

  private static @Nullable Double finite(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static Map<String, Object> success(Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "success");
    m.put("data", data);
    return m;
  }

  private static void error(Context ctx, int status, String type, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "error");
    m.put("errorType", type);
    m.put("error", message);
    ctx.status(status).json(m);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
