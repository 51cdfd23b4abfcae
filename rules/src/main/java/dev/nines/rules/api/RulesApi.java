package dev.nines.rules.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.nines.rules.ActiveAlert;
import dev.nines.rules.AlertState;
import dev.nines.rules.AlertingRule;
import dev.nines.rules.RecordingRule;
import dev.nines.rules.Rule;
import dev.nines.rules.RuleGroup;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Builds the {@code data} of Prometheus's rules and alerts API responses from running groups. */
public final class RulesApi {
  private RulesApi() {}

  /**
   * The filters of {@code /api/v1/rules}: {@code type} ({@code alert} or {@code record}, null for
   * both), {@code rule_name[]}, {@code rule_group[]}, {@code file[]} (empty: no filter), and {@code
   * exclude_alerts}.
   */
  public record Filter(
      @Nullable String type,
      Set<String> ruleNames,
      Set<String> groupNames,
      Set<String> files,
      boolean excludeAlerts) {
    /** No filtering. */
    public static final Filter NONE = new Filter(null, Set.of(), Set.of(), Set.of(), false);

    /** Creates a filter; sets are copied. */
    public Filter {
      ruleNames = Set.copyOf(ruleNames);
      groupNames = Set.copyOf(groupNames);
      files = Set.copyOf(files);
    }

    /**
     * Checks the {@code type} parameter.
     *
     * @throws IllegalArgumentException with Prometheus's message for a bad type
     */
    public Filter validate() {
      if (type != null && !type.equals("alert") && !type.equals("record")) {
        throw new IllegalArgumentException("unsupported type " + type);
      }
      return this;
    }
  }

  /** {@code data} of {@code /api/v1/rules}. */
  public record RuleDiscovery(List<Group> groups) {}

  /** One group. Times are RFC 3339, durations in seconds. */
  @JsonPropertyOrder({
    "name",
    "file",
    "rules",
    "interval",
    "limit",
    "evaluationTime",
    "lastEvaluation"
  })
  public record Group(
      String name,
      String file,
      List<RuleView> rules,
      double interval,
      int limit,
      double evaluationTime,
      String lastEvaluation) {}

  /** A rule: {@link AlertingRuleView} or {@link RecordingRuleView}. */
  public sealed interface RuleView permits AlertingRuleView, RecordingRuleView {}

  /** An alerting rule as Prometheus shows it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "state",
    "name",
    "query",
    "duration",
    "keepFiringFor",
    "labels",
    "annotations",
    "alerts",
    "health",
    "lastError",
    "evaluationTime",
    "lastEvaluation",
    "type"
  })
  public record AlertingRuleView(
      String state,
      String name,
      String query,
      double duration,
      double keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations,
      @Nullable List<AlertView> alerts,
      String health,
      @Nullable String lastError,
      double evaluationTime,
      String lastEvaluation,
      String type)
      implements RuleView {}

  /** A recording rule as Prometheus shows it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "name",
    "query",
    "labels",
    "health",
    "lastError",
    "evaluationTime",
    "lastEvaluation",
    "type"
  })
  public record RecordingRuleView(
      String name,
      String query,
      @Nullable Map<String, String> labels,
      String health,
      @Nullable String lastError,
      double evaluationTime,
      String lastEvaluation,
      String type)
      implements RuleView {}

  /** {@code data} of {@code /api/v1/alerts}. */
  public record AlertDiscovery(List<AlertView> alerts) {}

