package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.labelsFromJson;
import static dev.nines.store.Codecs.labelsToJson;
import static dev.nines.store.Codecs.millis;
import static dev.nines.store.Codecs.valueFromText;
import static dev.nines.store.Codecs.valueToText;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The state of pending and firing alerts, kept in table {@code alert_state} per rule group and
 * alert fingerprint, so that alerts and their {@code for} clocks survive a restart. Each write is
 * one transaction.
 */
public final class AlertStateRepository {
  private static final String SELECT =
      "SELECT rule_group, fingerprint, state, active_at_ms, fired_at_ms, last_value, labels,"
          + " annotations, updated_at_ms FROM alert_state";
  private static final String UPSERT =
      "INSERT INTO alert_state (rule_group, fingerprint, state, active_at_ms, fired_at_ms,"
          + " last_value, labels, annotations, updated_at_ms)"
          + " VALUES (:group, :fingerprint, :state, :activeAt, :firedAt,"
          + " :value, :labels, :annotations, :updatedAt)"
          + " ON CONFLICT (rule_group, fingerprint) DO UPDATE SET state = excluded.state,"
          + " active_at_ms = excluded.active_at_ms, fired_at_ms = excluded.fired_at_ms,"
          + " last_value = excluded.last_value, labels = excluded.labels,"
          + " annotations = excluded.annotations, updated_at_ms = excluded.updated_at_ms";

  private final Database db;

  AlertStateRepository(Database db) {
    this.db = db;
  }

  /** Creates the alert's state, or replaces the one with the same group and fingerprint. */
  public void upsert(AlertStateEntry entry) {
    Objects.requireNonNull(entry, "entry");
    upsertAll(List.of(entry));
  }

  /** Creates or replaces several alerts' states in one transaction. */
  public void upsertAll(Collection<AlertStateEntry> entries) {
    List<AlertStateEntry> copy = List.copyOf(entries);
    if (copy.isEmpty()) {
      return;
    }
    db.write(
        "alertState.upsertAll(" + copy.size() + " entries)",
        h -> {
          upsertAll(h, copy);
          return null;
        });
  }

  /**
   * Makes {@code entries} the whole state of {@code ruleGroup} in one transaction: alerts of the
   * group not among them are deleted, the others created or replaced. This is what a rule group
   * writes after each evaluation.
   *
   * @throws IllegalArgumentException if an entry belongs to another group
   */
  public void replaceGroup(String ruleGroup, Collection<AlertStateEntry> entries) {
    Objects.requireNonNull(ruleGroup, "ruleGroup");
    List<AlertStateEntry> copy = List.copyOf(entries);
    Set<Long> keep = new HashSet<>();
    for (AlertStateEntry e : copy) {
      if (!e.ruleGroup().equals(ruleGroup)) {
        throw new IllegalArgumentException(
            "alert state ruleGroup: entry of group \""
                + e.ruleGroup()
                + "\" passed to replaceGroup(\""
                + ruleGroup
                + "\")");
      }
      keep.add(e.fingerprint());
    }
    db.write(
        "alertState.replaceGroup(" + ruleGroup + ")",
        h -> {
          List<Long> existing =
              h.createQuery("SELECT fingerprint FROM alert_state WHERE rule_group = :group")
                  .bind("group", ruleGroup)
                  .mapTo(Long.class)
                  .list();
          PreparedBatch delete =
              h.prepareBatch(
                  "DELETE FROM alert_state WHERE rule_group = :group AND fingerprint = :fp");
          for (long fp : existing) {
            if (!keep.contains(fp)) {
              delete.bind("group", ruleGroup).bind("fp", fp).add();
            }
          }
          if (delete.size() > 0) {
            delete.execute();
          }
          upsertAll(h, copy);
          return null;
        });
  }

  /** The alerts of one rule group, by fingerprint (unsigned order is not promised). */
  public List<AlertStateEntry> listByGroup(String ruleGroup) {
    Objects.requireNonNull(ruleGroup, "ruleGroup");
    return db.read(
        "alertState.listByGroup(" + ruleGroup + ")",
        h ->
            h.createQuery(SELECT + " WHERE rule_group = :group ORDER BY fingerprint")
                .bind("group", ruleGroup)
                .map((rs, ctx) -> entry(rs))
                .list());
  }

  /** Every kept alert, by rule group and fingerprint. */
  public List<AlertStateEntry> list() {
    return db.read(
        "alertState.list",
        h ->
            h.createQuery(SELECT + " ORDER BY rule_group, fingerprint")
                .map((rs, ctx) -> entry(rs))
                .list());
  }

  /**
   * Deletes one alert's state.
   *
   * @return false if there was none
   */
  public boolean delete(String ruleGroup, long fingerprint) {
    Objects.requireNonNull(ruleGroup, "ruleGroup");
    return db.write(
        "alertState.delete(" + ruleGroup + ", " + Long.toUnsignedString(fingerprint) + ")",
        h ->
            h.createUpdate(
                        "DELETE FROM alert_state WHERE rule_group = :group AND fingerprint = :fp")
                    .bind("group", ruleGroup)
                    .bind("fp", fingerprint)
                    .execute()
                > 0);
  }

  /**
   * Deletes the state of every alert of a rule group, e.g. when the group leaves the configuration.
   *
   * @return how many alerts were deleted
   */
  public int deleteGroup(String ruleGroup) {
    Objects.requireNonNull(ruleGroup, "ruleGroup");
    return db.write(
        "alertState.deleteGroup(" + ruleGroup + ")",
        h ->
            h.createUpdate("DELETE FROM alert_state WHERE rule_group = :group")
                .bind("group", ruleGroup)
                .execute());
  }

  private static void upsertAll(Handle h, List<AlertStateEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch(UPSERT);
    for (AlertStateEntry e : entries) {
      batch
          .bind("group", e.ruleGroup())
          .bind("fingerprint", e.fingerprint())
          .bind("state", e.state().name())
          .bind("activeAt", millis(e.activeAt()))
          .bind("firedAt", e.firedAt() == null ? null : millis(e.firedAt()))
          .bind("value", valueToText(e.lastValue()))
          .bind("labels", labelsToJson(e.labels()))
          .bind("annotations", labelsToJson(e.annotations()))
          .bind("updatedAt", millis(e.updatedAt()))
          .add();
    }
    batch.execute();
  }

  private static AlertStateEntry entry(ResultSet rs) throws SQLException {
    long firedAt = rs.getLong("fired_at_ms");
    boolean firedAtNull = rs.wasNull();
    String state = rs.getString("state");
    AlertStateEntry.State parsed;
    try {
      parsed = AlertStateEntry.State.valueOf(state);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new Codecs.CorruptValueException(
          "alert_state.state: \"" + state + "\" is not an alert state", e);
    }
    return new AlertStateEntry(
        rs.getString("rule_group"),
        rs.getLong("fingerprint"),
        parsed,
        instant(rs.getLong("active_at_ms")),
        firedAtNull ? null : instant(firedAt),
        valueFromText(rs.getString("last_value"), "alert_state.last_value"),
        labelsFromJson(rs.getString("labels"), "alert_state.labels"),
        labelsFromJson(rs.getString("annotations"), "alert_state.annotations"),
        instant(rs.getLong("updated_at_ms")));
  }
}
