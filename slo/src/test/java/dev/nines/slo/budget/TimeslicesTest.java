package dev.nines.slo.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** One hour cut into six 10-minute slices; one slice (buckets 3 and 4) at 98% good. */
class TimeslicesTest {
  static final long SLICE = 600_000;

  static Buckets hour() {
    double[] total = BudgetMathTest.filled(100);
    double[] errors = new double[12];
    errors[2] = 2;
    errors[3] = 2;
    return BudgetMathTest.buckets(total, errors);
  }

  @Test
  void aSliceBelowItsTargetIsBad() {
    BudgetMath.Figures f = Timeslices.timeslices(hour(), 0, BudgetMathTest.HOUR, SLICE, 0.99, 0.5);
    assertThat(f.total()).isEqualTo(6);
    assertThat(f.good()).isEqualTo(5);
    // 1 bad slice of the 3 allowed ((1 - 0.5) * 6).
    assertThat(f.remaining()).isCloseTo(1 - 1.0 / 3, within(1e-9));
    // A slice target of 98% makes every slice good.
    assertThat(Timeslices.timeslices(hour(), 0, BudgetMathTest.HOUR, SLICE, 0.98, 0.5).good())
        .isEqualTo(6);
  }

  @Test
  void emptySlicesAreGood() {
    Buckets none = BudgetMathTest.buckets(new double[12], new double[12]);
    BudgetMath.Figures f = Timeslices.timeslices(none, 0, BudgetMathTest.HOUR, SLICE, 0.99, 0.9);
    assertThat(f.good()).isEqualTo(6);
    assertThat(f.remaining()).isEqualTo(1);
    assertThat(Timeslices.ratioTimeslices(none, 0, BudgetMathTest.HOUR, SLICE, 0.99).remaining())
        .isEqualTo(1);
  }

  @Test
  void ratioTimeslicesAverageTheSlices() {
    BudgetMath.Figures f = Timeslices.ratioTimeslices(hour(), 0, BudgetMathTest.HOUR, SLICE, 0.99);
    // Slice ratios 1, 0.98, 1, 1, 1, 1: mean 5.98 / 6, error 0.02 / 6.
    assertThat(f.errorRatio()).isCloseTo(0.02 / 6, within(1e-12));
    assertThat(f.remaining()).isCloseTo(1 - (0.02 / 6) / 0.01, within(1e-9));
  }
}
