package dev.nines.slo.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nines.slo.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CalendarWindowsTest {
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final TimeWindow.Calendar MONTH =
      new TimeWindow.Calendar(
          TimeWindow.CalendarUnit.MONTH, 1, LocalDateTime.of(2024, 1, 1, 0, 0), BERLIN);

  @Test
  void aMonthInBerlinStartsAnHourBeforeUtcAndLosesAnHourToDst() {
    CalendarWindows.Range march =
        CalendarWindows.containing(MONTH, Instant.parse("2025-03-15T12:00:00Z"));
    assertThat(march.start()).isEqualTo(Instant.parse("2025-02-28T23:00:00Z"));
    // Summer time from 30 March: the month ends at midnight CEST, 22:00 UTC.
    assertThat(march.end()).isEqualTo(Instant.parse("2025-03-31T22:00:00Z"));
    assertThat(Duration.ofMillis(march.millis())).isEqualTo(Duration.ofDays(31).minusHours(1));
    // 23:30 UTC on 28 February is already March in Berlin.
    assertThat(CalendarWindows.containing(MONTH, Instant.parse("2025-02-28T23:30:00Z")))
        .isEqualTo(march);
    assertThat(CalendarWindows.startOfMonth(Instant.parse("2025-02-28T23:30:00Z"), BERLIN))
        .isEqualTo(march.start());
    // The boundary instant itself belongs to the new month.
    assertThat(CalendarWindows.containing(MONTH, march.start())).isEqualTo(march);
    assertThat(CalendarWindows.containing(MONTH, march.end()).start()).isEqualTo(march.end());
  }

  @Test
  void theBudgetResetsAtTheLocalMonthBoundary() {
    // Hourly buckets around the boundary: 100 events each, February's last UTC hour all bad.
    long boundary = Instant.parse("2025-02-28T23:00:00Z").toEpochMilli();
    long hour = 3_600_000;
    long[] times = {boundary - hour, boundary, boundary + hour, boundary + 2 * hour};
    double[] total = {100, 100, 100, 100};
    double[] good = {100, 0, 100, 99};
    Buckets b = new Buckets(times, good, total);
    CalendarWindows.Range march =
        CalendarWindows.containing(MONTH, Instant.ofEpochMilli(boundary + 2 * hour));
    // Buckets are (start, end]: the bucket ending at the boundary is February's.
    BudgetMath.Figures f =
        BudgetMath.occurrences(b, march.start().toEpochMilli(), march.end().toEpochMilli(), 0.99);
    assertThat(f.total()).isEqualTo(200);
    assertThat(f.errorRatio()).isCloseTo(0.005, within(1e-12));
    assertThat(f.remaining()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void weeksAndQuarters() {
    Instant t = Instant.parse("2025-10-29T10:00:00Z"); // a Wednesday, after the October DST end
    assertThat(CalendarWindows.startOfWeek(t, BERLIN))
        .isEqualTo(Instant.parse("2025-10-26T23:00:00Z"));
    assertThat(CalendarWindows.startOfQuarter(t, BERLIN))
        .isEqualTo(Instant.parse("2025-09-30T22:00:00Z"));
    TimeWindow.Calendar week =
        new TimeWindow.Calendar(
            TimeWindow.CalendarUnit.WEEK, 1, LocalDateTime.of(2024, 1, 1, 0, 0), BERLIN);
    CalendarWindows.Range r =
        CalendarWindows.containing(week, Instant.parse("2025-10-26T12:00:00Z"));
    // The week of the DST change: Monday 20 Oct 00:00 CEST to Monday 27 Oct 00:00 CET, 169 hours.
    assertThat(r.start()).isEqualTo(Instant.parse("2025-10-19T22:00:00Z"));
    assertThat(Duration.ofMillis(r.millis())).isEqualTo(Duration.ofHours(169));
    TimeWindow.Calendar quarter =
        new TimeWindow.Calendar(
            TimeWindow.CalendarUnit.QUARTER, 1, LocalDateTime.of(2024, 1, 1, 0, 0), BERLIN);
    assertThat(CalendarWindows.containing(quarter, t).start())
        .isEqualTo(CalendarWindows.startOfQuarter(t, BERLIN));
  }
}
