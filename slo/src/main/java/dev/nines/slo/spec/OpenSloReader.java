package dev.nines.slo.spec;

import dev.nines.common.yaml.YamlNode;
import dev.nines.slo.Alerting;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.RuleIntervals;
import dev.nines.slo.Sli;
import dev.nines.slo.SliQuery;
import dev.nines.slo.Slo;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.TimeWindow;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads OpenSLO v1 objects ({@code apiVersion: openslo/v1}) from any number of documents and files,
 * resolves the references between them ({@code indicatorRef}, {@code alertPolicyRef}, {@code
 * conditionRef}, {@code targetRef}, {@code metricSourceRef}) and builds one {@link Slo} per
 * objective of each {@code SLO} object.
 *
 * <p>Design notes. Objects are first indexed by kind and name (phase one, as documents are added);
 * then every object is read once (phase two), SLOs first, so that a referenced SLI or policy is
 * read and reported once however many SLOs use it. Problems are reported in the file of the object
 * they belong to. Only Prometheus-type metric sources are supported; the query is the metric
 * source's {@code spec.query}.
 */
final class OpenSloReader {
  static final String API_VERSION = "openslo/v1";
  static final String ANNOTATION_PREFIX = "nines.dev/";

  private static final Set<String> KINDS =
      Set.of(
          "SLO",
          "SLI",
          "Service",
          "DataSource",
          "AlertPolicy",
          "AlertCondition",
          "AlertNotificationTarget");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SHORTHAND = Pattern.compile("(\\d+)([mhdwMQY])");
  private static final DateTimeFormatter START_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

  /** One indexed object. */
  private record Obj(String kind, String name, Problems problems, MapView root) {}

  /** An SLI as read: a complete SLI, or a threshold query still needing its objective. */
  private record SliDef(@Nullable Sli sli, @Nullable SliQuery thresholdQuery) {}

  private final SloDefaults defaults;
  private final Map<String, Obj> objects = new LinkedHashMap<>();
  private final Map<String, Optional<SliDef>> slis = new HashMap<>();
  private final Map<String, Optional<List<Alerting.PolicyAlert>>> policies = new HashMap<>();
  private final Map<String, Optional<Condition>> conditions = new HashMap<>();
  private final Map<String, Optional<String>> dataSourceTypes = new HashMap<>();
  private final Map<String, Optional<String>> targets = new HashMap<>();

  OpenSloReader(SloDefaults defaults) {
    this.defaults = defaults;
  }

  /** Phase one: checks the envelope of a document and indexes it by kind and name. */
  void add(Problems problems, MapView root) {
    root.known("apiVersion", "kind", "metadata", "spec");
    String version = root.string("apiVersion", true);
    if (version != null && !version.equals(API_VERSION)) {
      root.problem(
          "apiVersion", "\"" + version + "\" is not supported; expected \"" + API_VERSION + "\"");
    }
    String kind = root.string("kind", true);
    if (kind == null) {
      return;
    }
    if (!KINDS.contains(kind)) {
      root.problem(
          "kind",
          "\""
              + kind
              + "\" is not an OpenSLO v1 kind; known kinds: "
              + String.join(", ", new java.util.TreeSet<>(KINDS)));
      return;
    }
    String name = metadataName(root);
    if (name == null) {
      return;
    }
    String key = kind + "/" + name;
    Obj previous = objects.get(key);
    if (previous != null) {
      root.problem(
          "metadata",
          kind
              + " \""
              + name
              + "\" is defined twice; the other is at "
              + previous.problems().file()
              + ":"
              + previous.root().line());
      return;
    }
    objects.put(key, new Obj(kind, name, problems, root));
  }

  /** Phase two: reads every object, resolving references, and returns the SLOs. */
  List<Slo> resolve() {
    List<Slo> out = new ArrayList<>();
    for (Obj o : objects.values()) {
      switch (o.kind()) {
        case "SLO" -> out.addAll(readSlo(o));
        case "SLI" -> sliObject(o.name());
        case "AlertPolicy" -> policyObject(o.name());
        case "AlertCondition" -> conditionObject(o.name());
        case "DataSource" -> dataSourceType(o.name());
        case "AlertNotificationTarget" -> targetObject(o.name());
        case "Service" -> readService(o);
        default -> throw new IllegalStateException(o.kind());
      }
    }
    return out;
  }

  // ---- metadata ----

