package dev.nines.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.notify.alert.IncomingAlert;
import dev.nines.notify.config.InhibitRule;
import dev.nines.notify.config.Route;
import dev.nines.notify.config.RouteOptions;
import dev.nines.notify.history.AlertHistory;
import dev.nines.notify.pipeline.NotifyStats;
import dev.nines.store.AlertHistoryEvent;
import dev.nines.store.Matcher;
import dev.nines.store.Silence;
import dev.nines.store.Store;
import dev.nines.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline end to end over a real SQLite store, with a recording integration. */
class NotifierTest {
  private static final Duration QUIET = Duration.ofMillis(800);

  @TempDir Path dir;
  Store store;
  Notifier notifier;
  RecordingIntegration hook;

  @BeforeEach
  void open() {
    store = Store.open(StoreConfig.defaults(dir));
    hook = new RecordingIntegration(true);
  }

  @AfterEach
  void close() {
    if (notifier != null) {
      notifier.close();
    }
    store.close();
  }

  static RouteOptions options(Duration groupInterval, Duration repeat) {
    return new RouteOptions(
        "team",
        List.of("alertname"),
        false,
        Duration.ZERO,
        groupInterval,
        repeat,
        List.of(),
        List.of());
  }

  PipelineConfig config(Duration repeat, List<InhibitRule> inhibit) {
    return new PipelineConfig(
        new Route("{}", List.of(), false, options(Duration.ofMillis(100), repeat), List.of()),
        inhibit,
        Map.of(),
        Map.of("team", List.of(hook)),
        Duration.ofMinutes(5),
        "");
  }

  void start(PipelineConfig config) {
    notifier =
        Notifier.start(
            store,
            config,
            NotifyOptions.DEFAULTS.withRetry(Duration.ofMillis(5), Duration.ofMillis(20)),
            InstantSource.system());
  }

  static IncomingAlert firing(String name, String... labels) {
    String[] all = new String[labels.length + 2];
    all[0] = "alertname";
    all[1] = name;
    System.arraycopy(labels, 0, all, 2, labels.length);
    return new IncomingAlert(Labels.of(all), Map.of("summary", name), null, null, "");
  }

  static IncomingAlert resolved(String name) {
    Instant now = Instant.now();
    return new IncomingAlert(
        Labels.of("alertname", name), Map.of(), now.minusSeconds(60), now.minusMillis(1), "");
  }

  void put(IncomingAlert... alerts) {
    assertThat(notifier.put(List.of(alerts), Notifier.SOURCE_API).errors()).isEmpty();
  }

  void quietly() {
    await().during(QUIET).atMost(QUIET.plusSeconds(5)).until(() -> true);
  }

  @Test
  void sendsOnceThenNothingUntilSomethingChanges() {
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:A"));
    put(firing("A")); // a re-send by the sender changes nothing
    quietly();
    assertThat(hook.summary()).containsExactly("firing:A");
    put(resolved("A"));
    await()
        .untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:A", "resolved:A"));
    assertThat(hook.sent.get(0).groupKey()).isEqualTo("{}:{alertname=\"A\"}");
  }

