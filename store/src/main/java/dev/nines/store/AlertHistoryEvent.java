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

  /** A new random event id. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }
}
