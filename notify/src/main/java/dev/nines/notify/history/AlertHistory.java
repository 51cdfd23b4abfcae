package dev.nines.notify.history;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.notify.Alert;
import dev.nines.notify.persist.BatchWriter;
import dev.nines.store.AlertHistoryEvent;
import dev.nines.store.AlertHistoryEvent.Event;
import dev.nines.store.AlertHistoryRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The alert history: every state change of every alert, appended to the store in batches, read back
 * by time and matchers, and summarised in the noise report.
 */
public final class AlertHistory implements AutoCloseable {
  /** The most events one query returns. */
  public static final int MAX_EVENTS = 10_000;

  /**
   * One event to record: what {@link #record} takes, turned into an {@link AlertHistoryEvent} (id,
   * label map) on the writer's thread rather than the caller's.
   *
   * @param fingerprint the alert's fingerprint
   * @param labels the alert's labels
   * @param event what happened
   * @param source who caused it
   * @param groupKey the aggregation group, where one is involved
   * @param detail e.g. silence ids, the receiver and integration, who acked
   * @param at when it happened
   */
  public record Change(
      long fingerprint,
      Labels labels,
      Event event,
      String source,
      @Nullable String groupKey,
      String detail,
      Instant at) {
    /** A change of a held alert. */
    public Change(
        Alert alert,
        Event event,
        String source,
        @Nullable String groupKey,
        String detail,
        Instant at) {
      this(alert.fingerprint(), alert.labels(), event, source, groupKey, detail, at);
    }
  }

  private final AlertHistoryRepository repository;
  private final BatchWriter<Change> writer;
  private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  /** A history over this repository. */
  public AlertHistory(AlertHistoryRepository repository) {
    this.repository = repository;
    this.writer = new BatchWriter<>("history", changes -> repository.appendAll(events(changes)));
  }

  /** Records one event about {@code alert}. */
  public void record(
      Alert alert,
      Event event,
      String source,
      @Nullable String groupKey,
      String detail,
      Instant at) {
    recordAll(List.of(new Change(alert, event, source, groupKey, detail, at)));
  }

  /**
   * Records one event about an alert known by its fingerprint and labels only (an occurrence the
   * alert store no longer holds).
   */
  public void record(
      long fingerprint,
      Map<String, String> labels,
      Event event,
      String source,
      @Nullable String groupKey,
      String detail,
      Instant at) {
    Labels.Builder b = Labels.builder();
    labels.forEach(b::set);
    recordAll(List.of(new Change(fingerprint, b.build(), event, source, groupKey, detail, at)));
  }

  /** Records several events, queued together (one rule evaluation's, one flush's). */
  public void recordAll(List<Change> changes) {
    if (!changes.isEmpty()) {
      last = writer.submitAll(changes);
    }
  }

  private static List<AlertHistoryEvent> events(List<Change> changes) {
    List<AlertHistoryEvent> out = new ArrayList<>(changes.size());
    for (Change c : changes) {
      String alertname = c.labels().get("alertname");
      out.add(
          new AlertHistoryEvent(
              AlertHistoryEvent.newId(),
              c.at(),
              c.fingerprint(),
              alertname == null ? "" : alertname,
              labelMap(c.labels()),
              c.event(),
              c.source(),
              c.groupKey(),
              c.detail()));
    }
    return out;
  }

