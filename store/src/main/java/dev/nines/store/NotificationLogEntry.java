package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;

/**
 * One notification log entry: what was last sent for a group to an integration, so that a restart
 * does not send it again. Fingerprints are 64-bit alert hashes (read them as unsigned); times are
 * kept to the millisecond.
 *
 * @param key which group, receiver and integration
 * @param timestamp when the notification was sent
 * @param firingAlerts fingerprints of the alerts that were firing in it
 * @param resolvedAlerts fingerprints of the alerts that were resolved in it
 * @param expiresAt when the entry may be garbage-collected
 */
public record NotificationLogEntry(
    NotificationLogKey key,
    Instant timestamp,
    Set<Long> firingAlerts,
    Set<Long> resolvedAlerts,
    Instant expiresAt) {

  /** Checks that no field is null, copies the sets and truncates the times to milliseconds. */
  public NotificationLogEntry {
    Objects.requireNonNull(key, "notification log key");
    timestamp =
        Objects.requireNonNull(timestamp, "notification log timestamp")
            .truncatedTo(ChronoUnit.MILLIS);
    firingAlerts = Set.copyOf(Objects.requireNonNull(firingAlerts, "notification log firing"));
    resolvedAlerts =
        Set.copyOf(Objects.requireNonNull(resolvedAlerts, "notification log resolved"));
    expiresAt =
        Objects.requireNonNull(expiresAt, "notification log expiresAt")
            .truncatedTo(ChronoUnit.MILLIS);
  }
}
