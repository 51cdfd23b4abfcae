package dev.nines.slo.budget;

import java.time.Duration;
import java.util.Optional;

/**
 * The SRE workbook's error-budget definitions, as pure functions that never return NaN.
 *
 * <ul>
 *   <li>error ratio = errors / total, and 0 when there was no traffic;
 *   <li>burn rate = error ratio / (1 - objective): 1 spends the budget exactly over the window;
 *   <li>budget remaining = 1 - errors / allowed errors, allowed errors = (1 - objective) · total; 1
 *       when there was no traffic, negative when overspent;
 *   <li>time to exhaustion = remaining · window / burn rate, at the current burn.
 * </ul>
 */
public final class BudgetMath {
  private BudgetMath() {}

  /** errors / total; 0 when {@code total} is 0. */
  public static double errorRatio(double errors, double total) {
    return total > 0 ? errors / total : 0;
  }

  /** error ratio / (1 - objective). */
  public static double burnRate(double errorRatio, double objective) {
    return errorRatio / (1 - objective);
  }

  /** 1 - errors / ((1 - objective) · total); 1 when {@code total} is 0. */
  public static double budgetRemaining(double errors, double total, double objective) {
    if (!(total > 0)) {
      return 1;
    }
    return 1 - errors / ((1 - objective) * total);
  }

  /**
   * How long until the budget is spent if the burn rate stays at {@code burnRate}: empty when the
   * budget is not burning, zero when it is already spent.
   */
  public static Optional<Duration> timeToExhaustion(
      double remaining, double burnRate, Duration window) {
    if (remaining <= 0) {
      return Optional.of(Duration.ZERO);
    }
    if (!(burnRate > 0)) {
      return Optional.empty();
    }
    double millis = remaining * window.toMillis() / burnRate;
    return Optional.of(Duration.ofMillis(Math.round(millis)));
  }

  /**
   * The budget figures of an occurrences SLO over {@code (fromMillis, toMillis]} from its buckets.
   */
  public static Figures occurrences(
      Buckets buckets, long fromMillis, long toMillis, double objective) {
    Buckets.Counts c = buckets.sum(fromMillis, toMillis);
    double ratio = errorRatio(c.errors(), c.total());
    return new Figures(
        c.good(),
        c.total(),
        ratio,
        burnRate(ratio, objective),
        budgetRemaining(c.errors(), c.total(), objective));
  }

  /**
   * Budget figures over a window.
   *
   * @param good good events (or good slices)
   * @param total all events (or slices)
   * @param errorRatio bad / total, 0 without traffic
   * @param burnRate the average burn rate over the window
   * @param remaining budget remaining, 1 without traffic, negative when overspent
   */
  public record Figures(
      double good, double total, double errorRatio, double burnRate, double remaining) {}
}
