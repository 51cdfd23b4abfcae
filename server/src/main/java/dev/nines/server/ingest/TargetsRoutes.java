package dev.nines.server.ingest;

import dev.nines.common.Labels;
import dev.nines.ingest.scrape.DroppedTarget;
import dev.nines.ingest.scrape.ScrapeManager;
import dev.nines.ingest.scrape.TargetHealth;
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
 * scrapePool} as Prometheus filters.
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
