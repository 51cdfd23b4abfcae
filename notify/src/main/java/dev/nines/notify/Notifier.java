package dev.nines.notify;

import dev.nines.common.Labels;
import dev.nines.notify.ack.Acks;
import dev.nines.notify.alert.AlertStore;
import dev.nines.notify.alert.IncomingAlert;
import dev.nines.notify.dispatch.AggregationGroup;
import dev.nines.notify.dispatch.Dispatcher;
import dev.nines.notify.history.AlertHistory;
import dev.nines.notify.incident.IncidentLinks;
import dev.nines.notify.inhibit.Inhibitor;
import dev.nines.notify.nflog.NotificationLog;
import dev.nines.notify.persist.BatchWriter;
import dev.nines.notify.pipeline.FlushContext;
import dev.nines.notify.pipeline.Marker;
import dev.nines.notify.pipeline.NotifyStats;
import dev.nines.notify.pipeline.Pipeline;
import dev.nines.notify.pipeline.SendLimiter;
import dev.nines.notify.silence.Silences;
import dev.nines.store.AlertAck;
import dev.nines.store.AlertHistoryEvent.Event;
import dev.nines.store.AlertIncidentLink;
import dev.nines.store.NotificationLogEntry;
import dev.nines.store.Store;
import dev.nines.store.StoredAlert;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification pipeline as one object: alerts in ({@link #put}), routed, grouped and flushed
 * through the {@link Pipeline}; silences, acknowledgements and history; reload ({@link #apply}).
 *
 * <p>What happens to an alert, in order: {@link AlertStore#put} merges it by fingerprint; a change
 * of state is recorded in the history (and a resolve ends its ack); the inhibitor's index sees the
 * new version; it is queued for persistence; the {@link Dispatcher} puts it into its groups, whose
 * timers flush them through the pipeline. A maintenance tick notices alerts resolved by time,
 * refreshes silence and inhibition marks, and collects what is no longer needed. See
 * docs/notify.md.
 */
public final class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  /** Where alerts come from, as recorded in the history. */
  public static final String SOURCE_RULES = "rules";

  /** Alerts posted to {@code /api/v2/alerts}. */
  public static final String SOURCE_API = "api";

  /** The parts that depend on the configuration, swapped together on reload. */
  private record Runtime(
      PipelineConfig config, Inhibitor inhibitor, Dispatcher dispatcher, Pipeline pipeline) {}

  /**
   * An alert write for the store: an upsert, or a delete when {@code alert} is null. Turned into a
   * {@link StoredAlert} on the writer's thread.
   */
  private record AlertWrite(long fingerprint, @Nullable Alert alert, String source) {}

  private final Store store;
  private final NotifyOptions options;
  private final InstantSource clock;
  private final Instant startedAt;
  private final AlertStore alerts = new AlertStore();
  private final Map<Long, Boolean> firing = new ConcurrentHashMap<>();
  private final Silences silences;
  private final Acks acks;
  private final IncidentLinks incidents;
  private final NotificationLog nflog;
  private final AlertHistory history;
  private final NotifyStats stats = new NotifyStats();
  private final SendLimiter limiter;
  private final Marker marker;
  private final BatchWriter<AlertWrite> alertWriter;
  private final ScheduledExecutorService timer;
  private final ScheduledExecutorService maintenance;
  private volatile Runtime runtime;

  private Notifier(Store store, PipelineConfig config, NotifyOptions options, InstantSource clock) {
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.silences = new Silences(store.silences());
    this.acks = new Acks(store.acks());
    this.incidents = new IncidentLinks(store.incidentLinks());
    this.nflog = new NotificationLog(store.notificationLog());
    this.history = new AlertHistory(store.alertHistory());
    this.marker = new Marker(this::marked);
    this.limiter = new SendLimiter(options.maxConcurrentSends(), stats);
    this.alertWriter = new BatchWriter<>("alerts", this::writeAlerts);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("notify-timer").daemon().unstarted(r));
    // Maintenance walks every alert; on its own thread it never delays a group's timer.
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("notify-maintenance").daemon().unstarted(r));
    this.runtime = runtime(config);
  }

  /**
   * Starts the pipeline: loads silences, acks, the notification log and the alerts from the store,
   * dispatches the alerts and starts the maintenance ticks.
   */
  public static Notifier start(
      Store store, PipelineConfig config, NotifyOptions options, InstantSource clock) {
    Notifier n = new Notifier(store, config, options, clock);
    n.restore();
    long tick = options.maintenanceInterval().toMillis();
    n.maintenance.scheduleWithFixedDelay(n::maintain, tick, tick, TimeUnit.MILLISECONDS);
    long gc = options.gcInterval().toMillis();
    n.maintenance.scheduleWithFixedDelay(n::collect, 0, gc, TimeUnit.MILLISECONDS);
    return n;
  }

  private Runtime runtime(PipelineConfig config) {
    Inhibitor inhibitor = new Inhibitor(config.inhibitRules());
    Pipeline pipeline =
        Pipeline.build(
            new Pipeline.Parts(
                config.timeIntervals(),
                inhibitor,
                silences,
                marker,
                nflog,
                acks,
                history,
                stats,
                limiter,
                clock,
                options.retryBase(),
                options.retryCap(),
                options.historyRetention()));
    Dispatcher dispatcher =
        new Dispatcher(
            config.route(),
            (group, groupAlerts, now) -> flush(config, pipeline, group, groupAlerts, now),
            timer,
            clock);
    return new Runtime(config, inhibitor, dispatcher, pipeline);
  }

  private boolean flush(
      PipelineConfig config,
      Pipeline pipeline,
      Dispatcher.GroupInfo group,
      List<Alert> groupAlerts,
      Instant now)
      throws InterruptedException {
    List<Integration> integrations =
        config.receivers().getOrDefault(group.options().receiver(), List.of());
    FlushContext ctx =
        new FlushContext(
            group.key(),
            group.groupLabels(),
            group.options(),
            integrations,
            now,
            now.plus(group.options().groupInterval()),
            options.externalUrl());
    return pipeline.run(ctx, groupAlerts);
  }

  // ---- alerts in ----

  /**
   * Takes alerts from a sender. Valid alerts are processed even when others are refused.
   *
   * @return one message per refused alert (empty when all were taken), and a future that completes
   *     when the taken alerts are persisted
   */
  public Accepted put(List<IncomingAlert> incoming, String source) {
    Instant now = clock.instant();
    Runtime rt = runtime;
    List<String> errors = new ArrayList<>();
    Taken taken = new Taken(incoming.size());
    for (IncomingAlert in : incoming) {
      Alert alert;
      try {
        validate(in.labels());
        alert = AlertStore.normalise(in, now, rt.config().resolveTimeout());
      } catch (IllegalArgumentException e) {
        stats.invalid();
        errors.add(e.getMessage());
        continue;
      }
      take(rt, alert, source, now, taken);
    }
    // One queue item per writer for the whole batch; the alerts go to their groups right after.
    history.recordAll(taken.events);
    CompletableFuture<Void> persisted = alertWriter.submitAll(taken.writes);
    rt.dispatcher().insertAll(taken.alerts);
    return new Accepted(errors, persisted);
  }

  /** What one {@link #put} collects: the alerts as held, their writes and history events. */
  private static final class Taken {
    final List<Alert> alerts;
    final List<AlertWrite> writes;
    final List<AlertHistory.Change> events = new ArrayList<>();

    Taken(int n) {
      alerts = new ArrayList<>(n);
      writes = new ArrayList<>(n);
    }
  }

  /**
   * The outcome of {@link #put}.
   *
   * @param errors messages naming each refused alert
   * @param persisted completes when the taken alerts are in the store
   */
  public record Accepted(List<String> errors, CompletableFuture<Void> persisted) {}

  private static void validate(Labels labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("at least one label pair required");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (!validLabelName(labels.name(i))) {
        throw new IllegalArgumentException(
            "invalid label set: invalid name \"" + labels.name(i) + "\"");
      }
    }
  }

  /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, checked by hand: this runs for every label of every alert. */
  static boolean validLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private void take(Runtime rt, Alert alert, String source, Instant now, Taken taken) {
    AlertStore.PutResult r = alerts.put(alert, source, now);
    Alert held = r.alert();
    long fp = held.fingerprint();
    boolean firingNow = !held.resolvedAt(now);
    stats.received(!alert.resolvedAt(now));
    switch (r.change()) {
      case FIRING ->
          taken.events.add(
              new AlertHistory.Change(
                  held, Event.FIRING, source, null, AlertHistory.firingDetail(held), now));
      case RESOLVED -> resolved(held, source, now, taken.events);
      case UNCHANGED, RESOLVED_UNSEEN -> {}
    }
    firing.put(fp, firingNow);
    rt.inhibitor().observe(held);
    taken.writes.add(new AlertWrite(fp, held, source));
    taken.alerts.add(held);
  }

  private void resolved(Alert alert, String source, Instant now, List<AlertHistory.Change> out) {
    out.add(new AlertHistory.Change(alert, Event.RESOLVED, source, null, "", now));
    for (AlertAck ended : acks.end(List.of(alert.fingerprint()))) {
      out.add(
          new AlertHistory.Change(alert, Event.UNACKED, source, ended.groupKey(), "resolved", now));
    }
  }

  private static StoredAlert stored(Alert a, String source) {
    Map<String, String> labels = new HashMap<>();
    a.labels().forEach(labels::put);
    return new StoredAlert(
        a.fingerprint(),
        labels,
        a.annotations(),
        a.startsAt(),
        a.endsAt(),
        a.generatorUrl(),
        a.updatedAt(),
        a.timeout(),
        source);
  }

  private void writeAlerts(List<AlertWrite> writes) {
    Map<Long, AlertWrite> last = new LinkedHashMap<>();
    for (AlertWrite w : writes) {
      last.put(w.fingerprint(), w);
    }
    List<StoredAlert> upserts = new ArrayList<>();
    List<Long> deletes = new ArrayList<>();
    last.forEach(
        (fp, w) -> {
          Alert a = w.alert();
          if (a == null) {
            deletes.add(fp);
          } else {
            upserts.add(stored(a, w.source()));
          }
        });
    store.notifyAlerts().apply(upserts, deletes);
  }

  // ---- restart ----

  private void restore() {
    Instant now = clock.instant();
    Set<Long> notifiedFiring = new HashSet<>();
    for (NotificationLogEntry e : nflog.list()) {
      notifiedFiring.addAll(e.firingAlerts());
    }
    Runtime rt = runtime;
    int n = 0;
    for (StoredAlert s : store.notifyAlerts().list()) {
      Labels.Builder b = Labels.builder();
      s.labels().forEach(b::set);
      Alert a =
          new Alert(
              b.build(),
              s.annotations(),
              s.startsAt(),
              s.endsAt(),
              s.generatorUrl(),
              s.updatedAt(),
              s.timeout());
      if (a.resolvedAt(now) && notifiedFiring.contains(a.fingerprint())) {
        // Receivers were told it fires and its end passed while we were down: give its sender
        // time to refresh it before it counts as resolved.
        a =
            new Alert(
                a.labels(),
                a.annotations(),
                a.startsAt(),
                now.plus(options.restartGrace()),
                a.generatorUrl(),
                a.updatedAt(),
                true);
      }
      alerts.restore(a, s.source());
      firing.put(a.fingerprint(), !a.resolvedAt(now));
      rt.inhibitor().observe(a);
      n++;
    }
    rt.dispatcher().insertAll(alerts.list());
    log.atInfo()
        .addKeyValue("alerts", n)
        .addKeyValue("silences", silences.list().size())
        .addKeyValue("acks", acks.size())
        .addKeyValue("nflog_entries", nflog.list().size())
        .log("notify state restored");
  }

  // ---- maintenance ----

  private void maintain() {
    try {
      Instant now = clock.instant();
      Runtime rt = runtime;
      List<AlertHistory.Change> events = new ArrayList<>();
      for (Alert a : alerts.list()) {
        long fp = a.fingerprint();
        if (a.resolvedAt(now) && Boolean.TRUE.equals(firing.get(fp))) {
          firing.put(fp, false);
          resolved(a, "time", now, events);
        }
        if (!a.resolvedAt(now)) {
          marker.silenced(a, silences.mutedBy(a.labels(), now));
          marker.inhibited(a, rt.inhibitor().mutedBy(a, now));
        }
      }
      history.recordAll(events);
    } catch (RuntimeException e) {
      log.atError().addKeyValue("err", e.toString()).setCause(e).log("notify maintenance failed");
    }
  }

  private void collect() {
    try {
      Instant now = clock.instant();
      Runtime rt = runtime;
      Set<Long> held = rt.dispatcher().heldFingerprints();
      for (Alert a : alerts.collect(now, held::contains)) {
        long fp = a.fingerprint();
        rt.inhibitor().forget(a);
        marker.delete(fp);
        firing.remove(fp);
        alertWriter.submit(new AlertWrite(fp, null, ""));
      }
      Instant horizon = now.minus(options.historyRetention());
      silences.collect(horizon);
      nflog.collect(now);
      history.collect(horizon);
      incidents.collect(horizon);
    } catch (RuntimeException e) {
      log.atError().addKeyValue("err", e.toString()).setCause(e).log("notify collection failed");
    }
  }

  private void marked(Alert alert, Marker.Status before, Marker.Status after) {
    Instant now = clock.instant();
    if (before.silencedBy().isEmpty() != after.silencedBy().isEmpty()) {
      history.record(
          alert,
          after.silencedBy().isEmpty() ? Event.UNSILENCED : Event.SILENCED,
          "pipeline",
          null,
          String.join(",", after.silencedBy().isEmpty() ? before.silencedBy() : after.silencedBy()),
          now);
    }
    if (before.inhibitedBy().isEmpty() != after.inhibitedBy().isEmpty()) {
      List<Long> by = after.inhibitedBy().isEmpty() ? before.inhibitedBy() : after.inhibitedBy();
      history.record(
          alert,
          after.inhibitedBy().isEmpty() ? Event.UNINHIBITED : Event.INHIBITED,
          "pipeline",
          null,
          String.join(",", by.stream().map(Fingerprint::hex).toList()),
          now);
    }
  }

  // ---- reload ----

  /**
   * Applies a new configuration: new routes, inhibition rules, time intervals and receivers. The
   * alerts held are dispatched into the new groups; the notification log makes sure nothing that
   * was sent is sent again.
   */
  public synchronized void apply(PipelineConfig config) {
    Runtime old = runtime;
    Runtime next = runtime(config);
    for (Alert a : alerts.list()) {
      next.inhibitor().observe(a);
    }
    runtime = next;
    old.dispatcher().close();
    next.dispatcher().insertAll(alerts.list());
  }

  /** The configuration in force. */
  public PipelineConfig config() {
    return runtime.config();
  }

  // ---- reads ----

  /**
   * An alert as the API shows it.
   *
   * @param alert the alert
   * @param receivers the receivers it is routed to
   * @param silencedBy ids of the active silences that match it
   * @param inhibitedBy fingerprints of the alerts that inhibit it
   * @param ack its ack, if acked
   * @param incident the incident this occurrence is linked to, if any
   */
  public record AlertView(
      Alert alert,
      List<String> receivers,
      List<String> silencedBy,
      List<Long> inhibitedBy,
      @Nullable AlertAck ack,
      @Nullable AlertIncidentLink incident) {
    /** {@code suppressed} when silenced or inhibited, else {@code active}. */
    public String state() {
      return silencedBy.isEmpty() && inhibitedBy.isEmpty() ? "active" : "suppressed";
    }
  }

  /** Every alert held, firing and resolved, by fingerprint. */
  public List<AlertView> alerts() {
    Instant now = clock.instant();
    Runtime rt = runtime;
    List<AlertView> out = new ArrayList<>();
    List<Alert> list = alerts.list();
    list.sort((a, b) -> Long.compareUnsigned(a.fingerprint(), b.fingerprint()));
    for (Alert a : list) {
      out.add(view(rt, a, now));
    }
    return out;
  }

  private AlertView view(Runtime rt, Alert a, Instant now) {
    boolean active = !a.resolvedAt(now);
    return new AlertView(
        a,
        rt.dispatcher().receivers(a.labels()),
        active ? silences.mutedBy(a.labels(), now) : List.of(),
        active ? rt.inhibitor().mutedBy(a, now) : List.of(),
        acks.of(a),
        incidents.of(a.fingerprint(), a.startsAt()));
  }

  /**
   * An aggregation group as the API shows it.
   *
   * @param key the group key
   * @param labels the group labels
   * @param receiver the route's receiver
   * @param alerts its alerts
   */
  public record GroupView(String key, Labels labels, String receiver, List<AlertView> alerts) {}

  /** Every aggregation group, by key. */
  public List<GroupView> groups() {
    Instant now = clock.instant();
    Runtime rt = runtime;
    List<AggregationGroup> groups = rt.dispatcher().groups();
    groups.sort(AggregationGroup.BY_KEY);
    List<GroupView> out = new ArrayList<>();
    for (AggregationGroup g : groups) {
      List<AlertView> views = new ArrayList<>();
      for (Alert a : g.alerts()) {
        views.add(view(rt, a, now));
      }
      out.add(
          new GroupView(
              g.info().key(), g.info().groupLabels(), g.info().options().receiver(), views));
    }
    return out;
  }

  /** How many aggregation groups there are. */
  public int groupCount() {
    return runtime.dispatcher().size();
  }

  /** The alert with this fingerprint, or null. */
  public @Nullable Alert alert(long fingerprint) {
    return alerts.get(fingerprint);
  }

  // ---- acks and incident links ----

  /**
   * An acknowledgement as written.
   *
   * @param ack the ack
   * @param incident the incident link written with it, or null when the ack named none
   */
  public record Acked(AlertAck ack, @Nullable AlertIncidentLink incident) {}

  /**
   * Acknowledges one firing alert.
   *
   * @throws NoSuchElementException when no alert with this fingerprint is firing
   */
  public AlertAck ack(long fingerprint, String by, String comment) {
    return ack(fingerprint, by, comment, null).ack();
  }

  /**
   * Acknowledges one firing alert and, when {@code incident} is given, links its occurrence to that
   * incident. The reference is checked before anything is written.
   *
   * @throws IllegalArgumentException when {@code incident} is given but not an id or http(s) URL
   * @throws NoSuchElementException when no alert with this fingerprint is firing
   */
  public Acked ack(long fingerprint, String by, String comment, @Nullable String incident) {
    String ref = incident == null ? null : IncidentLinks.validate(incident);
    Instant now = clock.instant();
    Alert a = alerts.get(fingerprint);
    if (a == null || a.resolvedAt(now)) {
      throw new NoSuchElementException(
          "no firing alert with fingerprint " + Fingerprint.hex(fingerprint));
    }
    AlertAck ack = acks.ack(List.of(a), by, comment, null, now).get(0);
    history.record(a, Event.ACKED, "user", null, by, now);
    List<AlertIncidentLink> links = ref == null ? List.of() : link(List.of(a), ref, by, null, now);
    return new Acked(ack, links.isEmpty() ? null : links.get(0));
  }

  /**
   * Acknowledges every alert firing in the group now.
   *
   * @throws NoSuchElementException when there is no group with this key
   */
  public List<AlertAck> ackGroup(String groupKey, String by, String comment) {
    return ackGroup(groupKey, by, comment, null).stream().map(Acked::ack).toList();
  }

  /**
   * Acknowledges every alert firing in the group now and, when {@code incident} is given, links
   * each of their occurrences to that incident.
   *
   * @throws IllegalArgumentException when {@code incident} is given but not an id or http(s) URL
   * @throws NoSuchElementException when there is no group with this key
   */
  public List<Acked> ackGroup(
      String groupKey, String by, String comment, @Nullable String incident) {
    String ref = incident == null ? null : IncidentLinks.validate(incident);
    Instant now = clock.instant();
    AggregationGroup g = runtime.dispatcher().group(groupKey);
    if (g == null) {
      throw new NoSuchElementException("no aggregation group with key " + groupKey);
    }
    List<Alert> firingNow = g.alerts().stream().filter(a -> !a.resolvedAt(now)).toList();
    List<AlertAck> written = acks.ack(firingNow, by, comment, groupKey, now);
    for (Alert a : firingNow) {
      history.record(a, Event.ACKED, "user", groupKey, by, now);
    }
    List<AlertIncidentLink> links =
        ref == null ? List.of() : link(firingNow, ref, by, groupKey, now);
    List<Acked> out = new ArrayList<>(written.size());
    for (int i = 0; i < written.size(); i++) {
      out.add(new Acked(written.get(i), links.isEmpty() ? null : links.get(i)));
    }
    return out;
  }

  /**
   * Links an alert's current occurrence (or, once the alert is no longer held, its last occurrence
   * in the history) to an incident, replacing any incident it was linked to. Unlike an ack this
   * works after the alert resolved: incidents are often tied to an alert later. A later incidents
   * module writes the same link when an incident is declared from an alert.
   *
   * @throws IllegalArgumentException when {@code incident} is not an id or http(s) URL
   * @throws NoSuchElementException when neither the notifier nor the history knows the fingerprint
   */
  public AlertIncidentLink linkIncident(long fingerprint, String incident, String by) {
    String ref = IncidentLinks.validate(incident);
    Instant now = clock.instant();
    Alert a = alerts.get(fingerprint);
    if (a != null) {
      return link(List.of(a), ref, by, null, now).get(0);
    }
    AlertHistory.Occurrence o =
        history
            .lastOccurrence(fingerprint)
            .orElseThrow(
                () ->
                    new NoSuchElementException(
                        "no alert with fingerprint "
                            + Fingerprint.hex(fingerprint)
                            + " is held or in the alert history"));
    AlertIncidentLink l =
        incidents
            .link(
                List.of(new IncidentLinks.Occurrence(fingerprint, o.startsAt(), o.alertname())),
                ref,
                by,
                now)
            .get(0);
    history.record(fingerprint, o.labels(), Event.INCIDENT, "user", null, ref, now);
    return l;
  }

  private List<AlertIncidentLink> link(
      List<Alert> list, String ref, String by, @Nullable String groupKey, Instant now) {
    List<AlertIncidentLink> links =
        incidents.link(
            list.stream()
                .map(
                    a ->
                        new IncidentLinks.Occurrence(
                            a.fingerprint(), a.startsAt(), a.label("alertname")))
                .toList(),
            ref,
            by,
            now);
    for (Alert a : list) {
      history.record(a, Event.INCIDENT, "user", groupKey, ref, now);
    }
    return links;
  }

  /** The noise report over {@code [from, to]}, counting incident links made up to now. */
  public List<AlertHistory.ReportLine> report(Instant from, Instant to) {
    return history.report(from, to, clock.instant());
  }

  // ---- parts ----

  /** The silences. */
  public Silences silences() {
    return silences;
  }

  /** The alert history. */
  public AlertHistory history() {
    return history;
  }

  /** The counters. */
  public NotifyStats stats() {
    return stats;
  }

  /** The notification log. */
  public NotificationLog notificationLog() {
    return nflog;
  }

  /** When this notifier started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** The options in force. */
  public NotifyOptions options() {
    return options;
  }

  /** Failed writes of notify state to the store so far. */
  public long storeWriteFailures() {
    return alertWriter.failures() + nflog.writeFailures() + history.writeFailures();
  }

  /** Stops the timers and groups, then writes what is queued. */
  @Override
  public void close() {
    maintenance.shutdownNow();
    timer.shutdownNow();
    runtime.dispatcher().close();
    alertWriter.close();
    nflog.close();
    history.close();
  }
}
