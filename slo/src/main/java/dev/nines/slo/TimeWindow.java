package dev.nines.slo;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;

/** The period an SLO's error budget is counted over: rolling, or aligned to a calendar. */
public sealed interface TimeWindow {

  /**
   * The window's nominal length: exact for a rolling window; for a calendar window a month counts
   * 30 days, a quarter 90 and a year 365, as OpenSLO's reference SDK counts them.
   */
  Duration nominalLength();

  /** A window that always ends now and reaches back {@code length}. */
  record Rolling(Duration length) implements TimeWindow {
    /** Creates a rolling window; the length must be positive. */
    public Rolling {
      if (length.isNegative() || length.isZero()) {
        throw new IllegalArgumentException("window must be positive: " + length);
      }
    }

    @Override
    public Duration nominalLength() {
      return length;
    }
  }

  /** The calendar units a calendar-aligned window may count in. */
  enum CalendarUnit {
    DAY("d"),
    WEEK("w"),
    MONTH("M"),
    QUARTER("Q"),
    YEAR("Y");

    private final String symbol;

    CalendarUnit(String symbol) {
      this.symbol = symbol;
    }

    /** The OpenSLO duration-shorthand suffix: d, w, M, Q or Y. */
    public String symbol() {
      return symbol;
    }

    /** The nominal length of one unit. */
    public Duration nominalLength() {
      return switch (this) {
        case DAY -> Duration.ofDays(1);
        case WEEK -> Duration.ofDays(7);
        case MONTH -> Duration.ofDays(30);
        case QUARTER -> Duration.ofDays(90);
        case YEAR -> Duration.ofDays(365);
      };
    }
  }

  /**
   * A window aligned to the calendar of a time zone: windows start at {@code anchor} (local time)
   * and follow each other every {@code count} units, e.g. every month from the 1st at midnight in
   * Europe/Berlin. Daylight-saving changes move the instants, never the local boundaries.
   *
   * @param unit the calendar unit
   * @param count how many units one window spans, at least 1
   * @param anchor the local start of one window; every other window starts a whole number of
   *     periods before or after it
   * @param zone the IANA time zone the boundaries are local to
   */
  record Calendar(CalendarUnit unit, int count, LocalDateTime anchor, ZoneId zone)
      implements TimeWindow {
    /** Creates a calendar window; {@code count} must be positive. */
    public Calendar {
      if (count < 1) {
        throw new IllegalArgumentException("count must be positive: " + count);
      }
    }

    @Override
    public Duration nominalLength() {
      return unit.nominalLength().multipliedBy(count);
    }
  }
}
