package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One state change of one alert (table {@code alert_history}).
 *
 * @param id a UUID string from {@link #newId()}
 * @param at when it happened
 * @param fingerprint the alert's fingerprint
 * @param alertname the alert's {@code alertname} label, or empty
 * @param labels the alert's labels
 * @param event what happened
 * @param source who caused it: {@code rules}, {@code api}, {@code pipeline}, {@code user}, {@code
 *     time}
 * @param groupKey the aggregation group, where one is involved
 * @param detail e.g. silence ids, the receiver and integration, who acked; may be empty
 */
public record AlertHistoryEvent(
    String id,
    Instant at,
    long fingerprint,
    String alertname,
    Map<String, String> labels,
    Event event,
    String source,
    String groupKey,
    String detail) {

  /**
   * The kinds of state change. A new kind needs a migration that widens the {@code CHECK} on {@code
   * alert_history.event} (see V3); readers skip kinds they do not know.
   */
  public enum Event {
    FIRING,
    RESOLVED,
    SILENCED,
    UNSILENCED,
    INHIBITED,
    UNINHIBITED,
    ACKED,
    UNACKED,
    NOTIFIED,
    /** The occurrence was linked to an incident (detail: the incident's id or URL). */
    INCIDENT
  }

  /** Checks the fields, copies the labels and truncates the time to milliseconds. */
  public AlertHistoryEvent {
    Objects.requireNonNull(id, "history id");
    at = Objects.requireNonNull(at, "history at").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(alertname, "history alertname");
    labels = Map.copyOf(Objects.requireNonNull(labels, "history labels"));
    Objects.requireNonNull(event, "history event");
    Objects.requireNonNull(source, "history source");
    Objects.requireNonNull(detail, "history detail");
  }

  /**
   * A new event id: a UUID laid out as version 7 (RFC 9562), the current Unix time in milliseconds
   * in the first 48 bits and 74 random bits. Ids made later sort later, so appending events adds to
   * the end of the primary-key index instead of at random places in it: with random version-4 ids
   * an insert of 10,000 events slowed down as the table grew (2-4 times slower at 200,000 rows on
   * SQLite, measured), with these it stays flat.
   */
  public static String newId() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long msb = (System.currentTimeMillis() << 16) | 0x7000L | (r.nextLong() & 0x0fffL);
    long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
