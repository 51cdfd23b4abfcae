package dev.nines.store;

import static dev.nines.store.Codecs.fingerprintsFromText;
import static dev.nines.store.Codecs.fingerprintsToText;
import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.millis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The notification log, kept in table {@code notification_log}: one entry per group key, receiver,
 * integration and integration index, replaced on each notification. Each write is one transaction.
 */
public final class NotificationLogRepository {
  private static final String SELECT =
      "SELECT group_key, receiver, integration, integration_index, timestamp_ms,"
          + " firing_alerts, resolved_alerts, expires_at_ms FROM notification_log";
  private static final String KEY_MATCHES =
      " WHERE group_key = :groupKey AND receiver = :receiver AND integration = :integration"
          + " AND integration_index = :index";

  private static final String UPSERT =
      "INSERT INTO notification_log (group_key, receiver, integration, integration_index,"
          + " timestamp_ms, firing_alerts, resolved_alerts, expires_at_ms)"
          + " VALUES (:groupKey, :receiver, :integration, :index,"
          + " :timestamp, :firing, :resolved, :expiresAt)"
          + " ON CONFLICT (group_key, receiver, integration, integration_index)"
          + " DO UPDATE SET timestamp_ms = excluded.timestamp_ms,"
          + " firing_alerts = excluded.firing_alerts,"
          + " resolved_alerts = excluded.resolved_alerts,"
          + " expires_at_ms = excluded.expires_at_ms";

  private final Database db;

  NotificationLogRepository(Database db) {
    this.db = db;
  }

  /** Creates the entry, or replaces the one with the same key. */
  public void upsert(NotificationLogEntry entry) {
    Objects.requireNonNull(entry, "entry");
    db.write(
        "notificationLog.upsert(" + entry.key() + ")",
        h -> {
          upsert(h, entry);
          return null;
        });
  }

  /**
   * Creates or replaces every entry, in one transaction (a group commit of many sends), as one
   * prepared batch: a burst flushes a thousand groups at once.
   */
  public void upsertAll(java.util.Collection<NotificationLogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    db.write(
        "notificationLog.upsertAll(" + entries.size() + ")",
        h -> {
          PreparedBatch batch = h.prepareBatch(UPSERT);
          for (NotificationLogEntry e : entries) {
            bind(batch, e).add();
          }
          batch.execute();
          return null;
        });
  }

  /** Writes {@code entry} on an open transaction. */
  static void upsert(Handle h, NotificationLogEntry entry) {
    bind(h.createUpdate(UPSERT), entry).execute();
  }

  private static <S extends SqlStatement<S>> S bind(S statement, NotificationLogEntry entry) {
    NotificationLogKey k = entry.key();
    return statement
        .bind("groupKey", k.groupKey())
        .bind("receiver", k.receiver())
        .bind("integration", k.integration())
        .bind("index", k.integrationIndex())
        .bind("timestamp", millis(entry.timestamp()))
        .bind("firing", fingerprintsToText(entry.firingAlerts()))
        .bind("resolved", fingerprintsToText(entry.resolvedAlerts()))
        .bind("expiresAt", millis(entry.expiresAt()));
  }

  /** The entry with this key, if there is one. */
  public Optional<NotificationLogEntry> get(NotificationLogKey key) {
    Objects.requireNonNull(key, "key");
    return db.read(
        "notificationLog.get(" + key + ")",
        h ->
            h.createQuery(SELECT + KEY_MATCHES)
                .bind("groupKey", key.groupKey())
                .bind("receiver", key.receiver())
                .bind("integration", key.integration())
                .bind("index", key.integrationIndex())
                .map((rs, ctx) -> entry(rs))
                .findOne());
  }

  /** Every entry, expired ones included, ordered by key. */
  public List<NotificationLogEntry> list() {
    return db.read(
        "notificationLog.list",
        h ->
            h.createQuery(SELECT + " ORDER BY group_key, receiver, integration, integration_index")
                .map((rs, ctx) -> entry(rs))
                .list());
  }

  /**
   * Deletes the entries that expired at or before {@code now} (garbage collection).
   *
   * @return how many entries were deleted
   */
  public int deleteExpired(Instant now) {
    long ms = millis(now);
    return db.write(
        "notificationLog.deleteExpired(" + now + ")",
        h ->
            h.createUpdate("DELETE FROM notification_log WHERE expires_at_ms <= :now")
                .bind("now", ms)
                .execute());
  }

  private static NotificationLogEntry entry(ResultSet rs) throws SQLException {
    return new NotificationLogEntry(
        new NotificationLogKey(
            rs.getString("group_key"),
            rs.getString("receiver"),
            rs.getString("integration"),
            rs.getInt("integration_index")),
        instant(rs.getLong("timestamp_ms")),
        fingerprintsFromText(rs.getString("firing_alerts"), "notification_log.firing_alerts"),
        fingerprintsFromText(rs.getString("resolved_alerts"), "notification_log.resolved_alerts"),
        instant(rs.getLong("expires_at_ms")));
  }
}
