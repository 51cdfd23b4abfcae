package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.labelsFromJson;
import static dev.nines.store.Codecs.labelsToJson;
import static dev.nines.store.Codecs.millis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The alerts the notify pipeline holds, kept in table {@code notify_alerts} so that a restart loses
 * no resolve. Each write is one transaction; upserts go as one JDBC batch.
 */
public final class NotifyAlertRepository {
  private final Database db;

  NotifyAlertRepository(Database db) {
    this.db = db;
  }

  /** Writes {@code upserts} and deletes the fingerprints in {@code deletes}, in one transaction. */
  public void apply(Collection<StoredAlert> upserts, Collection<Long> deletes) {
    if (upserts.isEmpty() && deletes.isEmpty()) {
      return;
    }
    db.write(
        "notifyAlerts.apply(" + upserts.size() + " upserts, " + deletes.size() + " deletes)",
        h -> {
          if (!upserts.isEmpty()) {
            Database.batch(
                h,
                "INSERT INTO notify_alerts (fingerprint, labels, annotations, starts_at_ms,"
                    + " ends_at_ms, generator_url, updated_at_ms, timeout_end, source)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (fingerprint) DO UPDATE SET labels = excluded.labels,"
                    + " annotations = excluded.annotations,"
                    + " starts_at_ms = excluded.starts_at_ms,"
                    + " ends_at_ms = excluded.ends_at_ms,"
                    + " generator_url = excluded.generator_url,"
                    + " updated_at_ms = excluded.updated_at_ms,"
                    + " timeout_end = excluded.timeout_end, source = excluded.source",
                upserts,
                (ps, a) -> {
                  ps.setLong(1, a.fingerprint());
                  ps.setString(2, labelsToJson(a.labels()));
                  ps.setString(3, labelsToJson(a.annotations()));
                  ps.setLong(4, millis(a.startsAt()));
                  ps.setLong(5, millis(a.endsAt()));
                  ps.setString(6, a.generatorUrl());
                  ps.setLong(7, millis(a.updatedAt()));
                  ps.setInt(8, a.timeout() ? 1 : 0);
                  ps.setString(9, a.source());
                });
          }
          if (!deletes.isEmpty()) {
            PreparedBatch del = h.prepareBatch("DELETE FROM notify_alerts WHERE fingerprint = :fp");
            for (Long fp : deletes) {
              del.bind("fp", fp).add();
            }
            del.execute();
          }
          return null;
        });
  }

  /** Every alert, by fingerprint. */
  public List<StoredAlert> list() {
    return db.read(
        "notifyAlerts.list",
        h ->
            h.createQuery(
                    "SELECT fingerprint, labels, annotations, starts_at_ms, ends_at_ms,"
                        + " generator_url, updated_at_ms, timeout_end, source"
                        + " FROM notify_alerts ORDER BY fingerprint")
                .map((rs, ctx) -> alert(rs))
                .list());
  }

  private static StoredAlert alert(ResultSet rs) throws SQLException {
    return new StoredAlert(
        rs.getLong("fingerprint"),
        labelsFromJson(rs.getString("labels"), "notify_alerts.labels"),
        labelsFromJson(rs.getString("annotations"), "notify_alerts.annotations"),
        instant(rs.getLong("starts_at_ms")),
        instant(rs.getLong("ends_at_ms")),
        rs.getString("generator_url"),
        instant(rs.getLong("updated_at_ms")),
        rs.getInt("timeout_end") != 0,
        rs.getString("source"));
  }
}
