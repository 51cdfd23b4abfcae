package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.labelsFromJson;
import static dev.nines.store.Codecs.labelsToJson;
import static dev.nines.store.Codecs.millis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

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
   * {@code limit} of them. Events of a kind this release does not know (written by a newer one
   * sharing the database) are left out.
   */
  public List<AlertHistoryEvent> list(Instant from, Instant to, int limit) {
    return list(from, to, limit, EnumSet.allOf(AlertHistoryEvent.Event.class));
  }

  /**
   * The events of these kinds with {@code from <= at <= to}, oldest first (ties by fingerprint and
   * id), at most {@code limit} of them.
   */
  public List<AlertHistoryEvent> list(
      Instant from, Instant to, int limit, Collection<AlertHistoryEvent.Event> kinds) {
    if (kinds.isEmpty()) {
      return List.of();
    }
    return db.read(
        "alertHistory.list(" + kinds + ")",
        h ->
            known(
                h.createQuery(
                        "SELECT "
                            + COLUMNS
                            + " FROM alert_history WHERE at_ms >= :from AND at_ms <= :to"
                            + " AND event IN (<kinds>) ORDER BY at_ms, fingerprint, id"
                            + " LIMIT :limit")
                    .bind("from", millis(from))
                    .bind("to", millis(to))
                    .bindList("kinds", kinds.stream().map(Enum::name).toList())
                    .bind("limit", limit)
                    .map((rs, ctx) -> event(rs))
                    .list()));
  }

  /** The newest event of this kind about this fingerprint, if the history still holds one. */
  public Optional<AlertHistoryEvent> last(long fingerprint, AlertHistoryEvent.Event event) {
    return db.read(
        "alertHistory.last",
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM alert_history WHERE fingerprint = :fp AND event = :event"
                        + " ORDER BY at_ms DESC, id DESC LIMIT 1")
                .bind("fp", fingerprint)
                .bind("event", event.name())
                .map((rs, ctx) -> event(rs))
                .findOne());
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

  private static final String COLUMNS =
      "id, at_ms, fingerprint, alertname, labels, event, source, group_key, detail";

  /** The events without the nulls {@link #event} maps unknown kinds to. */
  private static List<AlertHistoryEvent> known(List<AlertHistoryEvent> events) {
    List<AlertHistoryEvent> out = new ArrayList<>(events.size());
    for (AlertHistoryEvent e : events) {
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * One row as an event, or null for a kind this release does not know. The {@code CHECK} on the
   * column admits only the kinds of the newest migration run, so an unknown kind was written by a
   * newer release sharing this database (a rolling upgrade), not by corruption; it is skipped.
   */
  private static AlertHistoryEvent event(ResultSet rs) throws SQLException {
    String name = rs.getString("event");
    AlertHistoryEvent.Event event;
    try {
      event = AlertHistoryEvent.Event.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    } catch (NullPointerException e) {
      throw new Codecs.CorruptValueException("alert_history.event: null is not an event", e);
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
