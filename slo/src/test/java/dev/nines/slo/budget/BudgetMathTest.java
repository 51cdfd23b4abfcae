package dev.nines.slo.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-computed cases: 12 buckets of 5 minutes, one hour, at a 99.9% objective. */
class BudgetMathTest {
  static final long FIVE_MINUTES = 300_000;
  static final long HOUR = 12 * FIVE_MINUTES;

  static Buckets buckets(double[] total, double[] errors) {
    long[] times = new long[total.length];
    double[] good = new double[total.length];
    for (int i = 0; i < total.length; i++) {
      times[i] = (i + 1) * FIVE_MINUTES;
      good[i] = total[i] - errors[i];
    }
    return new Buckets(times, good, total);
  }

  static double[] filled(double v) {
    double[] a = new double[12];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @Test
  void steadyErrorRate() {
    // 1000 requests and 0.5 errors per bucket: ratio 0.0005, half the allowed 0.001.
    BudgetMath.Figures f =
        BudgetMath.occurrences(buckets(filled(1000), filled(0.5)), 0, HOUR, 0.999);
    assertThat(f.total()).isEqualTo(12_000);
    assertThat(f.errorRatio()).isCloseTo(0.0005, within(1e-12));
    assertThat(f.burnRate()).isCloseTo(0.5, within(1e-9));
    // 6 errors of the 12 allowed (0.001 * 12000) are spent.
    assertThat(f.remaining()).isCloseTo(0.5, within(1e-9));
    // Half the budget left, burning at 0.5x: 0.5 * 30d / 0.5 = 30 days.
    assertThat(BudgetMath.timeToExhaustion(f.remaining(), f.burnRate(), Duration.ofDays(30)))
        .hasValueSatisfying(
            d -> assertThat(d.toMinutes()).isEqualTo(Duration.ofDays(30).toMinutes()));
  }

  @Test
  void aBurstSpendsTheWholeHoursBudget() {
    double[] errors = new double[12];
    errors[6] = 12; // one bucket at 1.2% errors: a 12x burn for 5 minutes
    Buckets b = buckets(filled(1000), errors);
    BudgetMath.Figures hour = BudgetMath.occurrences(b, 0, HOUR, 0.999);
    assertThat(hour.errorRatio()).isCloseTo(0.001, within(1e-12));
    assertThat(hour.burnRate()).isCloseTo(1, within(1e-9));
    assertThat(hour.remaining()).isCloseTo(0, within(1e-9));
    assertThat(BudgetMath.timeToExhaustion(hour.remaining(), hour.burnRate(), Duration.ofDays(30)))
        .hasValue(Duration.ZERO);
    BudgetMath.Figures burst = BudgetMath.occurrences(b, 6 * FIVE_MINUTES, 7 * FIVE_MINUTES, 0.999);
    assertThat(burst.burnRate()).isCloseTo(12, within(1e-9));
    assertThat(burst.remaining()).isCloseTo(-11, within(1e-9));
  }

  @Test
  void zeroTrafficIsNeverNaN() {
    BudgetMath.Figures f = BudgetMath.occurrences(buckets(filled(0), filled(0)), 0, HOUR, 0.999);
    assertThat(f.errorRatio()).isZero();
    assertThat(f.burnRate()).isZero();
    assertThat(f.remaining()).isEqualTo(1);
    assertThat(BudgetMath.timeToExhaustion(1, 0, Duration.ofDays(30))).isEqualTo(Optional.empty());
    assertThat(BudgetMath.budgetRemaining(0, 0, 0.999)).isEqualTo(1);
    assertThat(BudgetMath.errorRatio(0, 0)).isZero();
  }

  @Test
  void definitions() {
    assertThat(BudgetMath.burnRate(0.0144, 0.999)).isCloseTo(14.4, within(1e-9));
    // 20 errors in 10,000 events at 99.9%: 10 allowed, twice spent.
    assertThat(BudgetMath.budgetRemaining(20, 10_000, 0.999)).isCloseTo(-1, within(1e-9));
    assertThat(BudgetMath.timeToExhaustion(0.5, 14.4, Duration.ofDays(30)))
        .hasValue(Duration.ofMinutes(1500)); // 0.5 * 43200 min / 14.4
  }
}
