package dev.nines.ingest.remotewrite;

import dev.nines.tsdb.storage.AppendException;

/**
 * Why a receiver did not write a sample: invalid data found while decoding, something Nines does
 * not support yet, or a refusal by storage. Every reason is counted in {@link IngestStats} under
 * {@link #label()}, and every one of them is final: the sender is told with a 4xx and must not
 * retry.
 */
public enum RefusalReason {
  /** The series has no {@code __name__} label, or an empty one. */
  MISSING_METRIC_NAME("missing_metric_name", "missing or empty metric name (__name__)"),
  /** A label name appears twice in one series. */
  DUPLICATE_LABEL_NAME("duplicate_label_name", "duplicate label name"),
  /** A label has an empty name. */
  EMPTY_LABEL_NAME("empty_label_name", "empty label name"),
  /** A remote-write 2.0 reference points outside the symbols table, or the refs are odd. */
  INVALID_SYMBOL_REFERENCE("invalid_symbol_reference", "invalid symbol reference"),
  /** A remote-write 2.0 series carries both samples and histograms. */
  SAMPLES_AND_HISTOGRAMS("samples_and_histograms", "series has both samples and histograms"),
  /** A native (sparse or custom-bucket) histogram sample: storage keeps floats only for now. */
  NATIVE_HISTOGRAM("native_histogram", "native histograms are not supported yet"),
  /** An OTLP sum or histogram with delta (or unspecified) aggregation temporality. */
  DELTA_TEMPORALITY(
      "delta_temporality",
      "delta temporality is not supported; send cumulative temporality (e.g. the SDK's"
          + " CUMULATIVE temporality preference or the collector's deltatocumulative processor)"),
  /** An OTLP exponential histogram (would need native histograms). */
  EXPONENTIAL_HISTOGRAM(
      "exponential_histogram",
      "exponential histograms are not supported yet (native histograms); use explicit buckets"),
  /** An OTLP data point that contradicts itself (bucket counts vs bounds, name not mappable). */
  INVALID_DATA_POINT("invalid_data_point", "invalid data point"),
  /** Storage: older than the newest sample of the series. */
  OUT_OF_ORDER("out_of_order", "out of order sample"),
  /** Storage: same timestamp as the newest sample, different value. */
  DUPLICATE_TIMESTAMP("duplicate_timestamp", "duplicate sample for timestamp"),
  /** Storage: older than the head accepts at all. */
  TOO_OLD("too_old", "sample too old"),
  /** Storage: a label name or value too long, too many labels, or an invalid name. */
  INVALID_LABELS("invalid_labels", "invalid labels"),
  /** Storage: the series limit is reached. */
  SERIES_LIMIT("series_limit", "series limit reached"),
  /** Storage: the series' out-of-order buffer is full (maxOutOfOrderSamplesPerSeries). */
  OUT_OF_ORDER_CAP("out_of_order_cap", "out-of-order buffer of the series is full");

  private final String label;
  private final String description;

  RefusalReason(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** The value of the {@code reason} label in self metrics. */
  public String label() {
    return label;
  }

  /** A short explanation for the response message. */
  public String description() {
    return description;
  }

  /** The reason for a storage refusal. */
  public static RefusalReason of(AppendException.Reason reason) {
    return switch (reason) {
      case OUT_OF_ORDER -> OUT_OF_ORDER;
      case DUPLICATE_TIMESTAMP -> DUPLICATE_TIMESTAMP;
      case TOO_OLD -> TOO_OLD;
      case INVALID_LABELS -> INVALID_LABELS;
      case SERIES_LIMIT -> SERIES_LIMIT;
      case OUT_OF_ORDER_CAP -> OUT_OF_ORDER_CAP;
    };
  }
}
