package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.millis;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Acknowledgements, kept in table {@code alert_acks}, one per alert fingerprint. */
public final class AlertAckRepository {
  private final Database db;

  AlertAckRepository(Database db) {
    this.db = db;
  }

  /** Creates or replaces the acks, in one transaction. */
  public void upsertAll(Collection<AlertAck> acks) {
    if (acks.isEmpty()) {
      return;
    }
    db.write(
        "acks.upsertAll(" + acks.size() + ")",
        h -> {
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO alert_acks (fingerprint, alert_starts_at_ms, acked_at_ms, acked_by,"
                      + " comment, group_key) VALUES (:fp, :startsAt, :ackedAt, :by, :comment,"
                      + " :groupKey) ON CONFLICT (fingerprint) DO UPDATE SET"
                      + " alert_starts_at_ms = excluded.alert_starts_at_ms,"
                      + " acked_at_ms = excluded.acked_at_ms, acked_by = excluded.acked_by,"
                      + " comment = excluded.comment, group_key = excluded.group_key");
          for (AlertAck a : acks) {
            batch
                .bind("fp", a.fingerprint())
                .bind("startsAt", millis(a.alertStartsAt()))
                .bind("ackedAt", millis(a.ackedAt()))
                .bind("by", a.ackedBy())
                .bind("comment", a.comment())
                .bind("groupKey", a.groupKey())
                .add();
          }
          batch.execute();
          return null;
        });
  }

  /**
   * Deletes the acks of these fingerprints.
   *
   * @return how many were deleted
   */
  public int deleteAll(Collection<Long> fingerprints) {
    if (fingerprints.isEmpty()) {
      return 0;
    }
    return db.write(
        "acks.deleteAll(" + fingerprints.size() + ")",
        h -> {
          PreparedBatch del = h.prepareBatch("DELETE FROM alert_acks WHERE fingerprint = :fp");
          for (Long fp : fingerprints) {
            del.bind("fp", fp).add();
          }
          int n = 0;
          for (int c : del.execute()) {
            n += c;
          }
          return n;
        });
  }

  /** Every ack, by fingerprint. */
  public List<AlertAck> list() {
    return db.read(
        "acks.list",
        h ->
            h.createQuery(
                    "SELECT fingerprint, alert_starts_at_ms, acked_at_ms, acked_by, comment,"
                        + " group_key FROM alert_acks ORDER BY fingerprint")
                .map(
                    (rs, ctx) ->
                        new AlertAck(
                            rs.getLong("fingerprint"),
                            instant(rs.getLong("alert_starts_at_ms")),
                            instant(rs.getLong("acked_at_ms")),
                            rs.getString("acked_by"),
                            rs.getString("comment"),
                            rs.getString("group_key")))
                .list());
  }
}
