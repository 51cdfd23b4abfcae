package dev.nines.slo;

/** A service level indicator: how an SLO's good and bad events are measured. */
public sealed interface Sli {

  /**
   * Events counted by two queries: the bad (or good) events and all events. The error ratio over a
   * window is {@code bad / total}, or {@code (total - good) / total}.
   *
   * @param numerator the bad-events query, or the good-events query when {@code numeratorIsGood}
   * @param numeratorIsGood whether {@code numerator} counts good events
   * @param total the all-events query
   */
  record Ratio(SliQuery numerator, boolean numeratorIsGood, SliQuery total) implements Sli {}

  /**
   * A precomputed ratio (Sloth's {@code raw.error_ratio_query}, OpenSLO's {@code ratioMetric.raw}).
   * No event counts exist, so the minimum-events guard cannot apply.
   *
   * @param ratio the query returning the ratio, in [0, 1]
   * @param isSuccessRatio whether it is a ratio of good events (OpenSLO {@code rawType: success})
   *     rather than of bad ones
   */
  record RawRatio(SliQuery ratio, boolean isSuccessRatio) implements Sli {}

  /**
   * A gauge compared with a threshold (OpenSLO {@code thresholdMetric}): each rule evaluation is
   * one event, good when {@code query op value} holds.
   *
   * @param query the gauge query, an instant vector
   * @param op the comparison that makes an evaluation good
   * @param value the threshold
   */
  record Threshold(SliQuery query, Op op, double value) implements Sli {}

  /** A comparison operator of an OpenSLO threshold objective. */
  enum Op {
    LT("<"),
    LTE("<="),
    GT(">"),
    GTE(">=");

    private final String promql;

    Op(String promql) {
      this.promql = promql;
    }

    /** The PromQL comparison operator. */
    public String promql() {
      return promql;
    }
  }
}
