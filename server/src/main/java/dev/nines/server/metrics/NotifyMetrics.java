package dev.nines.server.metrics;

import dev.nines.notify.Notifier;
import dev.nines.notify.pipeline.NotifyStats;
import dev.nines.notify.silence.Silences;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Map;

/**
 * The notification pipeline's self metrics, under Alertmanager's names where Alertmanager has one:
 * alerts received, notifications and failures by integration, notification latency, silences and
 * alerts by state, aggregation groups. Nines's extras are prefixed {@code nines_notify_}.
 */
public final class NotifyMetrics {
  private NotifyMetrics() {}

  /** Registers the metrics of {@code notifier}. */
  public static void register(PrometheusRegistry registry, Notifier notifier) {
    NotifyStats stats = notifier.stats();
    CounterWithCallback.builder()
        .name("alertmanager_alerts_received_total")
        .help("The total number of received alerts.")
        .labelNames("status")
        .callback(
            cb -> {
              cb.call(stats.firingReceived(), "firing");
              cb.call(stats.resolvedReceived(), "resolved");
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("alertmanager_alerts_invalid_total")
        .help("The total number of received alerts that were invalid.")
        .callback(cb -> cb.call(stats.invalidReceived()))
        .register(registry);
    CounterWithCallback.builder()
        .name("alertmanager_notifications_total")
        .help("The total number of attempted notifications.")
        .labelNames("integration", "receiver_name")
        .callback(
            cb -> stats.attempts().forEach((k, n) -> cb.call(n, k.integration(), k.receiver())))
        .register(registry);
    CounterWithCallback.builder()
        .name("alertmanager_notifications_failed_total")
        .help("The total number of failed notifications.")
        .labelNames("integration", "receiver_name", "reason")
        .callback(
            cb ->
                stats
                    .failures()
                    .forEach((k, n) -> cb.call(n, k.integration(), k.receiver(), k.reason())))
        .register(registry);
    Histogram latency =
        Histogram.builder()
            .name("alertmanager_notification_latency_seconds")
            .help("The latency of notifications in seconds.")
            .labelNames("integration")
            .classicUpperBounds(1, 5, 10, 15, 20)
            .classicOnly()
            .register(registry);
    stats.latencyObserver((integration, s) -> latency.labelValues(integration).observe(s));
    GaugeWithCallback.builder()
        .name("alertmanager_silences")
        .help("How many silences by state.")
        .labelNames("state")
        .callback(
            cb -> {
              Map<Silences.State, Integer> counts = notifier.silences().countByState(Instant.now());
              counts.forEach((state, n) -> cb.call(n, state.apiName()));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("alertmanager_alerts")
        .help("How many alerts by state.")
        .labelNames("state")
        .callback(
            cb -> {
              long active = 0;
              long suppressed = 0;
              Instant now = Instant.now();
              for (Notifier.AlertView v : notifier.alerts()) {
                if (v.alert().resolvedAt(now)) {
                  continue;
                }
                if (v.state().equals("active")) {
                  active++;
                } else {
                  suppressed++;
                }
              }
              cb.call(active, "active");
              cb.call(suppressed, "suppressed");
              cb.call(0, "unprocessed");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("alertmanager_dispatcher_aggregation_groups")
        .help("Number of active aggregation groups.")
        .callback(cb -> cb.call(notifier.groupCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("nines_notify_sends_in_flight")
        .help(
            "Notification sends in flight now, per integration (at most notify.max_concurrent_sends).")
        .labelNames("integration", "receiver_name")
        .callback(
            cb ->
                stats.sendsInFlight().forEach((k, n) -> cb.call(n, k.integration(), k.receiver())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("nines_notify_sends_waiting")
        .help("Notification sends waiting now for a free slot of their integration.")
        .labelNames("integration", "receiver_name")
        .callback(
            cb -> stats.sendsWaiting().forEach((k, n) -> cb.call(n, k.integration(), k.receiver())))
        .register(registry);
    CounterWithCallback.builder()
        .name("nines_notify_sends_waited_total")
        .help("Notification sends that had to wait for a free slot of their integration.")
        .labelNames("integration", "receiver_name")
        .callback(
            cb ->
                stats
                    .sendsWaitedTotal()
                    .forEach((k, n) -> cb.call(n, k.integration(), k.receiver())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("nines_notify_max_concurrent_sends")
        .help(
            "The configured bound on sends in flight per integration (notify.max_concurrent_sends).")
        .callback(cb -> cb.call(notifier.options().maxConcurrentSends()))
        .register(registry);
    CounterWithCallback.builder()
        .name("nines_notify_store_write_failures_total")
        .help("Batches of notify state (alerts, notification log, history) that failed to write.")
        .callback(cb -> cb.call(notifier.storeWriteFailures()))
        .register(registry);
  }
}
