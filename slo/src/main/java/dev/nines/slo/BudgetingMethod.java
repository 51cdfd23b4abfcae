package dev.nines.slo;

import java.time.Duration;

/** How an SLO's error budget is counted (OpenSLO {@code budgetingMethod}). */
public sealed interface BudgetingMethod {

  /** Counts events: the budget is {@code (1 - objective)} of all events in the window. */
  record Occurrences() implements BudgetingMethod {}

  /**
   * Counts time slices: a slice is good when its own ratio of good events meets {@code
   * sliceTarget}, and the budget is {@code (1 - objective)} of the slices in the window.
   *
   * @param sliceTarget the ratio a slice needs to be good, in (0, 1]
   * @param sliceWindow the length of one slice
   */
  record Timeslices(double sliceTarget, Duration sliceWindow) implements BudgetingMethod {}

  /**
   * Averages the ratios of time slices: the SLI over the window is the mean of the slices' good
   * ratios, each slice weighing the same whatever its traffic.
   *
   * @param sliceWindow the length of one slice
   */
  record RatioTimeslices(Duration sliceWindow) implements BudgetingMethod {}
}
