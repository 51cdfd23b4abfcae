package dev.nines.server.metrics;

import dev.nines.ingest.remotewrite.IngestStats;
import dev.nines.ingest.remotewrite.RefusalReason;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The push receivers' counters as self metrics, one {@code receiver} label value per receiver
 * ({@code remote_write}, {@code otlp}), read at scrape time from their {@link IngestStats}.
 */
public final class IngestMetrics {
  private IngestMetrics() {}

  /** Registers the receivers' metrics; {@code receivers} maps the label value to its stats. */
  public static void register(PrometheusRegistry registry, Map<String, IngestStats> receivers) {
    counter(
        registry,
        "nines_ingest_bytes_received_total",
        "Request bytes received.",
        receivers,
        IngestStats::bytesReceived);
    counter(
        registry,
        "nines_ingest_samples_received_total",
        "Samples decoded from requests.",
        receivers,
        IngestStats::samplesReceived);
    counter(
        registry,
        "nines_ingest_samples_written_total",
        "Samples acknowledged by storage.",
        receivers,
        IngestStats::samplesWritten);
    counter(
        registry,
        "nines_ingest_samples_rate_limited_total",
        "Samples in requests refused with 429.",
        receivers,
        IngestStats::samplesRateLimited);
    counter(
        registry,
        "nines_ingest_exemplars_dropped_total",
        "Exemplars received and not stored (exemplar storage is not supported yet).",
        receivers,
        IngestStats::exemplarsDropped);
    CounterWithCallback.builder()
        .name("nines_ingest_requests_total")
        .help("Push requests answered, by receiver and HTTP status code.")
        .labelNames("receiver", "code")
        .callback(
            cb ->
                receivers.forEach(
                    (name, stats) ->
                        stats
                            .requestsByStatus()
                            .forEach((code, n) -> cb.call(n, name, Integer.toString(code)))))
        .register(registry);
    CounterWithCallback.builder()
        .name("nines_ingest_samples_refused_total")
        .help("Samples refused, by receiver and reason.")
        .labelNames("receiver", "reason")
        .callback(
            cb ->
                receivers.forEach(
                    (name, stats) -> {
                      for (RefusalReason reason : RefusalReason.values()) {
                        cb.call(stats.refused(reason), name, reason.label());
                      }
                    }))
        .register(registry);
  }

  private static void counter(
      PrometheusRegistry registry,
      String name,
      String help,
      Map<String, IngestStats> receivers,
      ToDoubleFunction<IngestStats> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("receiver")
        .callback(
            cb -> receivers.forEach((label, stats) -> cb.call(value.applyAsDouble(stats), label)))
        .register(registry);
  }
}
