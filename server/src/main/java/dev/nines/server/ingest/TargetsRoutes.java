package dev.nines.server.ingest;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.ingest.exposition.MetricMetadata;
import dev.nines.ingest.scrape.DroppedTarget;
import dev.nines.ingest.scrape.ScrapeManager;
import dev.nines.ingest.scrape.TargetHealth;
import dev.nines.ingest.scrape.TargetMetadata;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.ParenExpr;
import dev.nines.promql.parser.ParseException;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.VectorSelector;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/targets} in Prometheus's shape: active targets with their health and last
 * error, dropped targets, and dropped counts per pool; filtered by {@code state} and {@code
 * scrapePool} as Prometheus filters. {@code GET /api/v1/targets/metadata}: the metadata each active
 * target declared in its last successful scrape, filtered by {@code match_target} (a series
 * selector matched against the target's labels), {@code metric} and {@code limit} (results are
 * added target by target until there are at least {@code limit}), as Prometheus answers.
 */
public final class TargetsRoutes implements Consumer<RoutesConfig> {
  private final Supplier<ScrapeManager> scrapes;

  /** Routes reading from the scrape manager that {@code scrapes} returns (null before start). */
  public TargetsRoutes(Supplier<ScrapeManager> scrapes) {
    this.scrapes = scrapes;
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.get("/api/v1/targets", this::targets);
    routes.get("/api/v1/targets/metadata", this::targetMetadata);
  }

  private void targetMetadata(Context ctx) {
    int limit = -1;
    String limitParam = ctx.queryParam("limit");
    if (limitParam != null && !limitParam.isEmpty()) {
      try {
        limit = Integer.parseInt(limitParam);
      } catch (NumberFormatException e) {
        badData(ctx, "limit must be a number");
        return;
      }
    }
    String matchTarget = ctx.queryParam("match_target");
    List<LabelMatcher> matchers = List.of();
    if (matchTarget != null && !matchTarget.isEmpty()) {
      try {
        matchers = selector(matchTarget);
      } catch (ParseException | IllegalArgumentException e) {
        badData(ctx, e.getMessage());
        return;
      }
    }
    String metric = ctx.queryParam("metric");
    ScrapeManager manager = scrapes.get();
    List<Map<String, Object>> res = new ArrayList<>();
    for (TargetMetadata t :
        manager == null ? List.<TargetMetadata>of() : manager.targetMetadata()) {
      if (limit >= 0 && res.size() >= limit) {
        break;
      }
      if (!matches(t.target(), matchers)) {
        continue;
      }
      for (MetricMetadata m : t.metadata()) {
        if (metric != null && !metric.isEmpty() && !metric.equals(m.family())) {
          continue;
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("target", map(t.target()));
        if (metric == null || metric.isEmpty()) {
          e.put("metric", m.family());
        }
        e.put("type", m.type().apiName());
        e.put("help", m.help());
        e.put("unit", m.unit());
        res.add(e);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "success");
    body.put("data", res);
    ctx.json(body);
  }

  private static List<LabelMatcher> selector(String text) throws ParseException {
    Expr e = Parser.parse(text);
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    if (e instanceof VectorSelector vs && vs.offset().isZero() && vs.at() == null) {
      return vs.matchers();
    }
    throw new IllegalArgumentException("parse error: \"" + text + "\" is not a series selector");
  }

  private static boolean matches(Labels labels, List<LabelMatcher> matchers) {
    for (LabelMatcher m : matchers) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  private static void badData(Context ctx, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "error");
    body.put("errorType", "bad_data");
    body.put("error", message);
    ctx.status(400).json(body);
  }

  private void targets(Context ctx) {
    String state = ctx.queryParam("state");
    state = state == null ? "any" : state.toLowerCase(java.util.Locale.ROOT);
    String pool = ctx.queryParam("scrapePool");
    ScrapeManager manager = scrapes.get();
    List<Map<String, Object>> active = new ArrayList<>();
    List<Map<String, Object>> dropped = new ArrayList<>();
    Map<String, Integer> droppedCounts = new TreeMap<>();
    if (manager != null) {
      for (TargetHealth t : manager.activeTargets()) {
        if (pool != null && !pool.equals(t.scrapePool())) {
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("discoveredLabels", map(t.discoveredLabels()));
        m.put("labels", map(t.labels()));
        m.put("scrapePool", t.scrapePool());
        m.put("scrapeUrl", t.scrapeUrl());
        m.put("globalUrl", t.globalUrl());
        m.put("lastError", t.lastError());
        m.put(
            "lastScrape",
            t.lastScrape() == null
                ? "0001-01-01T00:00:00Z"
                : DateTimeFormatter.ISO_INSTANT.format(t.lastScrape()));
        m.put("lastScrapeDuration", t.lastScrapeDuration());
        m.put("health", t.health().apiName());
        m.put("scrapeInterval", t.scrapeInterval());
        m.put("scrapeTimeout", t.scrapeTimeout());
        active.add(m);
      }
      for (DroppedTarget t : manager.droppedTargets()) {
        droppedCounts.merge(t.scrapePool(), 1, Integer::sum);
        if (pool != null && !pool.equals(t.scrapePool())) {
          continue;
        }
        dropped.add(Map.of("discoveredLabels", map(t.discoveredLabels())));
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (!state.equals("dropped")) {
      data.put("activeTargets", active);
    }
    if (!state.equals("active")) {
      data.put("droppedTargets", dropped);
      data.put("droppedTargetCounts", droppedCounts);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "success");
    body.put("data", data);
    ctx.json(body);
  }

  private static Map<String, String> map(Labels labels) {
    Map<String, String> out = new LinkedHashMap<>();
    labels.forEach(out::put);
    return out;
  }
}
