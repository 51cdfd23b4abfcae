/**
 * The Alertmanager-equivalent notification pipeline: alerts come in (from the rule engine or the
 * Alertmanager API v2), are routed, grouped, inhibited, silenced, deduplicated against the
 * notification log and sent to receivers with retries. See {@code docs/notify.md}.
 *
 * <p>The types in this package ({@link dev.nines.notify.Alert}, {@link
 * dev.nines.notify.Fingerprint}, {@link dev.nines.notify.Notification}, {@link
 * dev.nines.notify.Integration}, {@link dev.nines.notify.SendResult}) are the seams between the
 * configuration, the pipeline and the receivers.
 */
@NullMarked
package dev.nines.notify;

import org.jspecify.annotations.NullMarked;
