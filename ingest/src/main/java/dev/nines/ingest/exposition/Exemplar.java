package dev.nines.ingest.exposition;

import dev.nines.common.Labels;
import org.jspecify.annotations.Nullable;

/**
 * An OpenMetrics exemplar: a reference from a sample to something outside the metric set, such as a
 * trace.
 *
 * @param labels the exemplar's labels (no metric name)
 * @param value the exemplar's value
 * @param timestampMillis when the exemplar was observed, or {@code null}
 */
public record Exemplar(Labels labels, double value, @Nullable Long timestampMillis) {}
