package dev.nines.slo;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Evaluation intervals of an SLO's generated rule groups; null leaves a group on the rule engine's
 * global interval. (Sloth's {@code interval} block: {@code all}, {@code slierror}, {@code
 * metadata}, {@code alert}.) The 5-minute bucket group always runs every 5 minutes.
 *
 * @param sli the SLI error-ratio recordings
 * @param metadata the objective, budget and burn-rate recordings
 * @param alert the alerts
 */
public record RuleIntervals(
    @Nullable Duration sli, @Nullable Duration metadata, @Nullable Duration alert) {
  /** Every group on the global interval. */
  public static final RuleIntervals DEFAULTS = new RuleIntervals(null, null, null);
}
