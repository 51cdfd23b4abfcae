package dev.nines.notify.dispatch;

import dev.nines.notify.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One aggregation group: the alerts of one route with the same group-label values, and the timers
 * that decide when they are flushed through the pipeline.
 *
 * <p>State machine (see docs/notify.md): a new group waits {@code group_wait} (or flushes at once
 * when an alert started more than {@code group_wait} ago), flushes, then flushes again every {@code
 * group_interval} after the previous flush ended; flushes never overlap. After a flush that every
 * integration handled, resolved alerts that did not change meanwhile leave the group; an empty
 * group is removed. The group's monitor guards its alerts and timer state, and is never held while
 * the pipeline runs.
 */
public final class AggregationGroup {
  private static final Logger log = LoggerFactory.getLogger(AggregationGroup.class);

  private final Dispatcher.GroupInfo info;
  private final Dispatcher dispatcher;
  private final Map<Long, Alert> alerts = new TreeMap<>(Long::compareUnsigned);
  private @Nullable ScheduledFuture<?> next;
  private boolean flushing;
  private boolean hasFlushed;
  private final Instant createdAt;

  AggregationGroup(Dispatcher.GroupInfo info, Dispatcher dispatcher) {
    this.info = info;
    this.dispatcher = dispatcher;
    this.createdAt = dispatcher.clock().instant();
  }

  /**
   * Starts the group's first timer, once the batch of alerts that created it is inserted:
   * group_wait, or at once when an alert started more than group_wait ago.
   */
  synchronized void start(Instant now) {
    if (next != null || hasFlushed || flushing) {
      return;
    }
    Duration wait = info.options().groupWait();
    for (Alert a : alerts.values()) {
      if (!a.startsAt().plus(wait).isAfter(now)) {
        wait = Duration.ZERO;
        break;
      }
    }
    schedule(wait);
  }

  /** The group's key, route and labels. */
  public Dispatcher.GroupInfo info() {
    return info;
  }

  /** When the group was created. */
  public Instant createdAt() {
    return createdAt;
  }

  synchronized void insert(Alert alert, Instant now) {
    alerts.put(alert.fingerprint(), alert);
    // An alert that started long ago need not wait: flush the new group now (Alertmanager does).
    Duration wait = info.options().groupWait();
    if (!hasFlushed && !flushing && !alert.startsAt().plus(wait).isAfter(now)) {
      if (next != null && next.getDelay(TimeUnit.NANOSECONDS) > 0 && next.cancel(false)) {
        schedule(Duration.ZERO);
      }
    }
  }

  /** A snapshot of the alerts, in fingerprint order. */
  public synchronized List<Alert> alerts() {
    return new ArrayList<>(alerts.values());
  }

  synchronized Set<Long> fingerprints() {
    return Set.copyOf(alerts.keySet());
  }

  synchronized boolean isEmpty() {
    return alerts.isEmpty();
  }

  synchronized void scheduleNext() {
    schedule(info.options().groupInterval());
  }

  synchronized void cancel() {
    if (next != null) {
      next.cancel(false);
    }
  }

  private void schedule(Duration delay) {
    if (dispatcher.closed()) {
      return;
    }
    next =
        dispatcher
            .timer()
            .schedule(
                () -> {
                  Thread.ofVirtual().name("notify-flush").start(this::flush);
                },
                Math.max(0, delay.toNanos()),
                TimeUnit.NANOSECONDS);
  }

  private void flush() {
    List<Alert> snapshot;
    synchronized (this) {
      if (flushing) {
        return;
      }
      flushing = true;
      snapshot = new ArrayList<>(alerts.values());
    }
    boolean ok = false;
    Instant now = dispatcher.clock().instant();
    try {
      ok = snapshot.isEmpty() || dispatcher.flusher().flush(info, snapshot, now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.atError()
          .addKeyValue("group", info.key())
          .addKeyValue("err", e.toString())
          .setCause(e)
          .log("flush failed");
    }
    synchronized (this) {
      flushing = false;
      hasFlushed = true;
      if (ok) {
        for (Alert a : snapshot) {
          // Drop resolved alerts that were handled and did not change during the flush.
          if (a.resolvedAt(now) && alerts.get(a.fingerprint()) == a) {
            alerts.remove(a.fingerprint());
          }
        }
      }
    }
    dispatcher.afterFlush(this);
  }

  @Override
  public String toString() {
    return "AggregationGroup[" + info.key() + ", " + alerts().size() + " alerts]";
  }

  /** Sorts groups by key. */
  public static final Comparator<AggregationGroup> BY_KEY =
      Comparator.comparing(g -> g.info().key());
}