  /** One alert; {@code value} is Go's {@code %e} text, e.g. {@code 1e+00}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"labels", "annotations", "state", "activeAt", "keepFiringSince", "value"})
  public record AlertView(
      Map<String, String> labels,
      Map<String, String> annotations,
      String state,
      @Nullable String activeAt,
      @Nullable String keepFiringSince,
      String value) {}

  /** The rules response for the groups, filtered. */
  public static RuleDiscovery rules(List<RuleGroup> groups, Filter filter) {
    boolean ruleFilter = filter.type() != null || !filter.ruleNames().isEmpty();
    List<Group> out = new ArrayList<>();
    for (RuleGroup g : groups) {
      if (!filter.groupNames().isEmpty() && !filter.groupNames().contains(g.name())) {
        continue;
      }
      if (!filter.files().isEmpty() && !filter.files().contains(g.file())) {
        continue;
      }
      List<RuleView> views = new ArrayList<>();
      for (Rule r : g.rules()) {
        if (!filter.ruleNames().isEmpty() && !filter.ruleNames().contains(r.name())) {
          continue;
        }
        switch (r) {
          case AlertingRule a -> {
            if ("record".equals(filter.type())) {
              continue;
            }
            views.add(alerting(a, filter.excludeAlerts()));
          }
          case RecordingRule rec -> {
            if ("alert".equals(filter.type())) {
              continue;
            }
            views.add(
                new RecordingRuleView(
                    rec.name(),
                    rec.expr(),
                    rec.labels().isEmpty() ? null : sorted(rec.labels()),
                    rec.health().apiName(),
                    emptyToNull(rec.lastError()),
                    seconds(rec.evaluationTime()),
                    time(rec.lastEvaluation()),
                    "recording"));
          }
        }
      }
      if (ruleFilter && views.isEmpty()) {
        continue;
      }
      out.add(
          new Group(
              g.name(),
              g.file(),
              views,
              seconds(g.interval()),
              g.limit(),
              seconds(g.evaluationTime()),
              time(g.lastEvaluation())));
    }
    return new RuleDiscovery(out);
  }

  /** The alerts response: every pending and firing alert of every alerting rule. */
  public static AlertDiscovery alerts(List<RuleGroup> groups) {
    List<AlertView> out = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule a) {
          out.addAll(alertViews(a));
        }
      }
    }
    return new AlertDiscovery(out);
  }

  private static AlertingRuleView alerting(AlertingRule a, boolean excludeAlerts) {
    return new AlertingRuleView(
        a.state().apiName(),
        a.name(),
        a.expr(),
        seconds(a.holdDuration()),
        seconds(a.keepFiringFor()),
        sorted(a.labels()),
        sorted(a.annotations()),
        excludeAlerts ? null : alertViews(a),
        a.health().apiName(),
        emptyToNull(a.lastError()),
        seconds(a.evaluationTime()),
        time(a.lastEvaluation()),
        "alerting");
  }

  private static List<AlertView> alertViews(AlertingRule a) {
    List<AlertView> out = new ArrayList<>();
    for (ActiveAlert al : a.alerts()) {
      if (al.state() == AlertState.INACTIVE) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      al.labels().forEach(labels::put);
      out.add(
          new AlertView(
              labels,
              sorted(al.annotations()),
              al.state().apiName(),
              time(al.activeAt()),
              al.keepFiringSince() == null ? null : time(al.keepFiringSince()),
              goExp(al.value())));
    }
    return out;
  }

  private static Map<String, String> sorted(Map<String, String> m) {
    return new TreeMap<>(m);
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  /**
   * Go's JSON time (RFC 3339 with nanoseconds, trailing zeros dropped); Go's zero time for null.
   */
  static String time(@Nullable Instant t) {
    if (t == null) {
      return "0001-01-01T00:00:00Z";
    }
    String s = t.toString();
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    int end = s.length() - 1;
    int i = end;
    while (s.charAt(i - 1) == '0') {
      i--;
    }
    return s.charAt(i - 1) == '.' ? s.substring(0, i - 1) + "Z" : s.substring(0, i) + "Z";
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: {@code 1e+00}, {@code 1.5e-03}. */
  static String goExp(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0 ? "-" : "") + "0e+00";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - bd.scale() - 1;
    StringBuilder out = new StringBuilder();
    if (v < 0) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exp < 0 ? '-' : '+');
    if (Math.abs(exp) < 10) {
      out.append('0');
    }
    return out.append(Math.abs(exp)).toString();
  }
}