  @Test
  void repeatIntervalResendsUnlessAcked() {
    start(config(Duration.ofMillis(200), List.of()));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.sent).hasSizeGreaterThanOrEqualTo(2));
    long fp = Fingerprint.of(Labels.of("alertname", "A"));
    notifier.ack(fp, "bob", "on it");
    int afterAck = hook.sent.size();
    quietly();
    // at most one flush that was already running when the ack came
    assertThat(hook.sent.size()).isLessThanOrEqualTo(afterAck + 1);
    int settled = hook.sent.size();
    quietly();
    assertThat(hook.sent).hasSize(settled);
    assertThat(notifier.alerts().get(0).ack()).isNotNull();

    // The ack ends when the alert resolves; firing again pages again.
    put(resolved("A"));
    await().untilAsserted(() -> assertThat(hook.summary()).last().isEqualTo("resolved:A"));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.summary()).last().isEqualTo("firing:A"));
    assertThat(notifier.alerts().get(0).ack()).isNull();
  }

  @Test
  void groupAckCoversFiringAlertsButNotLaterOnes() {
    start(config(Duration.ofMillis(200), List.of()));
    put(firing("A", "i", "1"));
    await().untilAsserted(() -> assertThat(hook.sent).isNotEmpty());
    String key = notifier.groups().get(0).key();
    assertThat(notifier.ackGroup(key, "eve", "")).hasSize(1);
    assertThatThrownBy(() -> notifier.ackGroup("nope", "eve", ""))
        .isInstanceOf(NoSuchElementException.class);
    quietly();
    int settled = hook.sent.size();
    put(firing("A", "i", "2"));
    await().untilAsserted(() -> assertThat(hook.sent.size()).isGreaterThan(settled));
    assertThat(hook.sent.get(hook.sent.size() - 1).alerts()).hasSize(2);
  }

  @Test
  void silencedAlertsAreNotSentAndHistoryRecordsIt() {
    start(config(Duration.ofHours(1), List.of()));
    notifier
        .silences()
        .upsert(
            new Silence(
                Silence.newId(),
                List.of(new Matcher("alertname", "A|B", Matcher.Type.REGEX)),
                Instant.now().minusSeconds(1),
                Instant.now().plusSeconds(3600),
                "alice",
                "maintenance",
                Instant.now()),
            Instant.now());
    put(firing("A"), firing("C"));
    await().untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:C"));
    quietly();
    assertThat(hook.summary()).containsExactly("firing:C");
    Notifier.AlertView a =
        notifier.alerts().stream()
            .filter(v -> v.alert().label("alertname").equals("A"))
            .findFirst()
            .orElseThrow();
    assertThat(a.state()).isEqualTo("suppressed");
    assertThat(a.silencedBy()).hasSize(1);
    List<AlertHistoryEvent> events =
        notifier
            .history()
            .query(
                List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "alertname", "A")),
                Instant.now().minusSeconds(60),
                Instant.now());
    assertThat(events)
        .extracting(AlertHistoryEvent::event)
        .containsSubsequence(AlertHistoryEvent.Event.FIRING, AlertHistoryEvent.Event.SILENCED);
  }

  @Test
  void firingSourceInhibitsTargetButNotItself() {
    InhibitRule rule =
        new InhibitRule(
            List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "severity", "critical")),
            List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "severity", "warning")),
            List.of("cluster"));
    start(config(Duration.ofHours(1), List.of(rule)));
    put(firing("Down", "severity", "critical", "cluster", "eu"));
    put(firing("Slow", "severity", "warning", "cluster", "eu"));
    put(firing("Slow2", "severity", "warning", "cluster", "us"));
    await()
        .untilAsserted(
            () ->
                assertThat(hook.summary())
                    .containsExactlyInAnyOrder("firing:Down", "firing:Slow2"));
    quietly();
    assertThat(hook.summary()).containsExactlyInAnyOrder("firing:Down", "firing:Slow2");
  }

  @Test
  void retryableFailuresAreRetriedAndCounted() {
    hook.script.add(SendResult.retry("503"));
    hook.script.add(SendResult.retry("503"));
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:A"));
    assertThat(notifier.stats().failures().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(2);
  }

  @Test
  void nonRetryableFailureStopsUntilTheNextGroupInterval() {
    hook.script.add(SendResult.fail("400 bad request"));
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"));
    // The failed flush did not write the log, so the next group_interval tries again.
    await().untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:A"));
    assertThat(notifier.stats().failures())
        .containsEntry(
            new dev.nines.notify.pipeline.NotifyStats.FailureKey("webhook", "team", "permanent"),
            1L);
  }

  @Test
  void restartSendsNothingTwiceAndLosesNoResolve() {
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"), firing("B"));
    await()
        .untilAsserted(
            () -> assertThat(hook.summary()).containsExactlyInAnyOrder("firing:A", "firing:B"));
    notifier.close();
    notifier = null;

    // Restart: same store, fresh everything else. Nothing is re-sent.
    RecordingIntegration before = hook;
    hook = new RecordingIntegration(true);
    start(config(Duration.ofHours(1), List.of()));
    assertThat(notifier.alerts()).hasSize(2);
    quietly();
    assertThat(hook.sent).isEmpty();
    assertThat(before.sent).hasSize(2);

    // B resolves; its resolve is sent.
    put(resolved("B"));
    await().untilAsserted(() -> assertThat(hook.summary()).containsExactly("resolved:B"));
  }

  @Test
  void invalidAlertsAreRefusedByName() {
    start(config(Duration.ofHours(1), List.of()));
    Notifier.Accepted r =
        notifier.put(
            List.of(
                new IncomingAlert(Labels.of("bad-name", "x"), Map.of(), null, null, ""),
                new IncomingAlert(
                    Labels.of("alertname", "X"),
                    Map.of(),
                    Instant.now(),
                    Instant.now().minusSeconds(10),
                    ""),
                firing("Ok")),
            Notifier.SOURCE_API);
    assertThat(r.errors()).hasSize(2);
    assertThat(r.errors().get(0)).contains("bad-name");
    assertThat(r.errors().get(1)).contains("before startsAt");
    assertThat(notifier.alerts()).hasSize(1);
  }

  @Test
  void manyGroupsFlushingAtOnceSendAtMostMaxConcurrentSendsAtATime() throws Exception {
    // 20 groups flush together; the integration holds every send until released.
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<String> delivered = new CopyOnWriteArrayList<>();
    Integration blocking =
        new Integration() {
          @Override
          public String name() {
            return "webhook";
          }

          @Override
          public int index() {
            return 0;
          }

          @Override
          public boolean sendResolved() {
            return true;
          }

          @Override
          public SendResult send(Notification n) throws InterruptedException {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              release.await();
              delivered.add(n.groupKey());
              return SendResult.success();
            } finally {
              inFlight.decrementAndGet();
            }
          }
        };
    PipelineConfig config =
        new PipelineConfig(
            new Route(
                "{}",
                List.of(),
                false,
                options(Duration.ofMinutes(5), Duration.ofHours(1)),
                List.of()),
            List.of(),
            Map.of(),
            Map.of("team", List.of(blocking)),
            Duration.ofMinutes(5),
            "");
    notifier =
        Notifier.start(
            store,
            config,
            NotifyOptions.DEFAULTS.withMaxConcurrentSends(3),
            InstantSource.system());
    IncomingAlert[] alerts = new IncomingAlert[20];
    for (int i = 0; i < alerts.length; i++) {
      alerts[i] = firing("A" + i);
    }
    put(alerts);
    NotifyStats.AttemptKey key = new NotifyStats.AttemptKey("webhook", "team");
    await()
        .untilAsserted(
            () -> {
              assertThat(notifier.stats().sendsInFlight()).containsEntry(key, 3L);
              assertThat(notifier.stats().sendsWaiting()).containsEntry(key, 17L);
            });
    release.countDown();
    await().untilAsserted(() -> assertThat(delivered).hasSize(20));
    assertThat(most.get()).isEqualTo(3);
    assertThat(notifier.stats().sendsWaitedTotal()).containsEntry(key, 17L);
    await()
        .untilAsserted(() -> assertThat(notifier.stats().sendsInFlight()).containsEntry(key, 0L));
  }

  @Test
  void labelNamesAreCheckedAsPrometheusDefinesThem() {
    // [a-zA-Z_][a-zA-Z0-9_]*, checked without a regex on the ingest path.
    for (String ok : List.of("a", "_", "alertname", "A_1", "__name__", "x9")) {
      assertThat(Notifier.validLabelName(ok)).as(ok).isTrue();
    }
    for (String bad : List.of("", "1a", "bad-name", "a.b", "é", "a b", "9")) {
      assertThat(Notifier.validLabelName(bad)).as(bad).isFalse();
    }
  }

  @Test
  void reportCountsFiringNotificationsAndAcks() {
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.sent).hasSize(1));
    notifier.ack(Fingerprint.of(Labels.of("alertname", "A")), "bob", "");
    List<AlertHistory.ReportLine> report =
        notifier.report(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    assertThat(report).hasSize(1);
    AlertHistory.ReportLine line = report.get(0);
    assertThat(line.alertname()).isEqualTo("A");
    assertThat(line.firing()).isEqualTo(1);
    assertThat(line.notifications()).isEqualTo(1);
    assertThat(line.notificationsAcked()).isEqualTo(1);
    assertThat(line.acks()).isEqualTo(1);
    assertThat(line.medianTimeToAckSeconds()).isNotNull();
    assertThat(line.ledToIncident()).isZero();
  }

  // ---- incident links ----

  static AlertHistory.ReportLine line(List<AlertHistory.ReportLine> report, String name) {
    return report.stream().filter(l -> l.alertname().equals(name)).findFirst().orElseThrow();
  }

  List<AlertHistoryEvent> history(String alertname) {
    return notifier
        .history()
        .query(
            List.of(LabelMatcher.of(LabelMatcher.Type.EQUAL, "alertname", alertname)),
            Instant.now().minusSeconds(600),
            Instant.now().plusSeconds(1));
  }

  @Test
  void ackCarryingAnIncidentLinksTheOccurrenceAndTheReportCountsItsNotifications() {
    start(config(Duration.ofHours(1), List.of()));
    Instant from = Instant.now().minusSeconds(1);
    put(firing("A"), firing("B"));
    await().untilAsserted(() -> assertThat(hook.sent).hasSize(2));
    long fpA = Fingerprint.of(Labels.of("alertname", "A"));

    Notifier.Acked acked = notifier.ack(fpA, "bob", "on it", "  INC-42 ");
    assertThat(acked.ack().ackedBy()).isEqualTo("bob");
    assertThat(acked.incident()).isNotNull();
    assertThat(acked.incident().incident()).isEqualTo("INC-42");
    assertThat(acked.incident().alertStartsAt())
        .isEqualTo(notifier.alert(fpA).startsAt().truncatedTo(ChronoUnit.MILLIS));
    assertThat(acked.incident().linkedBy()).isEqualTo("bob");

    Notifier.AlertView a =
        notifier.alerts().stream().filter(v -> v.alert().fingerprint() == fpA).findFirst().get();
    assertThat(a.incident()).isEqualTo(acked.incident());
    assertThat(store.incidentLinks().list()).containsExactly(acked.incident());
    // ACKED and INCIDENT share their millisecond, and the history orders ties by event id.
    assertThat(history("A"))
        .extracting(AlertHistoryEvent::event)
        .containsSubsequence(AlertHistoryEvent.Event.FIRING, AlertHistoryEvent.Event.NOTIFIED)
        .contains(AlertHistoryEvent.Event.ACKED, AlertHistoryEvent.Event.INCIDENT);
    AlertHistoryEvent linked =
        history("A").stream()
            .filter(e -> e.event() == AlertHistoryEvent.Event.INCIDENT)
            .findFirst()
            .orElseThrow();
    assertThat(linked.detail()).isEqualTo("INC-42");
    assertThat(linked.source()).isEqualTo("user");

    List<AlertHistory.ReportLine> report = notifier.report(from, Instant.now());
    assertThat(line(report, "A").notifications()).isEqualTo(1);
    assertThat(line(report, "A").ledToIncident()).isEqualTo(1);
    assertThat(line(report, "B").ledToIncident()).isZero();
  }

  @Test
  void badIncidentReferenceRefusesTheAckAndWritesNothing() {
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.sent).hasSize(1));
    long fp = Fingerprint.of(Labels.of("alertname", "A"));
    assertThatThrownBy(() -> notifier.ack(fp, "bob", "", "javascript://alert(1)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incident:")
        .hasMessageContaining("http(s) URL");
    assertThatThrownBy(() -> notifier.ack(fp, "bob", "", "INC\n42"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control character U+000A");
    assertThatThrownBy(() -> notifier.linkIncident(fp, " ", "bob"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incident: required");
    assertThat(notifier.alerts().get(0).ack()).isNull();
    assertThat(store.acks().list()).isEmpty();
    assertThat(store.incidentLinks().list()).isEmpty();
    assertThatThrownBy(() -> notifier.linkIncident(12345, "INC-1", "bob"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("0000000000003039");
  }

  @Test
  void groupAckWithAnIncidentLinksEveryAlertAcked() {
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A", "i", "1"), firing("A", "i", "2"));
    await().untilAsserted(() -> assertThat(hook.sent).isNotEmpty());
    String key = notifier.groups().get(0).key();
    List<Notifier.Acked> acked =
        notifier.ackGroup(key, "eve", "", "https://incidents.example.com/INC-7");
    assertThat(acked).hasSize(2);
    assertThat(acked)
        .extracting(x -> x.incident().incident())
        .containsOnly("https://incidents.example.com/INC-7");
    assertThat(store.incidentLinks().listByIncident("https://incidents.example.com/INC-7"))
        .hasSize(2);
    assertThat(notifier.alerts()).allSatisfy(v -> assertThat(v.incident()).isNotNull());
    assertThat(history("A"))
        .filteredOn(e -> e.event() == AlertHistoryEvent.Event.INCIDENT)
        .extracting(AlertHistoryEvent::groupKey)
        .containsOnly(key);
  }

  @Test
  void linkAfterTheAlertResolvedAndWasCollectedCountsForTheOccurrenceInTheReport() {
    notifier =
        Notifier.start(
            store,
            config(Duration.ofHours(1), List.of()),
            new NotifyOptions(
                "",
                Duration.ofDays(30),
                Duration.ofMinutes(2),
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                NotifyOptions.DEFAULT_MAX_CONCURRENT_SENDS),
            InstantSource.system());
    Instant from = Instant.now().minusSeconds(1);
    Instant startsAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
    put(new IncomingAlert(Labels.of("alertname", "A"), Map.of(), startsAt, null, ""));
    await().untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:A"));
    put(resolved("A"));
    await()
        .untilAsserted(() -> assertThat(hook.summary()).containsExactly("firing:A", "resolved:A"));
    long fp = Fingerprint.of(Labels.of("alertname", "A"));
    await().untilAsserted(() -> assertThat(notifier.alert(fp)).isNull());
    Instant to = Instant.now();
    List<AlertHistory.ReportLine> before = notifier.report(from, to);
    assertThat(line(before, "A").ledToIncident()).isZero();

    // The postmortem, a while later, ties the page to the incident it started.
    var link = notifier.linkIncident(fp, "INC-9", "carol");
    assertThat(link.alertStartsAt()).isEqualTo(startsAt);
    assertThat(link.alertname()).isEqualTo("A");
    assertThat(history("A").get(history("A").size() - 1).labels()).containsEntry("alertname", "A");

    // Both notifications (the page and its resolve) led to the incident, though the link came
    // after the end of the report's range.
    List<AlertHistory.ReportLine> after = notifier.report(from, to);
    assertThat(line(after, "A").notifications()).isEqualTo(2);
    assertThat(line(after, "A").ledToIncident()).isEqualTo(2);

    // A new occurrence after the range, linked to another incident, does not count for the range.
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.summary()).hasSize(3));
    notifier.linkIncident(fp, "INC-10", "carol");
    assertThat(line(notifier.report(from, to), "A").ledToIncident()).isEqualTo(2);
    assertThat(store.incidentLinks().list())
        .extracting(l -> l.incident())
        .containsExactly("INC-9", "INC-10");
  }

  @Test
  void incidentLinksSurviveARestart() {
    start(config(Duration.ofHours(1), List.of()));
    put(firing("A"));
    await().untilAsserted(() -> assertThat(hook.sent).hasSize(1));
    long fp = Fingerprint.of(Labels.of("alertname", "A"));
    var link = notifier.linkIncident(fp, "INC-5", "bob");
    notifier.close();
    notifier = null;
    hook = new RecordingIntegration(true);
    start(config(Duration.ofHours(1), List.of()));
    assertThat(notifier.alerts().get(0).incident()).isEqualTo(link);
    assertThat(notifier.alerts().get(0).ack()).as("a link is not an ack").isNull();
  }
}
