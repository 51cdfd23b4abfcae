package dev.nines.rules;

import dev.nines.promql.engine.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule being evaluated: its definition and the outcome of its last evaluation. Evaluation runs on
 * its group's thread; readers (the API) see a consistent view through the synchronized getters.
 */
public abstract sealed class Rule permits RecordingRule, AlertingRule {
  private final String name;
  private final String expr;
  private final Map<String, String> labels;
  private RuleHealth health = RuleHealth.UNKNOWN;
  private @Nullable String lastError;
  private @Nullable Instant lastEvaluation;
  private Duration evaluationTime = Duration.ZERO;

  Rule(String name, String expr, Map<String, String> labels) {
    this.name = name;
    this.expr = expr;
    this.labels = Map.copyOf(labels);
  }

  /** The record or alert name. */
  public String name() {
    return name;
  }

  /** The PromQL expression. */
  public String expr() {
    return expr;
  }

  /** The rule's labels (templates for alerting rules). */
  public Map<String, String> labels() {
    return labels;
  }

  /** The health after the last evaluation. */
  public synchronized RuleHealth health() {
    return health;
  }

  /** The last evaluation's error, or null. */
  public synchronized @Nullable String lastError() {
    return lastError;
  }

  /** When the rule was last evaluated, or null before the first evaluation. */
  public synchronized @Nullable Instant lastEvaluation() {
    return lastEvaluation;
  }

  /** How long the last evaluation took. */
  public synchronized Duration evaluationTime() {
    return evaluationTime;
  }

  synchronized void recordOutcome(long evalTime, Duration took, @Nullable String error) {
    lastEvaluation = Instant.ofEpochMilli(evalTime);
    evaluationTime = took;
    lastError = error;
    health = error == null ? RuleHealth.OK : RuleHealth.ERR;
  }

  synchronized void copyOutcome(Rule from) {
    synchronized (from) {
      health = from.health;
      lastError = from.lastError;
      lastEvaluation = from.lastEvaluation;
      evaluationTime = from.evaluationTime;
    }
  }

  /**
   * Evaluates the rule at {@code ts} (query at {@code ts - queryOffset}) and returns the samples to
   * write.
   *
   * @throws RuleEvaluationException when the query fails or a limit is exceeded
   */
  abstract List<Sample> eval(long ts, EvalContext ctx) throws RuleEvaluationException;

  /** What a rule needs from its group while it evaluates. */
  record EvalContext(QueryFunc query, long queryOffsetMillis, int limit, ManagerOptions options) {}
}
