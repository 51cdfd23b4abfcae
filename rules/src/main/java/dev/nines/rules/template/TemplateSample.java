package dev.nines.rules.template;

import java.util.Map;

/**
 * One element of a {@code query} result as templates see it: {@code .Labels} and {@code .Value}.
 *
 * @param labels the series labels, the metric name under {@code __name__}
 * @param value the sample value
 */
public record TemplateSample(Map<String, String> labels, double value) {
  /** Creates a sample; the labels are copied. */
  public TemplateSample {
    labels = Map.copyOf(labels);
  }
}
