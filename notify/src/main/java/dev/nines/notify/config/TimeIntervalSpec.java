package dev.nines.notify.config;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A {@link TimeInterval} as written in {@code time_intervals}: the union of its periods.
 *
 * @param name the interval's name
 * @param periods the entries of its {@code time_intervals} list; an interval with none never
 *     matches
 */
public record TimeIntervalSpec(String name, List<Period> periods) implements TimeInterval {

  /** Copies the list. */
  public TimeIntervalSpec {
    periods = List.copyOf(periods);
  }

  @Override
  public boolean contains(Instant t) {
    for (Period p : periods) {
      if (p.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * An inclusive range of numbers; for times of day, minutes since midnight with an exclusive end.
   *
   * @param begin the first value
   * @param end the last value (for times, the first minute not included)
   */
  public record Range(int begin, int end) {}

  /**
   * One entry of an interval: every list that is not empty must contain the time (an empty list
   * matches everything), seen in {@code location}.
   *
   * @param times minutes of the day, {@code [begin, end)}
   * @param weekdays 0 = Sunday ... 6 = Saturday, inclusive
   * @param daysOfMonth 1..31, or negative counting from the month's end (-1 = last day)
   * @param months 1..12
   * @param years years
   * @param location the zone the time is seen in (default UTC)
   */
  public record Period(
      List<Range> times,
      List<Range> weekdays,
      List<Range> daysOfMonth,
      List<Range> months,
      List<Range> years,
      ZoneId location) {

    /** Copies the lists. */
    public Period {
      times = List.copyOf(times);
      weekdays = List.copyOf(weekdays);
      daysOfMonth = List.copyOf(daysOfMonth);
      months = List.copyOf(months);
      years = List.copyOf(years);
    }

    /** Whether {@code instant} is inside this period. */
    public boolean contains(Instant instant) {
      ZonedDateTime t = instant.atZone(location);
      if (!times.isEmpty()) {
        int minute = t.getHour() * 60 + t.getMinute();
        if (times.stream().noneMatch(r -> minute >= r.begin() && minute < r.end())) {
          return false;
        }
      }
      if (!daysOfMonth.isEmpty()) {
        int days = YearMonth.from(t).lengthOfMonth();
        int day = t.getDayOfMonth();
        boolean in = false;
        for (Range r : daysOfMonth) {
          int begin = r.begin() < 0 ? days + r.begin() + 1 : r.begin();
          int end = r.end() < 0 ? days + r.end() + 1 : r.end();
          begin = Math.max(begin, 1);
          end = Math.min(end, days);
          if (day >= begin && day <= end) {
            in = true;
            break;
          }
        }
        if (!in) {
          return false;
        }
      }
      int weekday = t.getDayOfWeek().getValue() % 7;
      return inAny(weekdays, weekday)
          && inAny(months, t.getMonthValue())
          && inAny(years, t.getYear());
    }

    private static boolean inAny(List<Range> ranges, int v) {
      if (ranges.isEmpty()) {
        return true;
      }
      for (Range r : ranges) {
        if (v >= r.begin() && v <= r.end()) {
          return true;
        }
      }
      return false;
    }
  }
}
