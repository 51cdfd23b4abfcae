package dev.nines.slo.budget;

/**
 * Time-slice budgets. The window is cut into slices of equal length starting at the window's start;
 * a slice's ratio is its good events over its events.
 *
 * <ul>
 *   <li>{@code Timeslices}: a slice is bad when its ratio is below the slice target. A slice
 *       without events is good (nothing failed). The budget is {@code (1 - objective)} of all
 *       slices the window holds, so budget remaining = 1 - bad slices / ((1 - objective) · slices).
 *   <li>{@code RatioTimeslices}: the SLI is the mean of the slices' ratios over the slices that
 *       have events, each weighing the same; budget remaining = 1 - (1 - mean) / (1 - objective),
 *       and 1 when no slice has events.
 * </ul>
 */
public final class Timeslices {
  private Timeslices() {}

  /**
   * Budget figures for {@code Timeslices} over {@code [fromMillis, toMillis)}; {@code good} and
   * {@code total} of the result count slices. A bucket belongs to the slice its end time falls in
   * ({@code (start, end]}).
   */
  public static BudgetMath.Figures timeslices(
      Buckets buckets,
      long fromMillis,
      long toMillis,
      long sliceMillis,
      double sliceTarget,
      double objective) {
    int slices = sliceCount(fromMillis, toMillis, sliceMillis);
    int bad = 0;
    for (int s = 0; s < slices; s++) {
      long start = fromMillis + s * sliceMillis;
      Buckets.Counts c = buckets.sum(start, Math.min(start + sliceMillis, toMillis));
      if (c.total() > 0 && c.good() / c.total() < sliceTarget) {
        bad++;
      }
    }
    double ratio = BudgetMath.errorRatio(bad, slices);
    return new BudgetMath.Figures(
        slices - bad,
        slices,
        ratio,
        BudgetMath.burnRate(ratio, objective),
        BudgetMath.budgetRemaining(bad, slices, objective));
  }

  /**
   * Budget figures for {@code RatioTimeslices} over {@code [fromMillis, toMillis)}; {@code good} of
   * the result is the sum of slice ratios and {@code total} the number of slices with events.
   */
  public static BudgetMath.Figures ratioTimeslices(
      Buckets buckets, long fromMillis, long toMillis, long sliceMillis, double objective) {
    int slices = sliceCount(fromMillis, toMillis, sliceMillis);
    double sumRatios = 0;
    int withEvents = 0;
    for (int s = 0; s < slices; s++) {
      long start = fromMillis + s * sliceMillis;
      Buckets.Counts c = buckets.sum(start, Math.min(start + sliceMillis, toMillis));
      if (c.total() > 0) {
        sumRatios += c.good() / c.total();
        withEvents++;
      }
    }
    double errorRatio = withEvents == 0 ? 0 : 1 - sumRatios / withEvents;
    return new BudgetMath.Figures(
        sumRatios,
        withEvents,
        errorRatio,
        BudgetMath.burnRate(errorRatio, objective),
        withEvents == 0 ? 1 : 1 - errorRatio / (1 - objective));
  }

  private static int sliceCount(long fromMillis, long toMillis, long sliceMillis) {
    if (sliceMillis <= 0) {
      throw new IllegalArgumentException("slice length must be positive");
    }
    if (toMillis <= fromMillis) {
      return 0;
    }
    return (int) Math.ceilDiv(toMillis - fromMillis, sliceMillis);
  }
}
