package dev.nines.ingest.exposition;

/**
 * What an exposition said about one metric family: its type, help text and unit, as served later by
 * {@code /api/v1/metadata}. Empty strings stand for a help or unit that was not given.
 *
 * @param family the metric family name (for a histogram {@code foo}, not {@code foo_bucket})
 * @param type the declared type, {@link MetricType#UNKNOWN} when there was no {@code # TYPE} line
 * @param help the unescaped help text, or empty
 * @param unit the unit, or empty (always empty in the Prometheus text format)
 */
public record MetricMetadata(String family, MetricType type, String help, String unit) {}
