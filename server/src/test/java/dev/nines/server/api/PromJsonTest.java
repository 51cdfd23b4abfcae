package dev.nines.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromJsonTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "1, 1",
    "-2, -2",
    "1.5, 1.5",
    "0.1, 0.1",
    "100, 100",
    "123456789012, 123456789012",
    "1e15, 1000000000000000",
    "1.2345e20, 123450000000000000000",
    "1e21, 1e+21",
    "1.5e21, 1.5e+21",
    "1e-6, 0.000001",
    "1.5e-7, 1.5e-07",
    "-1.5e-7, -1.5e-07",
    "1e-300, 1e-300",
    "1.7976931348623157e308, 1.7976931348623157e+308",
    "0.30000000000000004, 0.30000000000000004",
    "3.0000000000000004, 3.0000000000000004",
    "1234.5678, 1234.5678",
    "1e7, 10000000",
    "1.25e7, 12500000",
    "0.001, 0.001",
  })
  void floatsAreSpelledAsGoSpellsThemInPrometheusJson(double value, String expected) {
    assertThat(PromJson.formatFloat(value)).isEqualTo(expected);
  }

  @Test
  void specialFloatsUsePrometheusSpelling() {
    assertThat(PromJson.formatFloat(Double.NaN)).isEqualTo("NaN");
    assertThat(PromJson.formatFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(PromJson.formatFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(PromJson.formatFloat(-0.0)).isEqualTo("-0");
  }

  @ParameterizedTest
  @CsvSource({
    "1700000000000, 1700000000",
    "1700000000123, 1700000000.123",
    "1700000000120, 1700000000.120",
    "1700000000005, 1700000000.005",
    "0, 0",
    "-1500, -1.500",
    "-1, -0.001",
  })
  void timestampsAreSecondsWithMillisecondFractions(long millis, String expected) {
    StringBuilder b = new StringBuilder();
    PromJson.appendTimestamp(millis, b);
    assertThat(b).hasToString(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "1700000000, 1700000000000",
    "1700000000.123, 1700000000123",
    "1700000000.1234, 1700000000123",
    "-1.5, -1500",
    "1e9, 1000000000000",
    "2023-11-14T22:13:20Z, 1700000000000",
    "2023-11-14T22:13:20.5Z, 1700000000500",
    "2023-11-14T23:13:20.123+01:00, 1700000000123",
  })
  void timesAreFloatSecondsOrRfc3339(String text, long millis) {
    assertThat(Params.parseTime(text)).isEqualTo(millis);
  }

  @Test
  void prometheusBoundaryTimesAreUnderstood() {
    assertThat(Params.parseTime("-292273086-05-16T16:47:06Z")).isEqualTo(Params.MIN_TIME);
    assertThat(Params.parseTime("292277025-08-18T07:12:54.999999999Z")).isEqualTo(Params.MAX_TIME);
  }

  @Test
  void badTimesSayWhatCouldNotBeParsed() {
    assertThatThrownBy(() -> Params.parseTime("yesterday"))
        .hasMessage("cannot parse \"yesterday\" to a valid timestamp");
    assertThatThrownBy(() -> Params.parseTime(""))
        .hasMessage("cannot parse \"\" to a valid timestamp");
  }

  @Test
  void durationsAreFloatSecondsOrPrometheusDurations() {
    assertThat(Params.parseDuration("15")).isEqualTo(Duration.ofSeconds(15));
    assertThat(Params.parseDuration("0.5")).isEqualTo(Duration.ofMillis(500));
    assertThat(Params.parseDuration("15s")).isEqualTo(Duration.ofSeconds(15));
    assertThat(Params.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Params.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> Params.parseDuration("15x"))
        .hasMessage("cannot parse \"15x\" to a valid duration");
    assertThatThrownBy(() -> Params.parseDuration("1e300"))
        .hasMessage("cannot parse \"1e300\" to a valid duration. It overflows int64");
  }

  @Test
  void goTimeDropsTrailingZerosOfTheFraction() {
    assertThat(PromApiRoutes.goTime(Instant.parse("2023-11-14T22:00:00.120Z")))
        .isEqualTo("2023-11-14T22:00:00.12Z");
    assertThat(PromApiRoutes.goTime(Instant.parse("2023-11-14T22:00:00Z")))
        .isEqualTo("2023-11-14T22:00:00Z");
  }

  @Test
  void escapedLabelNamesInPathsAreDecoded() {
    assertThat(PromApiRoutes.unescapeName("U__j_6f_b")).isEqualTo("job");
    assertThat(PromApiRoutes.unescapeName("U__my_2e_label__name")).isEqualTo("my.label_name");
    assertThat(PromApiRoutes.unescapeName("U__bad_zz_")).isEqualTo("U__bad_zz_");
  }

  @Test
  void numberLiteralsInTheAstUseGoFixedNotation() {
    assertThat(AstJson.goFormatF(1e21)).isEqualTo("1000000000000000000000");
    assertThat(AstJson.goFormatF(0.5)).isEqualTo("0.5");
    assertThat(AstJson.goFormatF(300)).isEqualTo("300");
    assertThat(AstJson.goFormatF(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
  }
}
