package dev.nines.slo.rules;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** A rule of a Prometheus rule group: recording or alerting. */
public sealed interface Rule {

  /** The PromQL expression. */
  String expr();

  /** Labels added to the rule's output. */
  Map<String, String> labels();

  /**
   * A recording rule: {@code record: name, expr: ...}.
   *
   * @param record the name of the series written
   * @param expr the expression
   * @param labels labels added to each series, sorted
   */
  record Recording(String record, String expr, Map<String, String> labels) implements Rule {
    /** Creates a recording rule; labels are copied, sorted. */
    public Recording {
      labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
  }

  /**
   * An alerting rule.
   *
   * @param alert the alert name
   * @param expr the expression; each output series is an alert
   * @param forDuration how long the expression must hold before firing; zero for at once
   * @param labels labels added to the alert, sorted
   * @param annotations annotations of the alert, sorted
   */
  record Alerting(
      String alert,
      String expr,
      Duration forDuration,
      Map<String, String> labels,
      Map<String, String> annotations)
      implements Rule {
    /** Creates an alerting rule; maps are copied, sorted. */
    public Alerting {
      labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
      annotations = java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
    }
  }
}
