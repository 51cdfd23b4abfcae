package dev.nines.ingest.exposition;

/** What {@link ExpositionParser#next()} found on the line it read. */
public enum Entry {
  /** A sample: metric name, labels, value, optional timestamp and exemplar. */
  SERIES,
  /** A {@code # TYPE} line: family name and {@link ExpositionParser#metricType()}. */
  TYPE,
  /** A {@code # HELP} line: family name and {@link ExpositionParser#help()}. */
  HELP,
  /** A {@code # UNIT} line (OpenMetrics only): family name and {@link ExpositionParser#unit()}. */
  UNIT,
  /** Any other comment line (Prometheus text format only): {@link ExpositionParser#comment()}. */
  COMMENT,
  /** The end of the exposition; every further call returns it again. */
  EOF
}
