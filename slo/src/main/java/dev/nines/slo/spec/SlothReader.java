package dev.nines.slo.spec;

import dev.nines.slo.Alerting;
import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.RuleIntervals;
import dev.nines.slo.Sli;
import dev.nines.slo.SliQuery;
import dev.nines.slo.Slo;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.TimeWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Sloth {@code prometheus/v1} document as Sloth defines it (github.com/slok/sloth, {@code
 * pkg/prometheus/api/v1}). Every SLO gets the id {@code <service>-<name>}, as Sloth gives it, and
 * the window of {@link SloDefaults#slothWindow()}, since the format has none.
 *
 * <p>Differences from Sloth, each reported as a problem: an unknown field is an error (Sloth's YAML
 * decoding ignores it); an objective of exactly 100 is refused (no error budget, every burn rate
 * divides by zero); an events query without {@code {{.window}}} is refused (it would measure every
 * alert window the same); {@code sli.plugin} is not supported (Sloth's plugins are Go code).
 */
final class SlothReader {
  static final String VERSION = "prometheus/v1";

  private final Problems problems;
  private final SloDefaults defaults;

  SlothReader(Problems problems, SloDefaults defaults) {
    this.problems = problems;
    this.defaults = defaults;
  }

  List<Slo> read(MapView root) {
    root.known("version", "service", "labels", "slos");
    List<Slo> out = new ArrayList<>();
    String version = root.string("version", true);
    if (version != null && !version.equals(VERSION)) {
      root.problem("version", "\"" + version + "\" is not supported; expected \"" + VERSION + "\"");
    }
    String service = root.string("service", true);
    Map<String, String> labels = root.stringMap("labels");
    SpecChecks.checkLabels(root, "labels", labels);
    List<MapView.Item> slos = root.list("slos", true);
    if (slos.isEmpty() && root.node("slos") != null) {
      root.problem("slos", "at least one SLO is required");
    }
    for (MapView.Item item : slos) {
      MapView slo = MapView.of(problems, item.path(), item.node());
      if (slo != null) {
        Slo s = readSlo(slo, service == null ? "" : service, labels);
        if (s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private @Nullable Slo readSlo(MapView slo, String service, Map<String, String> serviceLabels) {
    int before = problems.count();
    slo.known(
        "name", "description", "objective", "labels", "infoLabels", "sli", "alerting", "interval");
    String name = slo.string("name", true);
    String description = slo.string("description", false);
    Double objective = slo.number("objective", true);
    if (objective != null && !(objective > 0 && objective < 100)) {
      slo.problem(
          "objective",
          formatNumber(objective)
              + " is not a percentage in (0, 100)"
              + (objective == 100 ? "; 100% leaves no error budget" : ""));
    }
    Map<String, String> labels = new LinkedHashMap<>(serviceLabels);
    Map<String, String> own = slo.stringMap("labels");
    SpecChecks.checkLabels(slo, "labels", own);
    labels.putAll(own);
    Map<String, String> info = slo.stringMap("infoLabels");
    SpecChecks.checkLabels(slo, "infoLabels", info);
    Sli sli = readSli(slo);
    Alerting alerting = readAlerting(slo, name == null ? "" : name);
    RuleIntervals intervals = readIntervals(slo);
    if (problems.count() > before || name == null || objective == null || sli == null) {
      return null;
    }
    Duration window = defaults.slothWindow();
    return new Slo(
        service + "-" + name,
        service,
        name,
        description == null ? "" : description,
        java.math.BigDecimal.valueOf(objective).movePointLeft(2).doubleValue(),
        new TimeWindow.Rolling(window),
        sli,
        new BudgetingMethod.Occurrences(),
        alerting,
        labels,
        defaults.tiers().scaledTo(window),
        defaults.minEvents(),
        defaults.policyFor(service),
        intervals,
        problems.file() + ":" + slo.line());
  }

  private @Nullable Sli readSli(MapView slo) {
    MapView sli = slo.map("sli", true);
    if (sli == null) {
      return null;
    }
    sli.known("events", "raw", "plugin");
    int kinds =
        (sli.has("events") ? 1 : 0) + (sli.has("raw") ? 1 : 0) + (sli.has("plugin") ? 1 : 0);
    if (kinds != 1) {
      slo.problem(
          "sli",
          kinds == 0
              ? "one of events, raw or plugin is required"
              : "only one of events, raw or plugin may be given");
      return null;
    }
    if (sli.has("plugin")) {
      sli.problem(
          "plugin",
          "SLI plugins are not supported by Nines (they are Go code run by Sloth);"
              + " write the plugin's query as sli.events or sli.raw");
      return null;
    }
    if (sli.has("raw")) {
      MapView raw = sli.map("raw", true);
      if (raw == null) {
        return null;
      }
      raw.known("error_ratio_query");
      SliQuery q = query(raw, "error_ratio_query", false);
      return q == null ? null : new Sli.RawRatio(q, false);
    }
    MapView events = sli.map("events", true);
    if (events == null) {
      return null;
    }
    events.known("error_query", "total_query");
    SliQuery error = query(events, "error_query", true);
    SliQuery total = query(events, "total_query", true);
    return error == null || total == null ? null : new Sli.Ratio(error, false, total);
  }

  private @Nullable SliQuery query(MapView m, String key, boolean needsWindow) {
    String text = m.string(key, true);
    if (text == null) {
      return null;
    }
    boolean templated = SliQuery.WINDOW_PLACEHOLDER.matcher(text).find();
    SliQuery q = new SliQuery(text, templated ? SliQuery.Form.TEMPLATE : SliQuery.Form.INSTANT);
    List<String> bad = new ArrayList<>(q.problems());
    if (needsWindow && !templated) {
      bad.add("must use {{.window}} as its range, e.g. rate(x[{{.window}}])");
    }
    for (String b : bad) {
      m.problem(key, b);
    }
    return bad.isEmpty() ? q : null;
  }

  private Alerting readAlerting(MapView slo, String sloName) {
    MapView a = slo.map("alerting", false);
    if (a == null) {
      slo.problem("alerting", "missing; Sloth needs alerting.name (or both alerts disabled)");
      Alerting.AlertSpec off = new Alerting.AlertSpec("", true, Map.of(), Map.of());
      return new Alerting(off, off, Map.of(), Map.of(), null, List.of());
    }
    a.known("name", "labels", "annotations", "page_alert", "ticket_alert");
    String name = a.string("name", false);
    Map<String, String> labels = a.stringMap("labels");
    SpecChecks.checkLabels(a, "labels", labels);
    Map<String, String> annotations = a.stringMap("annotations");
    SpecChecks.checkAnnotations(a, "annotations", annotations);
    Alerting.AlertSpec page = alert(a, "page_alert", name);
    Alerting.AlertSpec ticket = alert(a, "ticket_alert", name);
    if ((name == null || name.isBlank()) && (!page.disabled() || !ticket.disabled())) {
      a.problem("name", "missing; required unless page_alert and ticket_alert are disabled");
    }
    String runbook = annotations.getOrDefault("runbook_url", annotations.get("runbook"));
    return new Alerting(page, ticket, labels, annotations, runbook, List.of());
  }

  private Alerting.AlertSpec alert(MapView alerting, String key, @Nullable String name) {
    MapView m = alerting.map(key, false);
    if (m == null) {
      return new Alerting.AlertSpec(name == null ? "" : name, false, Map.of(), Map.of());
    }
    m.known("disable", "labels", "annotations");
    boolean disable = m.bool("disable", false);
    Map<String, String> labels = m.stringMap("labels");
    SpecChecks.checkLabels(m, "labels", labels);
    Map<String, String> annotations = m.stringMap("annotations");
    SpecChecks.checkAnnotations(m, "annotations", annotations);
    return new Alerting.AlertSpec(name == null ? "" : name, disable, labels, annotations);
  }

  private RuleIntervals readIntervals(MapView slo) {
    MapView m = slo.map("interval", false);
    if (m == null) {
      return RuleIntervals.DEFAULTS;
    }
    m.known("all", "slierror", "metadata", "alert");
    Duration all = m.promDuration("all", false);
    Duration sli = m.promDuration("slierror", false);
    Duration meta = m.promDuration("metadata", false);
    Duration alert = m.promDuration("alert", false);
    return new RuleIntervals(
        sli != null ? sli : all, meta != null ? meta : all, alert != null ? alert : all);
  }

  static String formatNumber(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15
        ? Long.toString((long) d)
        : java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