  private static @Nullable String metadataName(MapView root) {
    MapView md = root.map("metadata", true);
    if (md == null) {
      return null;
    }
    md.known("name", "displayName", "labels", "annotations");
    String name = md.string("name", true);
    if (name != null && !DNS_LABEL.matcher(name).matches()) {
      md.problem(
          "name",
          "\""
              + name
              + "\" is not an RFC 1123 name (lowercase letters, digits and '-', at most 63,"
              + " starting and ending with a letter or digit)");
    }
    String display = md.string("displayName", false);
    if (display != null && display.length() > 63) {
      md.problem("displayName", "is longer than 63 characters");
    }
    return name;
  }

  private static @Nullable MapView spec(MapView root, boolean required) {
    return root.map("spec", required);
  }

  private static void description(MapView spec) {
    String d = spec.string("description", false);
    if (d != null && d.length() > 1050) {
      spec.problem("description", "is longer than 1050 characters");
    }
  }

  // ---- SLO ----

  private List<Slo> readSlo(Obj o) {
    Problems problems = o.problems();
    int before = problems.count();
    MapView md = o.root().map("metadata", true);
    MapView spec = spec(o.root(), true);
    if (md == null || spec == null) {
      return List.of();
    }
    spec.known(
        "description",
        "service",
        "indicator",
        "indicatorRef",
        "budgetingMethod",
        "timeWindow",
        "objectives",
        "alertPolicies");
    description(spec);
    String description = spec.string("description", false);
    String service = spec.string("service", true);

    Map<String, String> labels = metadataLabels(md);
    Settings settings = settings(md);

    SliDef sli = null;
    boolean inline = spec.has("indicator");
    boolean ref = spec.has("indicatorRef");
    if (inline == ref) {
      spec.problem(
          inline ? "indicatorRef" : "indicator",
          inline
              ? "indicator and indicatorRef are mutually exclusive"
              : "one of indicator or indicatorRef is required");
    } else if (inline) {
      MapView ind = spec.map("indicator", true);
      if (ind != null) {
        ind.known("metadata", "spec");
        metadataName(ind);
        MapView sliSpec = ind.map("spec", true);
        sli = sliSpec == null ? null : readSliSpec(sliSpec);
      }
    } else {
      String name = spec.string("indicatorRef", true);
      if (name != null) {
        if (!objects.containsKey("SLI/" + name)) {
          spec.problem("indicatorRef", "no SLI named \"" + name + "\" in the files given");
        } else {
          sli = sliObject(name).orElse(null);
          if (sli == null) {
            spec.problem("indicatorRef", "SLI \"" + name + "\" has problems (reported there)");
          }
        }
      }
    }

    String method = spec.string("budgetingMethod", true);
    if (method != null
        && !Set.of("Occurrences", "Timeslices", "RatioTimeslices").contains(method)) {
      spec.problem(
          "budgetingMethod",
          "\"" + method + "\" is not one of Occurrences, Timeslices, RatioTimeslices");
      method = null;
    }
    TimeWindow window = readTimeWindow(spec);
    List<Alerting.PolicyAlert> policyAlerts = readAlertPolicies(spec);

    List<MapView.Item> objectives = spec.list("objectives", true);
    if (objectives.isEmpty() && spec.node("objectives") != null) {
      spec.problem("objectives", "at least one objective is required");
    }
    if (sli != null && sli.thresholdQuery() != null && objectives.size() > 1) {
      spec.problem("objectives", "a thresholdMetric SLI allows only one objective");
    }
    List<Slo> out = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < objectives.size(); i++) {
      MapView obj = MapView.of(problems, objectives.get(i).path(), objectives.get(i).node());
      if (obj == null) {
        continue;
      }
      Objective objective = readObjective(obj, method, sli);
      if (objective == null || sli == null || method == null || window == null) {
        continue;
      }
      String id = o.name();
      if (objectives.size() > 1) {
        String display = objective.displayName();
        String slug =
            display == null ? "" : display.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        slug = slug.replaceAll("^-+|-+$", "");
        id =
            id + "-" + (slug.isEmpty() || ids.contains(id + "-" + slug) ? String.valueOf(i) : slug);
      }
      ids.add(id);
      Sli finalSli =
          sli.sli() != null
              ? sli.sli()
              : new Sli.Threshold(sli.thresholdQuery(), objective.op(), objective.value());
      String alertBase = camel(id) + "ErrorBudgetBurn";
      boolean hasPolicies = spec.has("alertPolicies");
      Alerting.AlertSpec page = new Alerting.AlertSpec(alertBase, hasPolicies, Map.of(), Map.of());
      Alerting.AlertSpec ticket =
          new Alerting.AlertSpec(alertBase, hasPolicies, Map.of(), Map.of());
      Map<String, String> annotations = new LinkedHashMap<>();
      if (settings.runbookUrl() != null) {
        annotations.put("runbook_url", settings.runbookUrl());
      }
      out.add(
          new Slo(
              id,
              service == null ? "" : service,
              o.name(),
              description == null ? "" : description,
              objective.target(),
              window,
              finalSli,
              objective.budgeting(),
              new Alerting(
                  page, ticket, Map.of(), annotations, settings.runbookUrl(), policyAlerts),
              labels,
              defaults.tiers().scaledTo(window.nominalLength()),
              settings.minEvents(),
              settings.policy() != null
                  ? settings.policy()
                  : defaults.policyFor(service == null ? "" : service),
              RuleIntervals.DEFAULTS,
              problems.file() + ":" + o.root().line()));
    }
    return problems.count() > before ? List.of() : out;
  }

  /** Nines annotations of one SLO; a null policy leaves the service's or the default one. */
  private record Settings(
      long minEvents, @Nullable BudgetPolicy policy, @Nullable String runbookUrl) {}

  private Settings settings(MapView md) {
    long minEvents = defaults.minEvents();
    BudgetPolicy policy = null;
    String runbook = null;
    Map<String, String> annotations = md.stringMap("annotations");
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(ANNOTATION_PREFIX)) {
        continue; // annotations of other implementations
      }
      String field = md.child("annotations") + "." + key;
      int line = md.lineOf("annotations", key);
      switch (key.substring(ANNOTATION_PREFIX.length())) {
        case "min-events" -> {
          try {
            minEvents = Long.parseLong(e.getValue().strip());
            if (minEvents < 0) {
              throw new NumberFormatException();
            }
          } catch (NumberFormatException ex) {
            md.problems().add(line, field, "\"" + e.getValue() + "\" is not a whole number >= 0");
          }
        }
        case "budget-policy" -> {
          try {
            policy = BudgetPolicy.parse(e.getValue());
          } catch (IllegalArgumentException ex) {
            md.problems().add(line, field, ex.getMessage());
          }
        }
        case "runbook-url" -> runbook = e.getValue();
        default ->
            md.problems()
                .add(
                    line,
                    field,
                    "unknown Nines annotation; known: nines.dev/budget-policy,"
                        + " nines.dev/min-events, nines.dev/runbook-url");
      }
    }
    return new Settings(minEvents, policy, runbook);
  }

  /** OpenSLO labels as Prometheus labels: names made valid, list values joined with commas. */
  private static Map<String, String> metadataLabels(MapView md) {
    Map<String, String> out = new LinkedHashMap<>();
    MapView labels = md.map("labels", false);
    if (labels == null) {
      return out;
    }
    for (String key : labels.keys()) {
      String name = key.replaceAll("[^a-zA-Z0-9_]", "_");
      if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
        name = "_" + name;
      }
      if (SpecChecks.RESERVED_LABELS.contains(name)) {
        labels.problem(key, "label \"" + name + "\" is set by Nines and reserved");
        continue;
      }
      YamlNode n = labels.node(key);
      if (n instanceof YamlNode.YList list) {
        List<String> values = new ArrayList<>();
        for (MapView.Item item : labels.list(key, false)) {
          if (item.node() instanceof YamlNode.YScalar s) {
            values.add(s.text());
          } else {
            labels.problems().add(item.node().line(), item.path(), "expected a string");
          }
        }
        if (!list.items().isEmpty()) {
          out.put(name, String.join(",", values));
        }
      } else {
        String v = labels.string(key, false);
        out.put(name, v == null ? "" : v);
      }
    }
    return out;
  }

  private static String camel(String id) {
    StringBuilder out = new StringBuilder();
    for (String part : id.split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) {
        out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return out.toString();
  }

  // ---- time window ----

  private @Nullable TimeWindow readTimeWindow(MapView spec) {
    List<MapView.Item> items = spec.list("timeWindow", true);
    if (items.isEmpty()) {
      if (spec.node("timeWindow") != null) {
        spec.problem("timeWindow", "exactly one time window is required");
      }
      return null;
    }
    if (items.size() > 1) {
      spec.problem("timeWindow", "exactly one time window is allowed, found " + items.size());
      return null;
    }
    MapView tw = MapView.of(spec.problems(), items.get(0).path(), items.get(0).node());
    if (tw == null) {
      return null;
    }
    tw.known("duration", "isRolling", "calendar");
    boolean rolling = tw.bool("isRolling", false);
    MapView calendar = tw.map("calendar", false);
    String duration = tw.string("duration", true);
    if (rolling && calendar != null) {
      tw.problem("calendar", "calendar cannot be set when isRolling is true");
      return null;
    }
    if (!rolling && calendar == null) {
      tw.problem(
          tw.has("isRolling") ? "isRolling" : "calendar",
          "a window is either isRolling: true or has a calendar");
      return null;
    }
    if (duration == null) {
      return null;
    }
    Matcher m = SHORTHAND.matcher(duration);
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      tw.problem(
          "duration",
          "\""
              + duration
              + "\" is not a duration shorthand: a positive number and one of m h d w"
              + " M Q Y, e.g. 28d or 1M");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2);
    if (rolling) {
      return new TimeWindow.Rolling(shorthandToDuration(n, unit));
    }
    calendar.known("startTime", "timeZone");
    TimeWindow.CalendarUnit cu =
        switch (unit) {
          case "d" -> TimeWindow.CalendarUnit.DAY;
          case "w" -> TimeWindow.CalendarUnit.WEEK;
          case "M" -> TimeWindow.CalendarUnit.MONTH;
          case "Q" -> TimeWindow.CalendarUnit.QUARTER;
          case "Y" -> TimeWindow.CalendarUnit.YEAR;
          default -> null;
        };
    if (cu == null) {
      tw.problem("duration", "a calendar window counts in d, w, M, Q or Y, not \"" + unit + "\"");
      return null;
    }
    ZoneId zone = ZoneId.of("UTC");
    boolean bad = false;
    String tz = calendar.string("timeZone", false);
    if (tz != null) {
      if (ZoneId.getAvailableZoneIds().contains(tz)) {
        zone = ZoneId.of(tz);
      } else {
        calendar.problem("timeZone", "\"" + tz + "\" is not an IANA time zone name");
        bad = true;
      }
    }
    LocalDateTime anchor = defaultAnchor(cu);
    String start = calendar.string("startTime", false);
    if (start != null) {
      try {
        anchor = LocalDateTime.parse(start, START_TIME);
      } catch (DateTimeParseException e) {
        calendar.problem(
            "startTime", "\"" + start + "\" is not a date and time like 2024-01-01 00:00:00");
        bad = true;
      }
    }
    if (bad) {
      return null;
    }
    if (n > Integer.MAX_VALUE) {
      tw.problem("duration", "is too long");
      return null;
    }
    return new TimeWindow.Calendar(cu, (int) n, anchor, zone);
  }

  /** Midnight on a Monday for weeks, on the 1st of January 2024 (a Monday) for the rest. */
  private static LocalDateTime defaultAnchor(TimeWindow.CalendarUnit unit) {
    return LocalDateTime.of(2024, 1, 1, 0, 0);
  }

  private static Duration shorthandToDuration(long n, String unit) {
    return switch (unit) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      case "w" -> Duration.ofDays(7 * n);
      case "M" -> Duration.ofDays(30 * n);
      case "Q" -> Duration.ofDays(90 * n);
      case "Y" -> Duration.ofDays(365 * n);
      default -> throw new IllegalArgumentException(unit);
    };
  }

  private static @Nullable Duration shorthand(MapView m, String key, boolean required) {
    YamlNode n = m.node(key);
    if (n == null) {
      if (required) {
        m.missing(key);
      }
      return null;
    }
    if (n instanceof YamlNode.YScalar s && s.type() == YamlNode.ScalarType.INTEGER) {
      long minutes = Long.parseLong(s.text());
      if (minutes <= 0) {
        m.problem(key, "must be positive");
        return null;
      }
      return Duration.ofMinutes(minutes); // a bare number counts minutes
    }
    String text = m.string(key, required);
    if (text == null) {
      return null;
    }
    Matcher mm = SHORTHAND.matcher(text);
    if (!mm.matches() || Long.parseLong(mm.group(1)) == 0 || "MQY".contains(mm.group(2))) {
      m.problem(
          key, "\"" + text + "\" is not a duration shorthand such as 5m, 1h or 1d (or minutes)");
      return null;
    }
    return shorthandToDuration(Long.parseLong(mm.group(1)), mm.group(2));
  }

  // ---- objectives ----

  private record Objective(
      @Nullable String displayName,
      double target,
      Sli.@Nullable Op op,
      double value,
      BudgetingMethod budgeting) {}

  private @Nullable Objective readObjective(
      MapView obj, @Nullable String method, @Nullable SliDef sli) {
    obj.known(
        "displayName",
        "op",
        "value",
        "target",
        "targetPercent",
        "timeSliceTarget",
        "timeSliceWindow",
        "indicator",
        "indicatorRef",
        "compositeWeight");
    int before = obj.problems().count();
    for (String composite : List.of("indicator", "indicatorRef", "compositeWeight")) {
      if (obj.has(composite)) {
        obj.problem(composite, "composite SLOs (an indicator per objective) are not supported");
      }
    }
    String display = obj.string("displayName", false);
    Sli.Op op = null;
    String opText = obj.string("op", false);
    if (opText != null) {
      op =
          switch (opText) {
            case "lt" -> Sli.Op.LT;
            case "lte" -> Sli.Op.LTE;
            case "gt" -> Sli.Op.GT;
            case "gte" -> Sli.Op.GTE;
            default -> {
              obj.problem("op", "\"" + opText + "\" is not one of lt, lte, gt, gte");
              yield null;
            }
          };
    }
    Double value = obj.number("value", false);
    if (sli != null && sli.thresholdQuery() != null) {
      if (op == null && opText == null) {
        obj.missing("op");
      }
      if (value == null && !obj.has("value")) {
        obj.missing("value");
      }
    }
    Double target = obj.number("target", false);
    Double percent = obj.number("targetPercent", false);
    double ratio = Double.NaN;
    if (obj.has("target") && obj.has("targetPercent")) {
      obj.problem("targetPercent", "target and targetPercent are mutually exclusive");
    } else if (!obj.has("target") && !obj.has("targetPercent")) {
      obj.problems()
          .add(obj.line(), obj.child("target"), "one of target or targetPercent is required");
    } else if (target != null) {
      if (!(target >= 0 && target < 1)) {
        obj.problem("target", SlothReader.formatNumber(target) + " is not a ratio in [0, 1)");
      }
      ratio = target;
    } else if (percent != null) {
      if (!(percent >= 0 && percent < 100)) {
        obj.problem(
            "targetPercent",
            SlothReader.formatNumber(percent) + " is not a percentage in [0, 100)");
      }
      ratio = java.math.BigDecimal.valueOf(percent).movePointLeft(2).doubleValue();
    }
    BudgetingMethod budgeting = new BudgetingMethod.Occurrences();
    Double sliceTarget = obj.number("timeSliceTarget", "Timeslices".equals(method));
    Duration sliceWindow =
        shorthand(obj, "timeSliceWindow", method != null && method.endsWith("Timeslices"));
    if (sliceTarget != null && !(sliceTarget > 0 && sliceTarget <= 1)) {
      obj.problem(
          "timeSliceTarget", SlothReader.formatNumber(sliceTarget) + " is not a ratio in (0, 1]");
    }
    if ("Timeslices".equals(method) && sliceTarget != null && sliceWindow != null) {
      budgeting = new BudgetingMethod.Timeslices(sliceTarget, sliceWindow);
    } else if ("RatioTimeslices".equals(method) && sliceWindow != null) {
      budgeting = new BudgetingMethod.RatioTimeslices(sliceWindow);
    }
    if (obj.problems().count() > before || Double.isNaN(ratio)) {
      return null;
    }
    return new Objective(display, ratio, op, value == null ? 0 : value, budgeting);
  }

  // ---- SLI ----

  private Optional<SliDef> sliObject(String name) {
    Optional<SliDef> cached = slis.get(name);
    if (cached != null) {
      return cached;
    }
    Obj o = objects.get("SLI/" + name);
    SliDef def = null;
    if (o != null) {
      MapView spec = spec(o.root(), true);
      def = spec == null ? null : readSliSpec(spec);
    }
    Optional<SliDef> result = Optional.ofNullable(def);
    slis.put(name, result);
    return result;
  }

  private @Nullable SliDef readSliSpec(MapView spec) {
    int before = spec.problems().count();
    spec.known("description", "thresholdMetric", "ratioMetric");
    description(spec);
    boolean threshold = spec.has("thresholdMetric");
    boolean ratio = spec.has("ratioMetric");
    if (threshold == ratio) {
      spec.problems()
          .add(
              spec.line(),
              spec.path(),
              threshold
                  ? "thresholdMetric and ratioMetric are mutually exclusive"
                  : "one of thresholdMetric or ratioMetric is required");
      return null;
    }
    if (threshold) {
      MapView tm = spec.map("thresholdMetric", true);
      SliQuery q = tm == null ? null : metric(tm, SliQuery.Form.INSTANT);
      return q == null || spec.problems().count() > before ? null : new SliDef(null, q);
    }
    MapView rm = spec.map("ratioMetric", true);
    if (rm == null) {
      return null;
    }
    rm.known("counter", "good", "bad", "total", "rawType", "raw");
    boolean counter = rm.bool("counter", false);
    SliQuery.Form form = counter ? SliQuery.Form.COUNTER : SliQuery.Form.GAUGE;
    if (rm.has("raw")) {
      for (String other : List.of("good", "bad", "total")) {
        if (rm.has(other)) {
          rm.problem(other, "raw cannot be used together with " + other);
        }
      }
      String rawType = rm.string("rawType", true);
      if (rawType != null && !rawType.equals("success") && !rawType.equals("failure")) {
        rm.problem("rawType", "\"" + rawType + "\" is not one of success, failure");
      }
      MapView raw = rm.map("raw", true);
      SliQuery q = raw == null ? null : metric(raw, SliQuery.Form.INSTANT);
      if (q == null || rawType == null || spec.problems().count() > before) {
        return null;
      }
      return new SliDef(new Sli.RawRatio(q, rawType.equals("success")), null);
    }
    if (rm.has("rawType")) {
      rm.problem("rawType", "rawType is only used with raw");
    }
    boolean good = rm.has("good");
    boolean bad = rm.has("bad");
    if (good == bad) {
      rm.problems()
          .add(
              rm.line(),
              rm.path(),
              good ? "good and bad are mutually exclusive" : "one of good or bad is required");
    }
    if (!rm.has("total")) {
      rm.missing("total");
    }
    MapView num = rm.map(good ? "good" : "bad", false);
    MapView total = rm.map("total", false);
    SliQuery n = num == null ? null : metric(num, form);
    SliQuery t = total == null ? null : metric(total, form);
    if (n == null || t == null || spec.problems().count() > before) {
      return null;
    }
    return new SliDef(new Sli.Ratio(n, good, t), null);
  }

  /** Reads {@code {metricSource: {metricSourceRef, type, spec: {query}}}}. */
  private @Nullable SliQuery metric(MapView m, SliQuery.Form counterForm) {
    m.known("metricSource");
    MapView src = m.map("metricSource", true);
    if (src == null) {
      return null;
    }
    src.known("metricSourceRef", "type", "spec");
    String type = src.string("type", false);
    String ref = src.string("metricSourceRef", false);
    if (ref != null) {
      if (!objects.containsKey("DataSource/" + ref)) {
        src.problem("metricSourceRef", "no DataSource named \"" + ref + "\" in the files given");
        return null;
      }
      String refType = dataSourceType(ref).orElse(null);
      if (refType == null) {
        return null; // reported on the DataSource
      }
      if (type == null) {
        type = refType;
      }
    }
    if (type == null) {
      src.problems()
          .add(src.line(), src.child("type"), "one of type or metricSourceRef is required");
      return null;
    }
    if (!type.equalsIgnoreCase("prometheus")) {
      src.problem(
          "type",
          "metric source type \"" + type + "\" is not supported; Nines reads Prometheus sources");
      return null;
    }
    MapView qs = src.map("spec", true);
    if (qs == null) {
      return null;
    }
    qs.known("query");
    String text = qs.string("query", true);
    if (text == null) {
      return null;
    }
    boolean templated = SliQuery.WINDOW_PLACEHOLDER.matcher(text).find();
    if (templated && counterForm == SliQuery.Form.INSTANT && m.path().endsWith("thresholdMetric")) {
      qs.problem("query", "a thresholdMetric query is an instant gauge; it takes no {{.window}}");
      return null;
    }
    SliQuery q = new SliQuery(text, templated ? SliQuery.Form.TEMPLATE : counterForm);
    List<String> bad = q.problems();
    for (String b : bad) {
      qs.problem("query", b);
    }
    return bad.isEmpty() ? q : null;
  }

  // ---- data sources, services, notification targets ----

  private Optional<String> dataSourceType(String name) {
    Optional<String> cached = dataSourceTypes.get(name);
    if (cached != null) {
      return cached;
    }
    Obj o = objects.get("DataSource/" + name);
    String type = null;
    MapView spec = o == null ? null : spec(o.root(), true);
    if (spec != null) {
      spec.known("description", "type", "connectionDetails");
      description(spec);
      type = spec.string("type", true);
      if (!spec.has("connectionDetails")) {
        spec.missing("connectionDetails");
      }
      if (type != null && !type.equalsIgnoreCase("prometheus")) {
        spec.problem(
            "type",
            "data source type \"" + type + "\" is not supported; Nines reads Prometheus sources");
        type = null;
      }
    }
    Optional<String> result = Optional.ofNullable(type);
    dataSourceTypes.put(name, result);
    return result;
  }

  private static void readService(Obj o) {
    MapView spec = spec(o.root(), false);
    if (spec != null) {
      spec.known("description");
      description(spec);
    }
  }

  private Optional<String> targetObject(String name) {
    Optional<String> cached = targets.get(name);
    if (cached != null) {
      return cached;
    }
    Obj o = objects.get("AlertNotificationTarget/" + name);
    String target = null;
    MapView spec = o == null ? null : spec(o.root(), true);
    if (spec != null) {
      target = readTargetSpec(spec) == null ? null : name;
    }
    Optional<String> result = Optional.ofNullable(target);
    targets.put(name, result);
    return result;
  }

  private static @Nullable String readTargetSpec(MapView spec) {
    spec.known("description", "target");
    description(spec);
    return spec.string("target", true);
  }

  // ---- alert policies and conditions ----

  private record Condition(
      String severity,
      Sli.Op op,
      double threshold,
      Duration lookback,
      Duration alertAfter,
      @Nullable String description) {}

  private List<Alerting.PolicyAlert> readAlertPolicies(MapView spec) {
    List<Alerting.PolicyAlert> out = new ArrayList<>();
    for (MapView.Item item : spec.list("alertPolicies", false)) {
      MapView ap = MapView.of(spec.problems(), item.path(), item.node());
      if (ap == null) {
        continue;
      }
      if (ap.has("alertPolicyRef")) {
        ap.known("alertPolicyRef");
        String name = ap.string("alertPolicyRef", true);
        if (name == null) {
          continue;
        }
        if (!objects.containsKey("AlertPolicy/" + name)) {
          ap.problem("alertPolicyRef", "no AlertPolicy named \"" + name + "\" in the files given");
          continue;
        }
        policyObject(name).ifPresent(out::addAll);
      } else {
        ap.known("kind", "metadata", "spec");
        String kind = ap.string("kind", true);
        if (kind != null && !kind.equals("AlertPolicy")) {
          ap.problem("kind", "expected AlertPolicy, found \"" + kind + "\"");
          continue;
        }
        String name = metadataName(ap);
        MapView ps = ap.map("spec", true);
        if (name != null && ps != null) {
          List<Alerting.PolicyAlert> alerts = readPolicySpec(name, ps);
          if (alerts != null) {
            out.addAll(alerts);
          }
        }
      }
    }
    return out;
  }

  private Optional<List<Alerting.PolicyAlert>> policyObject(String name) {
    Optional<List<Alerting.PolicyAlert>> cached = policies.get(name);
    if (cached != null) {
      return cached;
    }
    Obj o = objects.get("AlertPolicy/" + name);
    MapView spec = o == null ? null : spec(o.root(), true);
    Optional<List<Alerting.PolicyAlert>> result =
        Optional.ofNullable(spec == null ? null : readPolicySpec(name, spec));
    policies.put(name, result);
    return result;
  }

  private @Nullable List<Alerting.PolicyAlert> readPolicySpec(String name, MapView spec) {
    int before = spec.problems().count();
    spec.known(
        "description",
        "alertWhenNoData",
        "alertWhenBreaching",
        "alertWhenResolved",
        "conditions",
        "notificationTargets");
    description(spec);
    spec.bool("alertWhenNoData", false);
    spec.bool("alertWhenResolved", false);
    boolean breaching = spec.bool("alertWhenBreaching", false);
    List<MapView.Item> conds = spec.list("conditions", true);
    if (conds.size() != 1 && spec.node("conditions") != null) {
      spec.problem("conditions", "exactly one condition is required, found " + conds.size());
    }
    Condition condition = null;
    for (MapView.Item item : conds) {
      MapView c = MapView.of(spec.problems(), item.path(), item.node());
      if (c == null) {
        continue;
      }
      if (c.has("conditionRef")) {
        c.known("conditionRef");
        String ref = c.string("conditionRef", true);
        if (ref != null) {
          if (!objects.containsKey("AlertCondition/" + ref)) {
            c.problem("conditionRef", "no AlertCondition named \"" + ref + "\" in the files given");
          } else {
            condition = conditionObject(ref).orElse(null);
          }
        }
      } else {
        c.known("kind", "metadata", "spec");
        String kind = c.string("kind", true);
        if (kind != null && !kind.equals("AlertCondition")) {
          c.problem("kind", "expected AlertCondition, found \"" + kind + "\"");
        }
        metadataName(c);
        MapView cs = c.map("spec", true);
        condition = cs == null ? null : readConditionSpec(cs);
      }
    }
    List<String> targetNames = new ArrayList<>();
    for (MapView.Item item : spec.list("notificationTargets", false)) {
      MapView t = MapView.of(spec.problems(), item.path(), item.node());
      if (t == null) {
        continue;
      }
      if (t.has("targetRef")) {
        t.known("targetRef");
        String ref = t.string("targetRef", true);
        if (ref != null) {
          if (!objects.containsKey("AlertNotificationTarget/" + ref)) {
            t.problem(
                "targetRef", "no AlertNotificationTarget named \"" + ref + "\" in the files given");
          } else {
            targetObject(ref).ifPresent(targetNames::add);
          }
        }
      } else {
        t.known("kind", "metadata", "spec");
        String kind = t.string("kind", true);
        if (kind != null && !kind.equals("AlertNotificationTarget")) {
          t.problem("kind", "expected AlertNotificationTarget, found \"" + kind + "\"");
        }
        String tn = metadataName(t);
        MapView ts = t.map("spec", true);
        if (tn != null && ts != null && readTargetSpec(ts) != null) {
          targetNames.add(tn);
        }
      }
    }
    if (spec.problems().count() > before || condition == null) {
      return null;
    }
    if (!breaching) {
      return List.of(); // a policy that only asks for no-data or resolved alerts; see docs/slo.md
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (!targetNames.isEmpty()) {
      labels.put("notification_targets", String.join(",", targetNames));
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (condition.description() != null) {
      annotations.put("description", condition.description());
    }
    return List.of(
        new Alerting.PolicyAlert(
            name,
            condition.severity(),
            condition.op(),
            condition.threshold(),
            condition.lookback(),
            condition.alertAfter(),
            labels,
            annotations));
  }

  private Optional<Condition> conditionObject(String name) {
    Optional<Condition> cached = conditions.get(name);
    if (cached != null) {
      return cached;
    }
    Obj o = objects.get("AlertCondition/" + name);
    MapView spec = o == null ? null : spec(o.root(), true);
    Optional<Condition> result = Optional.ofNullable(spec == null ? null : readConditionSpec(spec));
    conditions.put(name, result);
    return result;
  }

  private @Nullable Condition readConditionSpec(MapView spec) {
    int before = spec.problems().count();
    spec.known("description", "severity", "condition");
    description(spec);
    String description = spec.string("description", false);
    String severity = spec.string("severity", true);
    MapView c = spec.map("condition", true);
    if (c == null) {
      return null;
    }
    c.known("kind", "op", "threshold", "lookbackWindow", "alertAfter");
    String kind = c.string("kind", false);
    if (kind != null && !kind.equals("burnrate")) {
      c.problem("kind", "\"" + kind + "\" is not supported; the only kind is burnrate");
    }
    Sli.Op op = Sli.Op.GT;
    String opText = c.string("op", false);
    if (opText != null) {
      op =
          switch (opText) {
            case "lt" -> Sli.Op.LT;
            case "lte" -> Sli.Op.LTE;
            case "gt" -> Sli.Op.GT;
            case "gte" -> Sli.Op.GTE;
            default -> {
              c.problem("op", "\"" + opText + "\" is not one of lt, lte, gt, gte");
              yield Sli.Op.GT;
            }
          };
    }
    Double threshold = c.number("threshold", true);
    Duration lookback = shorthand(c, "lookbackWindow", true);
    Duration after = shorthand(c, "alertAfter", false);
    if (spec.problems().count() > before
        || severity == null
        || threshold == null
        || lookback == null) {
      return null;
    }
    return new Condition(
        severity, op, threshold, lookback, after == null ? Duration.ZERO : after, description);
  }
}
