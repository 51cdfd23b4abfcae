package dev.nines.server.api;

import dev.nines.notify.config.ConfigProblem;
import dev.nines.notify.config.RouteHygiene;
import dev.nines.rules.file.RuleProblem;
import dev.nines.rules.lint.AlertHygiene;
import dev.nines.server.hygiene.HygieneReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/nines/v1/hygiene}: the alert-hygiene findings of the configuration in force (rule
 * files, SLO-generated rules, Alertmanager routes), in the Prometheus API's envelope. The same
 * findings the console's hygiene page lists; they change on reload.
 *
 * <pre>{@code
 * {"status": "success", "data": {"mode": "warn", "checkedAt": "...", "ruleFiles": 2, "count": 2,
 *   "findings": [
 *     {"kind": "rule", "file": "rules.yml", "line": 8, "field": "groups[0].rules[1].annotations",
 *      "group": "api", "alert": "Down", "message": "alert Down pages (severity=page) but ..."},
 *     {"kind": "route", "file": "am.yml", "line": 10, "field": "receivers.blackhole",
 *      "route": "{}/{severity=\"page\"}", "receiver": "blackhole", "severity": "page",
 *      "message": "alerts with severity=page are routed ..."}]}}
 * }</pre>
 *
 * <p>Before the configuration is first loaded the answer is 503.
 */
public final class HygieneRoutes implements Consumer<RoutesConfig> {
  /** The path. */
  public static final String PATH = "/api/nines/v1/hygiene";

  private final Supplier<@Nullable HygieneReport> report;

  /** Routes over the report {@code report} returns (null while starting). */
  public HygieneRoutes(Supplier<@Nullable HygieneReport> report) {
    this.report = report;
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.get(PATH, this::get);
  }

  private void get(Context ctx) {
    HygieneReport r = report.get();
    if (r == null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("status", "error");
      m.put("errorType", "unavailable");
      m.put("error", "the configuration is still loading");
      ctx.status(503).json(m);
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "success");
    m.put("data", json(r));
    ctx.json(m);
  }

  /** The report's JSON shape. */
  static Map<String, Object> json(HygieneReport r) {
    List<Object> findings = new ArrayList<>();
    for (AlertHygiene.Finding f : r.rules()) {
      RuleProblem p = f.problem();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "rule");
      m.put("file", p.file());
      m.put("line", p.line());
      m.put("field", p.field());
      m.put("group", f.group());
      m.put("alert", f.alert());
      m.put("message", p.message());
      findings.add(m);
    }
    for (RouteHygiene.Finding f : r.routes()) {
      ConfigProblem p = f.problem();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", "route");
      m.put("file", p.file());
      m.put("line", p.line());
      m.put("field", p.field());
      m.put("route", f.route());
      m.put("receiver", f.receiver());
      m.put("severity", f.severity());
      m.put("message", p.message());
      findings.add(m);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
    data.put("checkedAt", r.checkedAt().toString());
    data.put("ruleFiles", r.ruleFiles());
    data.put("count", r.count());
    data.put("findings", findings);
    return data;
  }
}
