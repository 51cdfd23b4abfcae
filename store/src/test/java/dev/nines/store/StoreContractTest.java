package dev.nines.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} keeps, whatever the database: each repository operation, the
 * migration, reopening, concurrency and rollback. Subclasses give a fresh database per test.
 */
abstract class StoreContractTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  Store store;
  StoreConfig config;

  /** A configuration for a fresh, empty database. */
  abstract StoreConfig freshConfig() throws Exception;

  /** The dialect the subclass's configuration selects. */
  abstract Dialect expectedDialect();

  /**
   * SQL statements that make any insert into {@code silence_matchers} whose label name is {@code
   * boom} fail, in the subclass's dialect.
   */
  abstract List<String> failOnBoomMatcherSql();

  /** Drops what {@link #freshConfig()} created, if anything. */
  void dropDatabase() throws Exception {}

  /** Empties the database {@link #config} names (no tables at all), keeping its address. */
  abstract void emptyDatabase() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    config = freshConfig();
    store = Store.open(config);
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
    dropDatabase();
  }

  static Silence silence(String id, Instant start, Instant end, Matcher... matchers) {
    return new Silence(id, List.of(matchers), start, end, "alice", "maintenance", start);
  }

  static Matcher eq(String name, String value) {
    return new Matcher(name, value, Matcher.Type.EQUAL);
  }

  static AlertStateEntry alert(String group, long fp, AlertStateEntry.State state, double v) {
    return new AlertStateEntry(
        group,
        fp,
        state,
        T0,
        state == AlertStateEntry.State.FIRING ? T0.plusSeconds(60) : null,
        v,
        Map.of("alertname", "HighLatency", "job", "api", "fp", Long.toUnsignedString(fp)),
        Map.of("summary", "p99 \"latency\" is high\nsee runbook ✓"),
        T0.plusSeconds(90));
  }

  long countRows(String table) {
    return store
        .jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  // ---- store and migration ----

  @Test
  void opensMigratedAndHealthy() {
    assertThat(store.dialect()).isEqualTo(expectedDialect());
    assertThat(store.healthy()).isTrue();
    List<String> applied =
        store
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT version FROM flyway_schema_history"
                                + " WHERE success = true ORDER BY installed_rank")
                        .mapTo(String.class)
                        .list());
    assertThat(applied).containsExactly("1", "2", "3");
    assertThat(countRows("silences")).isZero();
    assertThat(countRows("silence_matchers")).isZero();
    assertThat(countRows("notification_log")).isZero();
    assertThat(countRows("alert_state")).isZero();
    assertThat(countRows("notify_alerts")).isZero();
    assertThat(countRows("alert_acks")).isZero();
    assertThat(countRows("alert_history")).isZero();
    assertThat(countRows("alert_incident_links")).isZero();
  }

  @Test
  void reopeningKeepsDataAndDoesNotMigrateAgain() {
    Silence s = silence(Silence.newId(), T0, T0.plusSeconds(3600), eq("job", "api"));
    store.silences().upsert(s);
    store.close();

    store = Store.open(config);
    assertThat(store.silences().get(s.id())).contains(s);
    long migrations =
        store
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = true")
                        .mapTo(Long.class)
                        .one());
    assertThat(migrations).isEqualTo(3);
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailAsClosed() {
    store.close();
    store.close();
    assertThat(store.healthy()).isFalse();
    assertThatThrownBy(() -> store.silences().list())
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.CLOSED));
  }

  // ---- silences ----

  @Test
  void silenceRoundTripsWithMatchersInOrder() {
    Silence s =
        new Silence(
            Silence.newId(),
            List.of(
                new Matcher("job", "api", Matcher.Type.EQUAL),
                new Matcher("env", "dev", Matcher.Type.NOT_EQUAL),
                new Matcher("instance", "web-[0-9]+:9100", Matcher.Type.REGEX),
                new Matcher("team", "", Matcher.Type.NOT_REGEX),
                new Matcher("msg", "é ✓ \"quoted\" 'single' \\ back", Matcher.Type.EQUAL)),
            T0.plusNanos(123_456_789),
            T0.plusSeconds(3600),
            "bob@example.com",
            "deploy of api v1.2 — é",
            T0);
    store.silences().upsert(s);

    Silence got = store.silences().get(s.id()).orElseThrow();
    assertThat(got).isEqualTo(s);
    assertThat(got.startsAt()).isEqualTo(T0.plusMillis(123));
    assertThat(got.matchers()).extracting(Matcher::name).startsWith("job", "env", "instance");
  }

  @Test
  void silenceUpsertReplacesFieldsAndMatchers() {
    String id = Silence.newId();
    store
        .silences()
        .upsert(silence(id, T0, T0.plusSeconds(60), eq("a", "1"), eq("b", "2"), eq("c", "3")));
    Silence updated =
        new Silence(
            id,
            List.of(new Matcher("z", "9", Matcher.Type.REGEX)),
            T0,
            T0.plusSeconds(7200),
            "carol",
            "extended",
            T0.plusSeconds(30));
    store.silences().upsert(updated);

    assertThat(store.silences().get(id)).contains(updated);
    assertThat(store.silences().list()).containsExactly(updated);
    assertThat(countRows("silence_matchers")).isEqualTo(1);
  }

  @Test
  void unknownSilenceIsEmpty() {
    assertThat(store.silences().get("no-such-id")).isEmpty();
    assertThat(store.silences().list()).isEmpty();
  }

  @Test
  void listReturnsAllSilencesByStartTime() {
    Silence late = silence("b-late", T0.plusSeconds(100), T0.plusSeconds(200), eq("x", "1"));
    Silence early = silence("a-early", T0, T0.plusSeconds(50), eq("x", "2"), eq("y", "3"));
    Silence expired = silence("c-old", T0.minusSeconds(500), T0.minusSeconds(400), eq("x", "3"));
    store.silences().upsert(late);
    store.silences().upsert(early);
    store.silences().upsert(expired);

    assertThat(store.silences().list()).containsExactly(expired, early, late);
  }

  @Test
  void listActiveAtIncludesStartAndExcludesEnd() {
    Silence active = silence("active", T0.minusSeconds(10), T0.plusSeconds(10), eq("a", "1"));
    Silence startsNow = silence("starts-now", T0, T0.plusSeconds(10), eq("a", "2"));
    Silence endsNow = silence("ends-now", T0.minusSeconds(10), T0, eq("a", "3"));
    Silence pending = silence("pending", T0.plusSeconds(1), T0.plusSeconds(10), eq("a", "4"));
    Silence expired = silence("expired", T0.minusSeconds(20), T0.minusSeconds(10), eq("a", "5"));
    for (Silence s : List.of(active, startsNow, endsNow, pending, expired)) {
      store.silences().upsert(s);
    }

    assertThat(store.silences().listActiveAt(T0)).containsExactlyInAnyOrder(active, startsNow);
    assertThat(store.silences().listActiveAt(T0)).allMatch(s -> s.activeAt(T0));
    assertThat(store.silences().listActiveAt(T0.plusSeconds(100))).isEmpty();
  }

  @Test
  void expireEndsActiveAndPendingSilencesAndLeavesExpiredOnes() {
    Silence active = silence("active", T0.minusSeconds(10), T0.plusSeconds(10), eq("a", "1"));
    Silence pending = silence("pending", T0.plusSeconds(5), T0.plusSeconds(10), eq("a", "2"));
    Silence expired = silence("expired", T0.minusSeconds(20), T0.minusSeconds(10), eq("a", "3"));
    for (Silence s : List.of(active, pending, expired)) {
      store.silences().upsert(s);
    }

    assertThat(store.silences().expire("active", T0)).isTrue();
    assertThat(store.silences().expire("pending", T0)).isTrue();
    assertThat(store.silences().expire("expired", T0)).isTrue();
    assertThat(store.silences().expire("unknown", T0)).isFalse();

    Silence a = store.silences().get("active").orElseThrow();
    assertThat(a.startsAt()).isEqualTo(active.startsAt());
    assertThat(a.endsAt()).isEqualTo(T0);
    assertThat(a.updatedAt()).isEqualTo(T0);
    assertThat(a.matchers()).isEqualTo(active.matchers());
    Silence p = store.silences().get("pending").orElseThrow();
    assertThat(p.startsAt()).isEqualTo(T0);
    assertThat(p.endsAt()).isEqualTo(T0);
    assertThat(store.silences().get("expired")).contains(expired);
    assertThat(store.silences().listActiveAt(T0)).isEmpty();
  }

  @Test
  void deleteExpiredBeforeRemovesOldSilencesAndTheirMatchers() {
    Silence old = silence("old", T0.minusSeconds(100), T0.minusSeconds(50), eq("a", "1"));
    Silence edge = silence("edge", T0.minusSeconds(100), T0, eq("a", "2"), eq("b", "3"));
    Silence live = silence("live", T0.minusSeconds(100), T0.plusSeconds(50), eq("a", "4"));
    for (Silence s : List.of(old, edge, live)) {
      store.silences().upsert(s);
    }

    assertThat(store.silences().deleteExpiredBefore(T0)).isEqualTo(1);
    assertThat(store.silences().list()).containsExactlyInAnyOrder(edge, live);
    assertThat(countRows("silence_matchers")).isEqualTo(3);
    assertThat(store.silences().deleteExpiredBefore(T0.plusMillis(1))).isEqualTo(1);
    assertThat(store.silences().list()).containsExactly(live);
    assertThat(countRows("silence_matchers")).isEqualTo(1);
  }

  // ---- notification log ----

  @Test
  void notificationLogRoundTripsAndUpserts() {
    NotificationLogKey key =
        new NotificationLogKey("{}/{team=\"a\"}:{alertname=\"X\"}", "ops", "webhook", 0);
    NotificationLogEntry first =
        new NotificationLogEntry(
            key,
            T0,
            Set.of(1L, -1L, Long.MIN_VALUE, 42L),
            Set.of(),
            T0.plus(Duration.ofHours(120)));
    store.notificationLog().upsert(first);
    assertThat(store.notificationLog().get(key)).contains(first);

    NotificationLogEntry second =
        new NotificationLogEntry(
            key, T0.plusSeconds(300), Set.of(42L), Set.of(1L, -1L), T0.plus(Duration.ofHours(125)));
    store.notificationLog().upsert(second);
    assertThat(store.notificationLog().get(key)).contains(second);
    assertThat(store.notificationLog().list()).containsExactly(second);
  }

  @Test
  void notificationLogKeysDifferByEveryPart() {
    List<NotificationLogKey> keys =
        List.of(
            new NotificationLogKey("g", "r", "webhook", 0),
            new NotificationLogKey("g", "r", "webhook", 1),
            new NotificationLogKey("g", "r", "email", 0),
            new NotificationLogKey("g", "r2", "webhook", 0),
            new NotificationLogKey("g2", "r", "webhook", 0));
    for (int i = 0; i < keys.size(); i++) {
      store
          .notificationLog()
          .upsert(
              new NotificationLogEntry(
                  keys.get(i), T0, Set.of((long) i), Set.of(), T0.plusSeconds(60)));
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(store.notificationLog().get(keys.get(i)).orElseThrow().firingAlerts())
          .containsExactly((long) i);
    }
    assertThat(store.notificationLog().get(new NotificationLogKey("g", "r", "webhook", 2)))
        .isEmpty();
    assertThat(store.notificationLog().list()).hasSize(keys.size());
  }

  @Test
  void notificationLogDeleteExpiredRemovesEntriesExpiredAtOrBeforeNow() {
    for (int i = 0; i < 3; i++) {
      store
          .notificationLog()
          .upsert(
              new NotificationLogEntry(
                  new NotificationLogKey("g" + i, "r", "webhook", 0),
                  T0,
                  Set.of(),
                  Set.of(7L),
                  T0.plusSeconds(i - 1L)));
    }
    assertThat(store.notificationLog().deleteExpired(T0)).isEqualTo(2);
    assertThat(store.notificationLog().list())
        .extracting(e -> e.key().groupKey())
        .containsExactly("g2");
    assertThat(store.notificationLog().deleteExpired(T0)).isZero();
  }

  // ---- alert state ----

  @Test
  void alertStateRoundTripsIncludingSpecialValues() {
    List<AlertStateEntry> entries =
        List.of(
            alert("rules.yml;api", 1, AlertStateEntry.State.PENDING, 0.25),
            alert("rules.yml;api", -2, AlertStateEntry.State.FIRING, Double.NaN),
            alert("rules.yml;api", Long.MAX_VALUE, AlertStateEntry.State.FIRING, -0.0),
            alert("rules.yml;api", 4, AlertStateEntry.State.FIRING, Double.POSITIVE_INFINITY),
            alert("rules.yml;api", 5, AlertStateEntry.State.PENDING, 1e-300),
            alert("rules.yml;db", 1, AlertStateEntry.State.FIRING, 3));
    for (AlertStateEntry e : entries) {
      store.alertState().upsert(e);
    }

    assertThat(store.alertState().listByGroup("rules.yml;api"))
        .containsExactlyInAnyOrderElementsOf(entries.subList(0, 5));
    assertThat(store.alertState().listByGroup("rules.yml;db")).containsExactly(entries.get(5));
    assertThat(store.alertState().listByGroup("other")).isEmpty();
    assertThat(store.alertState().list()).hasSize(6);
  }

  @Test
  void alertStateUpsertReplacesAndDeleteRemoves() {
    AlertStateEntry pending = alert("g", 9, AlertStateEntry.State.PENDING, 1);
    store.alertState().upsert(pending);
    AlertStateEntry firing = alert("g", 9, AlertStateEntry.State.FIRING, 2);
    store.alertState().upsert(firing);
    assertThat(store.alertState().listByGroup("g")).containsExactly(firing);

    assertThat(store.alertState().delete("g", 9)).isTrue();
    assertThat(store.alertState().delete("g", 9)).isFalse();
    assertThat(store.alertState().listByGroup("g")).isEmpty();
  }

  @Test
  void alertStateReplaceGroupAndDeleteGroup() {
    store
        .alertState()
        .upsertAll(
            List.of(
                alert("g", 1, AlertStateEntry.State.PENDING, 1),
                alert("g", 2, AlertStateEntry.State.PENDING, 2),
                alert("h", 1, AlertStateEntry.State.FIRING, 3)));
    AlertStateEntry two = alert("g", 2, AlertStateEntry.State.FIRING, 20);
    AlertStateEntry three = alert("g", 3, AlertStateEntry.State.PENDING, 30);
    store.alertState().replaceGroup("g", List.of(two, three));

    assertThat(store.alertState().listByGroup("g")).containsExactlyInAnyOrder(two, three);
    assertThat(store.alertState().listByGroup("h")).hasSize(1);
    assertThatThrownBy(
            () ->
                store
                    .alertState()
                    .replaceGroup("g", List.of(alert("h", 5, AlertStateEntry.State.PENDING, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"h\"");

    assertThat(store.alertState().deleteGroup("g")).isEqualTo(2);
    assertThat(store.alertState().listByGroup("g")).isEmpty();
    store.alertState().replaceGroup("h", List.of());
    assertThat(store.alertState().list()).isEmpty();
  }

  // ---- transactions and concurrency ----

  @Test
  void failedWriteLeavesNothingBehind() throws Exception {
    try (Handle h = store.jdbi().open();
        Statement st = h.getConnection().createStatement()) {
      for (String sql : failOnBoomMatcherSql()) {
        st.execute(sql);
      }
    }
    Silence original = silence("s1", T0, T0.plusSeconds(60), eq("a", "1"), eq("b", "2"));
    store.silences().upsert(original);

    // A new silence whose second matcher fails: the silence row must not stay.
    Silence fresh = silence("s2", T0, T0.plusSeconds(60), eq("ok", "1"), eq("boom", "2"));
    assertThatThrownBy(() -> store.silences().upsert(fresh))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              // SQLite reports RAISE(ABORT) as a constraint failure, PostgreSQL as a raised error.
              assertThat(e.kind())
                  .isIn(StoreException.Kind.FAILED, StoreException.Kind.CONSTRAINT_VIOLATED);
              assertThat(e.getMessage()).contains("silences.upsert(s2)");
            });
    assertThat(store.silences().get("s2")).isEmpty();

    // An update that fails after the header and the old matchers were rewritten: all rolled back.
    Silence update =
        new Silence("s1", List.of(eq("boom", "x")), T0, T0.plusSeconds(999), "eve", "no", T0);
    assertThatThrownBy(() -> store.silences().upsert(update)).isInstanceOf(StoreException.class);
    assertThat(store.silences().get("s1")).contains(original);
    assertThat(countRows("silences")).isEqualTo(1);
    assertThat(countRows("silence_matchers")).isEqualTo(2);
  }

  @Test
  void concurrentWritesFromSeveralThreadsAllCommit() throws Exception {
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    Silence s =
                        silence(Silence.newId(), T0, T0.plusSeconds(60), eq("t", "" + thread));
                    store.silences().upsert(s);
                    ids.add(s.id());
                    store
                        .notificationLog()
                        .upsert(
                            new NotificationLogEntry(
                                new NotificationLogKey("g", "r" + thread, "webhook", i),
                                T0,
                                Set.of((long) i),
                                Set.of(),
                                T0.plusSeconds(60)));
                    store
                        .alertState()
                        .upsert(alert("g" + thread, i, AlertStateEntry.State.FIRING, i));
                    assertThat(store.silences().get(s.id())).isPresent();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ids).hasSize(threads * perThread);
    assertThat(countRows("silences")).isEqualTo((long) threads * perThread);
    assertThat(countRows("notification_log")).isEqualTo((long) threads * perThread);
    assertThat(countRows("alert_state")).isEqualTo((long) threads * perThread);
  }

  // ---- notify pipeline (V2) ----

  static StoredAlert storedAlert(long fp, Instant ends, boolean timeout) {
    return new StoredAlert(
        fp,
        Map.of("alertname", "HighLatency", "fp", Long.toUnsignedString(fp)),
        Map.of("summary", "p99 \"latency\" ✓"),
        T0,
        ends,
        "http://x/graph?g0.expr=up",
        T0.plusSeconds(1),
        timeout,
        "api");
  }

  @Test
  void notifyAlertsUpsertDeleteAndRoundTripUnsignedFingerprints() {
    long big = 0xfedcba9876543210L; // negative as a signed long
    store
        .notifyAlerts()
        .apply(
            List.of(
                storedAlert(1, T0.plusSeconds(60), true),
                storedAlert(big, T0.plusSeconds(60), false)),
            List.of());
    assertThat(store.notifyAlerts().list())
        .containsExactlyInAnyOrder(
            storedAlert(1, T0.plusSeconds(60), true), storedAlert(big, T0.plusSeconds(60), false));
    store.notifyAlerts().apply(List.of(storedAlert(1, T0.plusSeconds(120), false)), List.of(big));
    assertThat(store.notifyAlerts().list())
        .containsExactly(storedAlert(1, T0.plusSeconds(120), false));
    store.notifyAlerts().apply(List.of(), List.of(1L, 99L));
    assertThat(store.notifyAlerts().list()).isEmpty();
  }

  @Test
  void acksUpsertReplaceAndDelete() {
    AlertAck a = new AlertAck(7, T0, T0.plusSeconds(5), "bob", "looking", null);
    AlertAck b = new AlertAck(-3, T0, T0.plusSeconds(6), "eve", "", "{}:{a=\"b\"}");
    store.acks().upsertAll(List.of(a, b));
    assertThat(store.acks().list()).containsExactly(b, a);
    AlertAck a2 = new AlertAck(7, T0.plusSeconds(100), T0.plusSeconds(101), "bob", "again", null);
    store.acks().upsertAll(List.of(a2));
    assertThat(store.acks().list()).containsExactly(b, a2);
    assertThat(store.acks().deleteAll(List.of(7L, 8L))).isEqualTo(1);
    assertThat(store.acks().list()).containsExactly(b);
  }

  @Test
  void alertHistoryAppendsListsByTimeAndDeletesOld() {
    List<AlertHistoryEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(
          new AlertHistoryEvent(
              AlertHistoryEvent.newId(),
              T0.plusSeconds(i),
              i,
              "HighLatency",
              Map.of("alertname", "HighLatency"),
              AlertHistoryEvent.Event.values()[i],
              "api",
              i % 2 == 0 ? null : "{}:{}",
              "detail " + i));
    }
    store.alertHistory().appendAll(events);
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(10), 100)).isEqualTo(events);
    assertThat(store.alertHistory().list(T0.plusSeconds(1), T0.plusSeconds(3), 100))
        .isEqualTo(events.subList(1, 4));
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(10), 2))
        .isEqualTo(events.subList(0, 2));
    assertThat(store.alertHistory().deleteBefore(T0.plusSeconds(2))).isEqualTo(2);
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(10), 100))
        .isEqualTo(events.subList(2, 5));
  }

  @Test
  void aHistoryBatchThatFailsWritesNothingAndSaysWhy() {
    AlertHistoryEvent e =
        new AlertHistoryEvent(
            AlertHistoryEvent.newId(),
            T0,
            1,
            "A",
            Map.of("alertname", "A"),
            AlertHistoryEvent.Event.FIRING,
            "api",
            null,
            "");
    AlertHistoryEvent other =
        new AlertHistoryEvent(
            AlertHistoryEvent.newId(),
            T0,
            2,
            "B",
            Map.of("alertname", "B"),
            AlertHistoryEvent.Event.FIRING,
            "api",
            null,
            "");
    // The same id twice in one batch: the primary key refuses it, and the batch is one transaction.
    assertThatThrownBy(() -> store.alertHistory().appendAll(List.of(other, e, e)))
        .isInstanceOfSatisfying(
            StoreException.class,
            x -> assertThat(x.kind()).isEqualTo(StoreException.Kind.CONSTRAINT_VIOLATED))
        .hasMessageContaining("alertHistory.appendAll(3)");
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(1), 100)).isEmpty();
  }

  @Test
  void notificationLogUpsertAllWritesEveryEntryInOneGo() {
    List<NotificationLogEntry> entries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      entries.add(
          new NotificationLogEntry(
              new NotificationLogKey("g" + i, "r", "webhook", 0),
              T0,
              Set.of((long) i),
              Set.of(),
              T0.plusSeconds(60)));
    }
    store.notificationLog().upsertAll(entries);
    store.notificationLog().upsertAll(entries.subList(0, 1));
    assertThat(store.notificationLog().list()).containsExactlyElementsOf(entries);
  }

  // ---- incident links (V3) ----

  static AlertHistoryEvent historyEvent(
      long fp, Instant at, AlertHistoryEvent.Event event, String detail) {
    return new AlertHistoryEvent(
        AlertHistoryEvent.newId(),
        at,
        fp,
        "HighLatency",
        Map.of("alertname", "HighLatency", "job", "api"),
        event,
        "user",
        null,
        detail);
  }

  @Test
  void incidentLinksUpsertReplaceListByIncidentAndDeleteOld() {
    long big = 0xfedcba9876543210L;
    AlertIncidentLink a =
        new AlertIncidentLink(7, T0, "HighLatency", "INC-42", T0.plusSeconds(5), "bob");
    AlertIncidentLink b =
        new AlertIncidentLink(
            big, T0, "DiskFull", "https://inc.example.com/7?a=1&b=<2>", T0.plusSeconds(6), "eve");
    AlertIncidentLink laterOccurrence =
        new AlertIncidentLink(
            7, T0.plusSeconds(600), "HighLatency", "INC-43", T0.plusSeconds(601), "bob");
    store.incidentLinks().upsertAll(List.of(a, b, laterOccurrence));
    assertThat(store.incidentLinks().list()).containsExactly(b, a, laterOccurrence);

    // Linking the same occurrence again replaces its incident; other occurrences stay.
    AlertIncidentLink relinked =
        new AlertIncidentLink(7, T0, "HighLatency", "INC-41", T0.plusSeconds(30), "carol");
    store.incidentLinks().upsertAll(List.of(relinked));
    assertThat(store.incidentLinks().list()).containsExactly(b, relinked, laterOccurrence);
    assertThat(store.incidentLinks().listByIncident("INC-41")).containsExactly(relinked);
    assertThat(store.incidentLinks().listByIncident("INC-42")).isEmpty();

    assertThat(store.incidentLinks().deleteBefore(T0.plusSeconds(30))).isEqualTo(1);
    assertThat(store.incidentLinks().list()).containsExactly(relinked, laterOccurrence);
  }

  @Test
  void alertHistoryStoresIncidentEventsAndFindsTheLastOfAKind() {
    List<AlertHistoryEvent> events =
        List.of(
            historyEvent(7, T0, AlertHistoryEvent.Event.FIRING, "2026-11-23T09:59:00Z"),
            historyEvent(7, T0.plusSeconds(1), AlertHistoryEvent.Event.NOTIFIED, "r/webhook[0]"),
            historyEvent(7, T0.plusSeconds(2), AlertHistoryEvent.Event.RESOLVED, ""),
            historyEvent(
                7, T0.plusSeconds(3), AlertHistoryEvent.Event.FIRING, "2026-11-23T10:00:03Z"),
            historyEvent(8, T0.plusSeconds(4), AlertHistoryEvent.Event.FIRING, ""),
            historyEvent(7, T0.plusSeconds(5), AlertHistoryEvent.Event.INCIDENT, "INC-42"));
    store.alertHistory().appendAll(events);
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(10), 100)).isEqualTo(events);
    assertThat(store.alertHistory().last(7, AlertHistoryEvent.Event.FIRING))
        .contains(events.get(3));
    assertThat(store.alertHistory().last(7, AlertHistoryEvent.Event.INCIDENT))
        .contains(events.get(5));
    assertThat(store.alertHistory().last(9, AlertHistoryEvent.Event.FIRING)).isEmpty();
    assertThat(
            store
                .alertHistory()
                .list(
                    T0.plusSeconds(1),
                    T0.plusSeconds(10),
                    100,
                    List.of(AlertHistoryEvent.Event.FIRING, AlertHistoryEvent.Event.INCIDENT)))
        .containsExactly(events.get(3), events.get(4), events.get(5));
    assertThat(
            store
                .alertHistory()
                .list(T0, T0.plusSeconds(10), 1, List.of(AlertHistoryEvent.Event.NOTIFIED)))
        .containsExactly(events.get(1));
  }

  @Test
  void historyOfAKindThisReleaseDoesNotKnowIsSkippedNotCorrupt() {
    AlertHistoryEvent known = historyEvent(7, T0, AlertHistoryEvent.Event.FIRING, "");
    store.alertHistory().appendAll(List.of(known));
    // A newer release sharing the database would first widen the CHECK; do what it would do.
    store
        .jdbi()
        .useHandle(
            h -> {
              h.execute("ALTER TABLE alert_history RENAME TO alert_history_old");
              h.execute(
                  "CREATE TABLE alert_history AS SELECT * FROM alert_history_old WHERE 1 = 0");
              h.execute("INSERT INTO alert_history SELECT * FROM alert_history_old");
              h.execute(
                  "INSERT INTO alert_history (id, at_ms, fingerprint, alertname, labels, event,"
                      + " source, group_key, detail) VALUES ('x', "
                      + T0.plusSeconds(1).toEpochMilli()
                      + ", 7, 'HighLatency', '{}', 'ESCALATED', 'user', NULL, '')");
            });
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(10), 100)).containsExactly(known);
  }

  @Test
  void migrationToV3KeepsHistoryWrittenUnderV2AndWidensTheEventCheck() throws Exception {
    store.close();
    emptyDatabase();
    Store.migrateTo(config, "2");
    List<AlertHistoryEvent> written = new ArrayList<>();
    org.jdbi.v3.core.Jdbi v2 = org.jdbi.v3.core.Jdbi.create(config.effectiveJdbcUrl());
    v2.useHandle(
        h -> {
          assertThat(
                  h.createQuery("SELECT MAX(version) FROM flyway_schema_history")
                      .mapTo(String.class)
                      .one())
              .isEqualTo("2");
          assertThatThrownBy(
                  () ->
                      h.execute(
                          "INSERT INTO alert_history (id, at_ms, fingerprint, alertname, labels,"
                              + " event, source, group_key, detail) VALUES"
                              + " ('i', 0, 1, 'A', '{}', 'INCIDENT', 'user', NULL, '')"))
              .as("V2 does not admit INCIDENT")
              .isInstanceOf(Exception.class);
          for (int i = 0; i < 3; i++) {
            AlertHistoryEvent e =
                historyEvent(
                    i, T0.plusSeconds(i), AlertHistoryEvent.Event.values()[i], "detail " + i);
            h.createUpdate(
                    "INSERT INTO alert_history (id, at_ms, fingerprint, alertname, labels, event,"
                        + " source, group_key, detail) VALUES (:id, :at, :fp, :name,"
                        + " '{\"alertname\":\"HighLatency\",\"job\":\"api\"}', :event,"
                        + " 'user', NULL, :detail)")
                .bind("id", e.id())
                .bind("at", e.at().toEpochMilli())
                .bind("fp", e.fingerprint())
                .bind("name", e.alertname())
                .bind("event", e.event().name())
                .bind("detail", e.detail())
                .execute();
            written.add(e);
          }
        });

    store = Store.open(config);
    assertThat(store.alertHistory().list(T0, T0.plusSeconds(10), 100)).isEqualTo(written);
    AlertHistoryEvent incident =
        historyEvent(1, T0.plusSeconds(5), AlertHistoryEvent.Event.INCIDENT, "INC-1");
    store.alertHistory().appendAll(List.of(incident));
    assertThat(store.alertHistory().last(1, AlertHistoryEvent.Event.INCIDENT)).contains(incident);
    assertThatThrownBy(
            () ->
                store
                    .jdbi()
                    .useHandle(
                        h ->
                            h.execute(
                                "INSERT INTO alert_history (id, at_ms, fingerprint, alertname,"
                                    + " labels, event, source, group_key, detail) VALUES"
                                    + " ('b', 0, 1, 'A', '{}', 'BOGUS', 'user', NULL, '')")))
        .as("the CHECK still refuses what no release writes")
        .isInstanceOf(Exception.class);
  }
}
