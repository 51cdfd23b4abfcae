package dev.nines.ingest.remotewrite;

/**
 * Where a receiver hands the metric metadata it decodes (remote-write 1.0 {@code metadata}, 2.0
 * per-series {@code metadata}), so that {@code /api/v1/metadata} can serve it. Implementations must
 * be thread-safe and fast; exceptions are caught and counted by the caller.
 */
@FunctionalInterface
public interface MetadataSink {
  /** A sink that drops everything. */
  MetadataSink NONE = (family, type, help, unit) -> {};

  /**
   * One metadata entry.
   *
   * @param metricFamily the metric family name (no {@code _total}/{@code _bucket} suffix)
   * @param type Prometheus's type word: counter, gauge, histogram, gaugehistogram, summary, info,
   *     stateset or unknown
   * @param help the help text, possibly empty
   * @param unit the unit, possibly empty
   */
  void accept(String metricFamily, String type, String help, String unit);
}