  /** The detail of a {@code FIRING} event: the occurrence's {@code startsAt} in RFC 3339. */
  public static String firingDetail(Alert alert) {
    return alert.startsAt().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /**
   * The newest occurrence of an alert the history still holds.
   *
   * @param fingerprint the alert's fingerprint
   * @param startsAt the occurrence's {@code startsAt} (the {@code FIRING} event's time for events
   *     written before the event carried it)
   * @param alertname the alert's {@code alertname}
   * @param labels the alert's labels
   */
  public record Occurrence(
      long fingerprint, Instant startsAt, String alertname, Map<String, String> labels) {}

  /** The newest occurrence of this fingerprint, from its last {@code FIRING} event. */
  public Optional<Occurrence> lastOccurrence(long fingerprint) {
    awaitWrites();
    return repository
        .last(fingerprint, Event.FIRING)
        .map(
            e -> {
              Instant startsAt;
              try {
                startsAt = Instant.parse(e.detail());
              } catch (DateTimeParseException ex) {
                startsAt = e.at();
              }
              return new Occurrence(e.fingerprint(), startsAt, e.alertname(), e.labels());
            });
  }

  /**
   * The events with {@code from <= at <= to} about alerts matching every matcher, oldest first, at
   * most {@link #MAX_EVENTS}. Waits (briefly) for queued events to be written first.
   */
  public List<AlertHistoryEvent> query(List<LabelMatcher> matchers, Instant from, Instant to) {
    awaitWrites();
    List<AlertHistoryEvent> out = new ArrayList<>();
    for (AlertHistoryEvent e : repository.list(from, to, MAX_EVENTS * 10)) {
      if (matches(matchers, e.labels())) {
        out.add(e);
        if (out.size() == MAX_EVENTS) {
          break;
        }
      }
    }
    return out;
  }

  private void awaitWrites() {
    try {
      last.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // a failed or slow write: read what is there
    }
  }

  private static boolean matches(List<LabelMatcher> matchers, Map<String, String> labels) {
    for (LabelMatcher m : matchers) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * One line of the noise report: one alert name.
   *
   * @param alertname the {@code alertname} label
   * @param firing how many times an alert of this name started firing
   * @param notifications how many notifications carried it (per receiver integration)
   * @param notificationsAcked of those, how many were of an occurrence that was acked later
   * @param acks how many occurrences were acked
   * @param medianTimeToAckSeconds the median time from firing to ack, or null without acks
   * @param maxTimeToAckSeconds the longest time from firing to ack, or null without acks
   * @param ledToIncident of the notifications, how many were of an occurrence linked to an
   *     incident, in the range or at any time after it
   */
  public record ReportLine(
      String alertname,
      long firing,
      long notifications,
      long notificationsAcked,
      long acks,
      @Nullable Double medianTimeToAckSeconds,
      @Nullable Double maxTimeToAckSeconds,
      long ledToIncident) {}

  /**
   * The noise report over the events in {@code [from, to]}, one line per alert name, by name.
   * Incident links made after {@code to} (up to {@code now}) still count for the occurrences in the
   * range: an incident is often declared, or tied to an alert, later.
   *
   * <p>An occurrence runs from a {@code FIRING} event to the next one of its fingerprint; a link
   * ({@code INCIDENT}) belongs to the occurrence running when it was made, which is the one the
   * notifier links (the alert's current or last occurrence).
   */
  public List<ReportLine> report(Instant from, Instant to, Instant now) {
    awaitWrites();
    List<AlertHistoryEvent> events = repository.list(from, to, Integer.MAX_VALUE);
    List<AlertHistoryEvent> later =
        now.isAfter(to)
            ? repository.list(
                to.plusMillis(1), now, Integer.MAX_VALUE, List.of(Event.FIRING, Event.INCIDENT))
            : List.of();
    record Tally(long[] counts, List<Double> ttas) {}
    Map<String, Tally> byName = new TreeMap<>();
    Map<Long, Instant> firingSince = new HashMap<>();
    Map<Long, Integer> pendingNotifications = new HashMap<>();
    Map<Long, Occ> current = new HashMap<>();
    List<Occ> occurrences = new ArrayList<>();
    for (AlertHistoryEvent e : events) {
      Tally t =
          byName.computeIfAbsent(e.alertname(), k -> new Tally(new long[4], new ArrayList<>()));
      long fp = e.fingerprint();
      switch (e.event()) {
        case FIRING -> {
          t.counts()[0]++;
          firingSince.put(fp, e.at());
          pendingNotifications.put(fp, 0);
          Occ o = new Occ(e.alertname());
          current.put(fp, o);
          occurrences.add(o);
        }
        case NOTIFIED -> {
          t.counts()[1]++;
          pendingNotifications.merge(fp, 1, Integer::sum);
          occurrence(current, occurrences, e).notifications++;
        }
        case ACKED -> {
          t.counts()[3]++;
          Integer n = pendingNotifications.put(fp, 0);
          t.counts()[2] += n == null ? 0 : n;
          Instant since = firingSince.get(fp);
          if (since != null) {
            t.ttas().add(Duration.between(since, e.at()).toMillis() / 1000.0);
          }
        }
        case INCIDENT -> occurrence(current, occurrences, e).linked = true;
        case RESOLVED -> pendingNotifications.remove(fp);
        default -> {}
      }
    }
    for (AlertHistoryEvent e : later) {
      if (e.event() == Event.FIRING) {
        current.remove(e.fingerprint()); // a new occurrence, outside the range
      } else {
        Occ o = current.get(e.fingerprint());
        if (o != null) {
          o.linked = true;
        }
      }
    }
    Map<String, Long> ledToIncident = new HashMap<>();
    for (Occ o : occurrences) {
      if (o.linked) {
        ledToIncident.merge(o.alertname, o.notifications, Long::sum);
      }
    }
    List<ReportLine> out = new ArrayList<>();
    byName.forEach(
        (name, t) -> {
          List<Double> ttas = t.ttas();
          ttas.sort(null);
          Double median = ttas.isEmpty() ? null : ttas.get((ttas.size() - 1) / 2);
          Double max = ttas.isEmpty() ? null : ttas.get(ttas.size() - 1);
          out.add(
              new ReportLine(
                  name,
                  t.counts()[0],
                  t.counts()[1],
                  t.counts()[2],
                  t.counts()[3],
                  median,
                  max,
                  ledToIncident.getOrDefault(name, 0L)));
        });
    return out;
  }

  /** What the report needs of one occurrence of an alert. */
  private static final class Occ {
    final String alertname;
    long notifications;
    boolean linked;

    Occ(String alertname) {
      this.alertname = alertname;
    }
  }

  /**
   * The occurrence running for {@code e}'s fingerprint; one that began before the range if none.
   */
  private static Occ occurrence(
      Map<Long, Occ> current, List<Occ> occurrences, AlertHistoryEvent e) {
    Occ o = current.get(e.fingerprint());
    if (o == null) {
      o = new Occ(e.alertname());
      current.put(e.fingerprint(), o);
      occurrences.add(o);
    }
    return o;
  }

  /**
   * Deletes events older than {@code before}.
   *
   * @return how many
   */
  public int collect(Instant before) {
    return repository.deleteBefore(before);
  }

  /** Failed batch writes so far. */
  public long writeFailures() {
    return writer.failures();
  }

  static Map<String, String> labelMap(Labels labels) {
    Map<String, String> m = new HashMap<>();
    labels.forEach(m::put);
    return m;
  }

  @Override
  public void close() {
    writer.close();
  }
}
