package dev.nines.rules.template;

import java.util.Map;

/**
 * The data an alert template is executed with, as Prometheus's {@code AlertTemplateData}: {@code
 * .Labels} ({@code $labels}), {@code .ExternalLabels} ({@code $externalLabels}), {@code
 * .ExternalURL} ({@code $externalURL}) and {@code .Value} ({@code $value}).
 *
 * @param labels the alert's labels
 * @param externalLabels the server's external labels
 * @param externalUrl the server's external URL
 * @param value the alert's current value
 */
public record TemplateData(
    Map<String, String> labels,
    Map<String, String> externalLabels,
    String externalUrl,
    double value) {
  /** Creates the data; the maps are copied. */
  public TemplateData {
    labels = Map.copyOf(labels);
    externalLabels = Map.copyOf(externalLabels);
  }
}
