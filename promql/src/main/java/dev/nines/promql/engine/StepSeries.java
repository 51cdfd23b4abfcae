package dev.nines.promql.engine;

import dev.nines.common.Labels;

/**
 * One series of an instant vector evaluated over all steps of a query: its labels and one value per
 * step ({@link Values#ABSENT} where it has none). {@code dropName} marks a series whose metric name
 * is removed at the end of evaluation (delayed name removal).
 */
final class StepSeries {
  Labels labels;
  final double[] values;
  boolean dropName;

  StepSeries(Labels labels, double[] values, boolean dropName) {
    this.labels = labels;
    this.values = values;
    this.dropName = dropName;
  }

  int countPresent() {
    int n = 0;
    for (double v : values) {
      if (!Values.isAbsent(v)) {
        n++;
      }
    }
    return n;
  }
}
