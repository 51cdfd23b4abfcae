package dev.nines.slo.budget;

import dev.nines.slo.TimeWindow;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Boundaries of calendar-aligned windows in a time zone. Boundaries are local times (midnight on
 * the 1st, Monday 00:00), so a window that spans a daylight-saving change is an hour shorter or
 * longer than its nominal length: March 2025 in Europe/Berlin lasts 30 days and 23 hours.
 */
public final class CalendarWindows {
  private CalendarWindows() {}

  /**
   * An interval of time, {@code [start, end)}.
   *
   * @param start inclusive
   * @param end exclusive
   */
  public record Range(Instant start, Instant end) {
    /** The interval's length in milliseconds. */
    public long millis() {
      return end.toEpochMilli() - start.toEpochMilli();
    }
  }

  /** The start of the month holding {@code t} in {@code zone}: the 1st at 00:00 local time. */
  public static Instant startOfMonth(Instant t, ZoneId zone) {
    return t.atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
  }

  /** The start of the ISO week (Monday 00:00 local time) holding {@code t} in {@code zone}. */
  public static Instant startOfWeek(Instant t, ZoneId zone) {
    return t.atZone(zone)
        .toLocalDate()
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
        .atStartOfDay(zone)
        .toInstant();
  }

  /** The start of the quarter (1 Jan, 1 Apr, 1 Jul, 1 Oct at 00:00 local) holding {@code t}. */
  public static Instant startOfQuarter(Instant t, ZoneId zone) {
    var date = t.atZone(zone).toLocalDate();
    int firstMonth = (date.getMonthValue() - 1) / 3 * 3 + 1;
    return date.withDayOfMonth(1).withMonth(firstMonth).atStartOfDay(zone).toInstant();
  }

  /** The window of {@code calendar} that holds {@code t}. */
  public static Range containing(TimeWindow.Calendar calendar, Instant t) {
    ZoneId zone = calendar.zone();
    LocalDateTime anchor = calendar.anchor();
    LocalDateTime local = t.atZone(zone).toLocalDateTime();
    long k = periodsBetween(calendar, anchor, local);
    // Rounding of the estimate is corrected by stepping, so DST gaps cannot misplace t.
    while (start(calendar, anchor, k).toInstant().isAfter(t)) {
      k--;
    }
    while (!start(calendar, anchor, k + 1).toInstant().isAfter(t)) {
      k++;
    }
    return new Range(
        start(calendar, anchor, k).toInstant(), start(calendar, anchor, k + 1).toInstant());
  }

  private static long periodsBetween(
      TimeWindow.Calendar c, LocalDateTime anchor, LocalDateTime local) {
    long units =
        switch (c.unit()) {
          case DAY -> ChronoUnit.DAYS.between(anchor, local);
          case WEEK -> ChronoUnit.WEEKS.between(anchor, local);
          case MONTH -> ChronoUnit.MONTHS.between(anchor, local);
          case QUARTER -> ChronoUnit.MONTHS.between(anchor, local) / 3;
          case YEAR -> ChronoUnit.YEARS.between(anchor, local);
        };
    return Math.floorDiv(units, c.count());
  }

  private static ZonedDateTime start(TimeWindow.Calendar c, LocalDateTime anchor, long k) {
    long n = k * c.count();
    LocalDateTime local =
        switch (c.unit()) {
          case DAY -> anchor.plusDays(n);
          case WEEK -> anchor.plusWeeks(n);
          case MONTH -> anchor.plusMonths(n);
          case QUARTER -> anchor.plusMonths(3 * n);
          case YEAR -> anchor.plusYears(n);
        };
    return local.atZone(c.zone());
  }
}
