/**
 * Receivers: {@link dev.nines.notify.Integration} implementations built from an Alertmanager
 * configuration by {@link dev.nines.notify.receiver.Integrations#build}. One class per kind
 * (webhook, Slack, email, PagerDuty), each making one attempt per call and saying whether a failure
 * is worth retrying; retries, backoff and the notification log belong to the pipeline.
 */
@NullMarked
package dev.nines.notify.receiver;

import org.jspecify.annotations.NullMarked;
