package dev.nines.rules.file;

import java.time.Duration;
import java.util.Map;

/** A rule as written in a file: recording or alerting. */
public sealed interface RuleSpec permits RuleSpec.Recording, RuleSpec.Alerting {
  /** The PromQL expression. */
  String expr();

  /** Labels added to or overriding the result's labels (alerting: templates). */
  Map<String, String> labels();

  /** The line of the rule's entry. */
  int line();

  /** The record or alert name. */
  String name();

  /**
   * A recording rule.
   *
   * @param record the metric name written
   * @param expr the expression
   * @param labels labels set on every output series
   * @param line the line of the rule
   */
  record Recording(String record, String expr, Map<String, String> labels, int line)
      implements RuleSpec {
    /** Creates the rule; the map is copied. */
    public Recording {
      labels = Map.copyOf(labels);
    }

    @Override
    public String name() {
      return record;
    }
  }

  /**
   * An alerting rule.
   *
   * @param alert the alert name
   * @param expr the expression
   * @param forDuration how long the condition must hold before firing (zero: at once)
   * @param keepFiringFor how long to keep firing after the condition clears
   * @param labels label templates
   * @param annotations annotation templates
   * @param line the line of the rule
   */
  record Alerting(
      String alert,
      String expr,
      Duration forDuration,
      Duration keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations,
      int line)
      implements RuleSpec {
    /** Creates the rule; the maps are copied. */
    public Alerting {
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
    }

    @Override
    public String name() {
      return alert;
    }
  }
}
