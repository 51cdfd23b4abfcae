package dev.nines.notify.config;

import java.time.Instant;

/**
 * A named set of times from {@code time_intervals} (or the older {@code mute_time_intervals}): the
 * union of its entries, each a conjunction of times of day, weekdays, days of month, months and
 * years in a location.
 */
@FunctionalInterface
public interface TimeInterval {
  /** Whether {@code t} falls inside this interval. */
  boolean contains(Instant t);
}
