package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.millis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Alert occurrences linked to incidents, kept in table {@code alert_incident_links}: one link per
 * occurrence (fingerprint and {@code startsAt}); linking again replaces it.
 */
public final class AlertIncidentLinkRepository {
  private static final String COLUMNS =
      "fingerprint, alert_starts_at_ms, alertname, incident, linked_at_ms, linked_by";

  private final Database db;

  AlertIncidentLinkRepository(Database db) {
    this.db = db;
  }

  /** Creates or replaces the links, in one transaction. */
  public void upsertAll(Collection<AlertIncidentLink> links) {
    if (links.isEmpty()) {
      return;
    }
    db.write(
        "incidentLinks.upsertAll(" + links.size() + ")",
        h -> {
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO alert_incident_links ("
                      + COLUMNS
                      + ") VALUES (:fp, :startsAt, :alertname, :incident, :linkedAt, :by)"
                      + " ON CONFLICT (fingerprint, alert_starts_at_ms) DO UPDATE SET"
                      + " alertname = excluded.alertname, incident = excluded.incident,"
                      + " linked_at_ms = excluded.linked_at_ms, linked_by = excluded.linked_by");
          for (AlertIncidentLink l : links) {
            batch
                .bind("fp", l.fingerprint())
                .bind("startsAt", millis(l.alertStartsAt()))
                .bind("alertname", l.alertname())
                .bind("incident", l.incident())
                .bind("linkedAt", millis(l.linkedAt()))
                .bind("by", l.linkedBy())
                .add();
          }
          batch.execute();
          return null;
        });
  }

  /** Every link, by fingerprint and occurrence. */
  public List<AlertIncidentLink> list() {
    return db.read(
        "incidentLinks.list",
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM alert_incident_links ORDER BY fingerprint, alert_starts_at_ms")
                .map((rs, ctx) -> link(rs))
                .list());
  }

  /** The links to this incident, oldest first: what a later incidents module reads. */
  public List<AlertIncidentLink> listByIncident(String incident) {
    return db.read(
        "incidentLinks.listByIncident",
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM alert_incident_links WHERE incident = :incident"
                        + " ORDER BY linked_at_ms, fingerprint, alert_starts_at_ms")
                .bind("incident", incident)
                .map((rs, ctx) -> link(rs))
                .list());
  }

  /**
   * Deletes the links made before {@code t}.
   *
   * @return how many were deleted
   */
  public int deleteBefore(Instant t) {
    return db.write(
        "incidentLinks.deleteBefore(" + t + ")",
        h ->
            h.createUpdate("DELETE FROM alert_incident_links WHERE linked_at_ms < :t")
                .bind("t", millis(t))
                .execute());
  }

  private static AlertIncidentLink link(ResultSet rs) throws SQLException {
    return new AlertIncidentLink(
        rs.getLong("fingerprint"),
        instant(rs.getLong("alert_starts_at_ms")),
        rs.getString("alertname"),
        rs.getString("incident"),
        instant(rs.getLong("linked_at_ms")),
        rs.getString("linked_by"));
  }
}
