package dev.nines.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.gotemplate.GoFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected texts are Prometheus's (template_test.go and Go's fmt %.4g). */
class HumanizeTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "12.3456, 12.35",
    "1000, 1k",
    "1234567, 1.235M",
    "1e12, 1T",
    "1e30, 1e+06Y",
    "0.5, 500m",
    "0.0012, 1.2m",
    "1.2e-7, 120n",
    "-1234, -1.234k",
    "NaN, NaN",
    "Infinity, +Inf",
    "-Infinity, -Inf",
  })
  void humanize(double v, String expected) {
    assertThat(Humanize.humanize(v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "1023, 1023",
    "1024, 1ki",
    "1048576, 1Mi",
    "1572864, 1.5Mi",
    "1e30, 8.272e+05Yi",
    "-2048, -2ki",
    "0.5, 0.5",
  })
  void humanize1024(double v, String expected) {
    assertThat(Humanize.humanize1024(v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "1, 1s",
    "1.5, 1.5s",
    "60, 1m 0s",
    "3600, 1h 0m 0s",
    "86400, 1d 0h 0m 0s",
    "90061, 1d 1h 1m 1s",
    "-90061, -1d 1h 1m 1s",
    "0.1, 100ms",
    "0.0001, 100us",
    "0.000001234, 1.234us",
    "12.34567, 12.35s",
    "NaN, NaN",
  })
  void humanizeDuration(double v, String expected) {
    assertThat(Humanize.humanizeDuration(v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 0%", "0.1234567, 12.35%", "1, 100%", "-0.5, -50%", "0.000001, 0.0001%"})
  void humanizePercentage(double v, String expected) {
    assertThat(Humanize.humanizePercentage(v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1970-01-01 00:00:00 +0000 UTC",
    "1435065584.128, 2015-06-23 13:19:44.128 +0000 UTC",
    "1700000000, 2023-11-14 22:13:20 +0000 UTC",
    "-1, 1969-12-31 23:59:59 +0000 UTC",
    "NaN, NaN",
  })
  void humanizeTimestamp(double v, String expected) {
    assertThat(Humanize.humanizeTimestamp(v)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void humanizeTimestampOverflow() {
    assertThatThrownBy(() -> Humanize.humanizeTimestamp(1e20))
        .hasMessage(
            "1e+20 cannot be represented as a nanoseconds timestamp since it overflows int64");
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "0.5, 0.5",
    "100000, 100000",
    "1000000, 1e+06",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "123456789, 1.23456789e+08",
    "-0.0, -0",
  })
  void goValueFormat(double v, String expected) {
    assertThat(GoFormat.floatV(v)).isEqualTo(expected);
  }
}
