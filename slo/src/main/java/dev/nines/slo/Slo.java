package dev.nines.slo;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One service level objective, whichever format it was written in.
 *
 * @param id unique among the loaded SLOs; the {@code slo} label of every generated series
 * @param service the service the SLO belongs to; the {@code service} label
 * @param name the SLO's name within its service
 * @param description free text, possibly empty
 * @param objective the target ratio of good events in (0, 1), e.g. 0.999; OpenSLO allows 0
 * @param window the period the error budget is counted over
 * @param sli how good and bad events are measured
 * @param budgeting how the budget is counted: occurrences or time slices
 * @param alerting names, labels and annotations of the generated alerts
 * @param labels Prometheus labels put on every generated series and alert
 * @param tiers the multi-window, multi-burn-rate alert tiers, already scaled to {@code window}
 * @param minEvents events the long window of a burn-rate alert must hold before it may fire; 0
 *     turns the guard off
 * @param policy what to do as the budget runs out
 * @param intervals evaluation intervals of the generated rule groups
 * @param source where the SLO was defined, {@code file:line}
 */
public record Slo(
    String id,
    String service,
    String name,
    String description,
    double objective,
    TimeWindow window,
    Sli sli,
    BudgetingMethod budgeting,
    Alerting alerting,
    Map<String, String> labels,
    AlertTiers tiers,
    long minEvents,
    BudgetPolicy policy,
    RuleIntervals intervals,
    String source) {

  /** Creates an SLO; the labels are copied into a sorted, immutable map. */
  public Slo {
    Objects.requireNonNull(id);
    labels = Map.copyOf(new TreeMap<>(labels));
    if (!(objective >= 0 && objective < 1)) {
      throw new IllegalArgumentException("objective must be in [0, 1): " + objective);
    }
  }

  /** The error budget as a ratio of events (or slices): {@code 1 - objective}. */
  public double errorBudget() {
    return 1 - objective;
  }
}
