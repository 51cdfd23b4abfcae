package dev.nines.rules;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the {@link RuleManager}, validated once.
 *
 * @param evaluationInterval the interval of groups that set none (Prometheus's global {@code
 *     evaluation_interval}, default 1m)
 * @param queryOffset the query offset of groups that set none (default 0)
 * @param outageTolerance how far back {@code ALERTS_FOR_STATE} is read at restore (default 1h)
 * @param forGracePeriod the least time an alert restored as pending waits before it fires (default
 *     10m)
 * @param resendDelay the least time between two sends of the same firing alert (default 1m)
 * @param resolvedRetention how long a resolved alert is kept and re-sent (15m, as Prometheus)
 * @param externalLabels the server's external labels ({@code $externalLabels})
 * @param externalUrl the server's external URL ({@code $externalURL}, generator URLs)
 */
public record ManagerOptions(
    Duration evaluationInterval,
    Duration queryOffset,
    Duration outageTolerance,
    Duration forGracePeriod,
    Duration resendDelay,
    Duration resolvedRetention,
    Map<String, String> externalLabels,
    String externalUrl) {

  /** Prometheus's defaults, no external labels, {@code http://localhost:9595}. */
  public static final ManagerOptions DEFAULTS =
      new ManagerOptions(
          Duration.ofMinutes(1),
          Duration.ZERO,
          Duration.ofHours(1),
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          Duration.ofMinutes(15),
          Map.of(),
          "http://localhost:9595");

  /** Creates options; the map is copied. */
  public ManagerOptions {
    externalLabels = Map.copyOf(externalLabels);
  }

  /**
   * Checks every field.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public ManagerOptions validate() {
    positive("evaluation_interval", evaluationInterval);
    notNegative("query_offset", queryOffset);
    notNegative("outage_tolerance", outageTolerance);
    notNegative("for_grace_period", forGracePeriod);
    notNegative("resend_delay", resendDelay);
    notNegative("resolved_retention", resolvedRetention);
    return this;
  }

  /** These options with other external labels and URL. */
  public ManagerOptions withExternal(Map<String, String> labels, String url) {
    return new ManagerOptions(
        evaluationInterval,
        queryOffset,
        outageTolerance,
        forGracePeriod,
        resendDelay,
        resolvedRetention,
        labels,
        url);
  }

  /** These options with another default evaluation interval. */
  public ManagerOptions withEvaluationInterval(Duration d) {
    return new ManagerOptions(
        d,
        queryOffset,
        outageTolerance,
        forGracePeriod,
        resendDelay,
        resolvedRetention,
        externalLabels,
        externalUrl);
  }

  private static void positive(String field, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(field + ": must be greater than zero");
    }
  }

  private static void notNegative(String field, Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + ": must not be negative");
    }
  }
}
