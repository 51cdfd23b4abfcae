package dev.nines.store;

import static dev.nines.store.Codecs.instant;
import static dev.nines.store.Codecs.millis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * The silences, kept in tables {@code silences} and {@code silence_matchers} (one row per matcher,
 * in order). Each write is one transaction.
 *
 * <p>This repository stores what it is given. Alertmanager's rule that updating an active silence
 * expires it and creates a new one (unless only its end or comment changes) belongs to the notify
 * module, which calls {@link #expire} and {@link #upsert} accordingly.
 */
public final class SilenceRepository {
  private static final String SELECT =
      "SELECT s.id, s.starts_at_ms, s.ends_at_ms, s.created_by, s.comment, s.updated_at_ms,"
          + " m.label_name, m.label_value, m.match_type"
          + " FROM silences s LEFT JOIN silence_matchers m ON m.silence_id = s.id";
  private static final String ORDER = " ORDER BY s.starts_at_ms, s.id, m.ordinal";

  private final Database db;

  SilenceRepository(Database db) {
    this.db = db;
  }

  /** Creates the silence, or replaces the one with the same id (its matchers included). */
  public void upsert(Silence silence) {
    Objects.requireNonNull(silence, "silence");
    db.write(
        "silences.upsert(" + silence.id() + ")",
        h -> {
          upsert(h, silence);
          return null;
        });
  }

  /** Writes {@code silence} on an open transaction. */
  static void upsert(Handle h, Silence silence) {
    h.createUpdate(
            "INSERT INTO silences"
                + " (id, starts_at_ms, ends_at_ms, created_by, comment, updated_at_ms)"
                + " VALUES (:id, :startsAt, :endsAt, :createdBy, :comment, :updatedAt)"
                + " ON CONFLICT (id) DO UPDATE SET starts_at_ms = excluded.starts_at_ms,"
                + " ends_at_ms = excluded.ends_at_ms, created_by = excluded.created_by,"
                + " comment = excluded.comment, updated_at_ms = excluded.updated_at_ms")
        .bind("id", silence.id())
        .bind("startsAt", millis(silence.startsAt()))
        .bind("endsAt", millis(silence.endsAt()))
        .bind("createdBy", silence.createdBy())
        .bind("comment", silence.comment())
        .bind("updatedAt", millis(silence.updatedAt()))
        .execute();
    h.createUpdate("DELETE FROM silence_matchers WHERE silence_id = :id")
        .bind("id", silence.id())
        .execute();
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO silence_matchers"
                + " (silence_id, ordinal, label_name, label_value, match_type)"
                + " VALUES (:id, :ordinal, :name, :value, :type)");
    List<Matcher> matchers = silence.matchers();
    for (int i = 0; i < matchers.size(); i++) {
      Matcher m = matchers.get(i);
      batch
          .bind("id", silence.id())
          .bind("ordinal", i)
          .bind("name", m.name())
          .bind("value", m.value())
          .bind("type", m.type().name())
          .add();
    }
    batch.execute();
  }

  /** The silence with this id, if there is one. */
  public Optional<Silence> get(String id) {
    Objects.requireNonNull(id, "id");
    List<Silence> found =
        db.read(
            "silences.get(" + id + ")",
            h -> fold(h.createQuery(SELECT + " WHERE s.id = :id" + ORDER).bind("id", id)));
    return found.stream().findFirst();
  }

  /** Every silence, expired ones included, by start time. */
  public List<Silence> list() {
    return db.read("silences.list", h -> fold(h.createQuery(SELECT + ORDER)));
  }

  /** The silences active at {@code t} ({@code startsAt <= t < endsAt}), by start time. */
  public List<Silence> listActiveAt(Instant t) {
    long ms = millis(t);
    return db.read(
        "silences.listActiveAt(" + t + ")",
        h ->
            fold(
                h.createQuery(SELECT + " WHERE s.starts_at_ms <= :t AND s.ends_at_ms > :t" + ORDER)
                    .bind("t", ms)));
  }

  /**
   * Expires the silence at {@code now}: if it ends after {@code now} its end becomes {@code now}
   * (and a silence that had not started yet starts at {@code now} too). A silence that has already
   * ended is left as it is.
   *
   * @return false if there is no silence with this id
   */
  public boolean expire(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    long ms = millis(now);
    return db.write(
        "silences.expire(" + id + ")",
        h -> {
          int changed =
              h.createUpdate(
                      "UPDATE silences SET ends_at_ms = :now, updated_at_ms = :now,"
                          + " starts_at_ms = CASE WHEN starts_at_ms > :now THEN :now"
                          + " ELSE starts_at_ms END"
                          + " WHERE id = :id AND ends_at_ms > :now")
                  .bind("id", id)
                  .bind("now", ms)
                  .execute();
          return changed > 0
              || h.createQuery("SELECT COUNT(*) FROM silences WHERE id = :id")
                      .bind("id", id)
                      .mapTo(Long.class)
                      .one()
                  > 0;
        });
  }

  /**
   * Deletes the silences that ended before {@code t} (garbage collection), with their matchers.
   *
   * @return how many silences were deleted
   */
  public int deleteExpiredBefore(Instant t) {
    long ms = millis(t);
    return db.write(
        "silences.deleteExpiredBefore(" + t + ")",
        h -> {
          // Matchers go explicitly rather than by ON DELETE CASCADE alone, so that this does not
          // depend on a connection setting (SQLite enforces foreign keys only when asked to).
          h.createUpdate(
                  "DELETE FROM silence_matchers WHERE silence_id IN"
                      + " (SELECT id FROM silences WHERE ends_at_ms < :t)")
              .bind("t", ms)
              .execute();
          return h.createUpdate("DELETE FROM silences WHERE ends_at_ms < :t")
              .bind("t", ms)
              .execute();
        });
  }

  /** The silence columns of one joined row. */
  private record Header(
      String id, long startsAt, long endsAt, String createdBy, String comment, long updatedAt) {}

  /** One joined row: a silence and one of its matchers ({@code null} if it has none). */
  private record Row(Header header, Matcher matcher) {}

  /** Folds the joined rows (ordered by silence) into silences with their matchers in order. */
  private static List<Silence> fold(Query query) {
    List<Row> rows =
        query
            .map(
                (rs, ctx) -> {
                  String name = rs.getString("label_name");
                  Matcher m =
                      name == null
                          ? null
                          : new Matcher(
                              name,
                              rs.getString("label_value"),
                              matchType(rs.getString("match_type")));
                  Header header =
                      new Header(
                          rs.getString("id"),
                          rs.getLong("starts_at_ms"),
                          rs.getLong("ends_at_ms"),
                          rs.getString("created_by"),
                          rs.getString("comment"),
                          rs.getLong("updated_at_ms"));
                  return new Row(header, m);
                })
            .list();
    Map<String, Header> headers = new LinkedHashMap<>();
    Map<String, List<Matcher>> matchers = new LinkedHashMap<>();
    for (Row row : rows) {
      String id = row.header().id();
      headers.putIfAbsent(id, row.header());
      List<Matcher> list = matchers.computeIfAbsent(id, k -> new ArrayList<>());
      if (row.matcher() != null) {
        list.add(row.matcher());
      }
    }
    List<Silence> out = new ArrayList<>(headers.size());
    for (Header h : headers.values()) {
      List<Matcher> ms = matchers.get(h.id());
      if (ms.isEmpty()) {
        throw new Codecs.CorruptValueException(
            "silence_matchers: silence " + h.id() + " has no matchers", null);
      }
      out.add(
          new Silence(
              h.id(),
              ms,
              instant(h.startsAt()),
              instant(h.endsAt()),
              h.createdBy(),
              h.comment(),
              instant(h.updatedAt())));
    }
    return out;
  }

  private static Matcher.Type matchType(String text) {
    try {
      return Matcher.Type.valueOf(text);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new Codecs.CorruptValueException(
          "silence_matchers.match_type: \"" + text + "\" is not a matcher type", e);
    }
  }
}
