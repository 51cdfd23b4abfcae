package dev.nines.notify.dispatch;

import dev.nines.common.Labels;
import dev.nines.notify.Alert;
import dev.nines.notify.config.Route;
import dev.nines.notify.config.RouteOptions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Routes alerts through the route tree into aggregation groups, one group per route and set of
 * group-label values, keyed as Alertmanager keys them: {@code <route key>:<group labels>}.
 *
 * <p>Groups are created and removed inside {@link ConcurrentHashMap#compute}, so an insert never
 * lands in a group that is being removed. Each group runs its own timers on {@code timer} and its
 * flushes on virtual threads; see {@link AggregationGroup}.
 */
public final class Dispatcher implements AutoCloseable {
  /** What a group's flush calls: the notification pipeline. */
  @FunctionalInterface
  public interface Flusher {
    /**
     * Runs the pipeline for one group's alerts; returns true when every integration succeeded or
     * had nothing to send (then resolved alerts may leave the group). {@code now} is the flush's
     * time: an alert is resolved when its end is not after it.
     */
    boolean flush(GroupInfo group, List<Alert> alerts, java.time.Instant now)
        throws InterruptedException;
  }

  /**
   * What identifies a group.
   *
   * @param key the group key
   * @param route the route the group belongs to
   * @param groupLabels the label values it groups by
   */
  public record GroupInfo(String key, Route route, Labels groupLabels) {
    /** The route's options. */
    public RouteOptions options() {
      return route.options();
    }
  }

  private final Route root;
  private final Flusher flusher;
  private final ScheduledExecutorService timer;
  private final InstantSource clock;
  private final ConcurrentHashMap<String, AggregationGroup> groups = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** A dispatcher over the route tree {@code root}. */
  public Dispatcher(
      Route root, Flusher flusher, ScheduledExecutorService timer, InstantSource clock) {
    this.root = root;
    this.flusher = flusher;
    this.timer = timer;
    this.clock = clock;
  }

  /** The group key of an alert in {@code route}: Alertmanager's format. */
  public static String groupKey(Route route, Labels groupLabels) {
    return route.key() + ":" + groupLabels;
  }

  /** The labels {@code route} groups {@code labels} by. */
  public static Labels groupLabels(RouteOptions options, Labels labels) {
    if (options.groupByAll()) {
      return labels;
    }
    Labels.Builder b = Labels.builder();
    for (String name : options.groupBy()) {
      String v = labels.get(name);
      if (v != null) {
        b.set(name, v);
      }
    }
    return b.build();
  }

  /** Puts the alert into the group of every route it matches. */
  public void insert(Alert alert) {
    insertAll(List.of(alert));
  }

  /**
   * Puts each alert into the group of every route it matches. Groups created by this batch start
   * their timers only once the whole batch is in, so that alerts that arrive together (one rule
   * evaluation, one POST) are notified together even with {@code group_wait: 0s}.
   */
  public void insertAll(List<Alert> alerts) {
    if (closed) {
      return;
    }
    List<AggregationGroup> created = new ArrayList<>();
    java.time.Instant at = clock.instant();
    for (Alert alert : alerts) {
      for (Route route : root.match(alert.labels())) {
        Labels gl = groupLabels(route.options(), alert.labels());
        String key = groupKey(route, gl);
        groups.compute(
            key,
            (k, g) -> {
              AggregationGroup group = g;
              if (group == null) {
                group = new AggregationGroup(new GroupInfo(k, route, gl), this);
                created.add(group);
              }
              group.insert(alert, at);
              return group;
            });
      }
    }
    java.time.Instant now = clock.instant();
    for (AggregationGroup g : created) {
      g.start(now);
    }
  }

  /** The groups, in no particular order. */
  public List<AggregationGroup> groups() {
    return new ArrayList<>(groups.values());
  }

  /** The group with this key, or null. */
  public AggregationGroup group(String key) {
    return groups.get(key);
  }

  /** How many groups there are. */
  public int size() {
    return groups.size();
  }

  /** The fingerprints that some group holds. */
  public Set<Long> heldFingerprints() {
    Set<Long> out = new HashSet<>();
    for (AggregationGroup g : groups.values()) {
      out.addAll(g.fingerprints());
    }
    return out;
  }

  /** The receivers an alert with {@code labels} goes to, in route order. */
  public List<String> receivers(Labels labels) {
    List<String> out = new ArrayList<>();
    for (Route route : root.match(labels)) {
      if (!out.contains(route.options().receiver())) {
        out.add(route.options().receiver());
      }
    }
    return out;
  }

  Flusher flusher() {
    return flusher;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  InstantSource clock() {
    return clock;
  }

  boolean closed() {
    return closed;
  }

  /** After a flush: removes the group if it is empty, else schedules its next flush. */
  void afterFlush(AggregationGroup group) {
    groups.compute(
        group.info().key(),
        (k, g) -> {
          if (g != group) {
            return g;
          }
          if (group.isEmpty() || closed) {
            return null;
          }
          group.scheduleNext();
          return group;
        });
  }

  /** Stops every group's timers; flushes in progress finish but schedule nothing more. */
  @Override
  public void close() {
    closed = true;
    for (AggregationGroup g : groups.values()) {
      g.cancel();
    }
    groups.clear();
  }
}
