package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.labelsFromJson;
import static dev.nines.store.Codecs.labelsToJson;
import static dev.nines.store.Codecs.millis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** The alert history, kept in table {@code alert_history}: appended in batches, read by time. */
public final class AlertHistoryRepository {
  private final Database db;

  AlertHistoryRepository(Database db) {
    this.db = db;
  }

  /** Appends the events in one transaction, as one JDBC batch. */
  public void appendAll(Collection<AlertHistoryEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    db.write(
        "alertHistory.appendAll(" + events.size() + ")",
        h -> {
          Database.batch(
              h,
              "INSERT INTO alert_history (id, at_ms, fingerprint, alertname, labels, event,"
                  + " source, group_key, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              events,
              (ps, e) -> {
                ps.setString(1, e.id());
                ps.setLong(2, millis(e.at()));
                ps.setLong(3, e.fingerprint());
                ps.setString(4, e.alertname());
                ps.setString(5, labelsToJson(e.labels()));
                ps.setString(6, e.event().name());
                ps.setString(7, e.source());
                if (e.groupKey() == null) {
                  ps.setNull(8, Types.VARCHAR);
                } else {
                  ps.setString(8, e.groupKey());
                }
                ps.setString(9, e.detail());
              });
          return null;
        });
  }

  /**
   * The events with {@code from <= at <= to}, oldest first (ties by fingerprint and id), at most
   * {@code limit} of them.
   */
  public List<AlertHistoryEvent> list(Instant from, Instant to, int limit) {
    return db.read(
        "alertHistory.list",
        h ->
            h.createQuery(
                    "SELECT id, at_ms, fingerprint, alertname, labels, event, source, group_key,"
                        + " detail FROM alert_history WHERE at_ms >= :from AND at_ms <= :to"
                        + " ORDER BY at_ms, fingerprint, id LIMIT :limit")
                .bind("from", millis(from))
                .bind("to", millis(to))
                .bind("limit", limit)
                .map((rs, ctx) -> event(rs))
                .list());
  }

  /**
   * Deletes the events older than {@code t}.
   *
   * @return how many were deleted
   */
  public int deleteBefore(Instant t) {
    return db.write(
        "alertHistory.deleteBefore(" + t + ")",
        h ->
            h.createUpdate("DELETE FROM alert_history WHERE at_ms < :t")
                .bind("t", millis(t))
                .execute());
  }

  private static AlertHistoryEvent event(ResultSet rs) throws SQLException {
    String name = rs.getString("event");
    AlertHistoryEvent.Event event;
    try {
      event = AlertHistoryEvent.Event.valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new Codecs.CorruptValueException(
          "alert_history.event: \"" + name + "\" is not an event", e);
    }
    return new AlertHistoryEvent(
        rs.getString("id"),
        instant(rs.getLong("at_ms")),
        rs.getLong("fingerprint"),
        rs.getString("alertname"),
        labelsFromJson(rs.getString("labels"), "alert_history.labels"),
        event,
        rs.getString("source"),
        rs.getString("group_key"),
        rs.getString("detail"));
  }
}
