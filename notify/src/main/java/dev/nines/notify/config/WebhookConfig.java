package dev.nines.notify.config;

/**
 * One {@code webhook_configs} entry.
 *
 * @param sendResolved {@code send_resolved} (default true)
 * @param url the endpoint alerts are POSTed to
 * @param maxAlerts {@code max_alerts}: the most alerts one payload carries, 0 for all
 * @param httpConfig {@code http_config}, or the global one
 */
public record WebhookConfig(
    boolean sendResolved, String url, long maxAlerts, HttpConfig httpConfig) {}
