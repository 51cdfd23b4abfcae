package dev.nines.notify.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of one route after inheritance from its parents, as Alertmanager resolves them.
 *
 * @param receiver the receiver's name
 * @param groupBy the label names alerts are grouped by, in the order written
 * @param groupByAll whether {@code group_by: ['...']} was given: group by every label
 * @param groupWait how long a new group waits before its first notification (default 30s)
 * @param groupInterval how long a group waits before notifying about changes (default 5m)
 * @param repeatInterval how long before an unchanged group is notified again (default 4h)
 * @param muteTimeIntervals names of time intervals in which the route sends nothing
 * @param activeTimeIntervals names of time intervals outside which the route sends nothing; empty
 *     means always active
 */
public record RouteOptions(
    String receiver,
    List<String> groupBy,
    boolean groupByAll,
    Duration groupWait,
    Duration groupInterval,
    Duration repeatInterval,
    List<String> muteTimeIntervals,
    List<String> activeTimeIntervals) {

  /** Checks the fields; lists are copied. */
  public RouteOptions {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(groupWait, "groupWait");
    Objects.requireNonNull(groupInterval, "groupInterval");
    Objects.requireNonNull(repeatInterval, "repeatInterval");
    groupBy = List.copyOf(groupBy);
    muteTimeIntervals = List.copyOf(muteTimeIntervals);
    activeTimeIntervals = List.copyOf(activeTimeIntervals);
  }
}
