package dev.nines.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
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

  /**
   * Go's spelling built independently from the shortest digits (BigDecimal of Java's shortest
   * string, the same digits Go's strconv picks): plain below 1e21 and from 1e-6, else d.ddde+XX.
   */
  private static String goSpelling(double v) {
    boolean negative = v < 0 || Double.doubleToRawLongBits(v) == Long.MIN_VALUE;
    double abs = Math.abs(v);
    if (abs == 0) {
      return negative ? "-0" : "0";
    }
    BigDecimal b = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
    String sign = negative ? "-" : "";
    if (abs >= 1e-6 && abs < 1e21) {
      return sign + b.toPlainString();
    }
    String digits = b.unscaledValue().toString();
    int exp = digits.length() - 1 - b.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign
        + mantissa
        + "e"
        + (exp < 0 ? "-" : "+")
        + (Math.abs(exp) < 10 ? "0" : "")
        + Math.abs(exp);
  }

  @Test
  void floatsOfEveryMagnitudeAndShapeMatchGoSpellingAndReadBackExactly() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      double v =
          switch (i % 5) {
            case 0 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern
            case 1 -> r.nextLong(-1_000_000_000L, 1_000_000_000L) / 100.0; // fixed decimals
            case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-12, 26)); // every magnitude
            case 3 -> r.nextLong(1L << 53) * Math.pow(10, r.nextInt(-8, 10)); // large integers
            default -> Math.nextUp(Math.pow(10, r.nextInt(-8, 23))) * (r.nextBoolean() ? 1 : -1);
          };
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        continue;
      }
      String got = PromJson.formatFloat(v);
      assertThat(got).as("bits %x", Double.doubleToRawLongBits(v)).isEqualTo(goSpelling(v));
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(got)))
          .isEqualTo(Double.doubleToRawLongBits(v));
    }
  }

  @Test
  void pointsAreOneJsonArrayAcrossBufferFlushes() throws Exception {
    int n = 5_000; // about 150 kB of points: many flushes of the formatting buffer
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_001L;
      vs[i] = i % 3 == 0 ? i : i / 7.0 - 1e-9 * i;
    }
    ObjectMapper mapper =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    StringWriter w = new StringWriter();
    try (JsonGenerator g = mapper.getFactory().createGenerator(w)) {
      PromJson json = new PromJson(g);
      g.writeStartArray();
      g.writeStartObject();
      g.writeFieldName("metric");
      json.labels(dev.nines.common.Labels.of("__name__", "up"));
      g.writeFieldName("values");
      json.points(ts, vs, n);
      g.writeEndObject();
      // The same timestamps again (spelled once, then copied), in full and in part.
      for (int size : new int[] {n, n, 3}) {
        g.writeStartObject();
        g.writeFieldName("values");
        json.points(ts, vs, size);
        g.writeEndObject();
      }
      g.writeStartObject();
      g.writeFieldName("value");
      json.point(1_700_000_000_500L, Double.NaN);
      g.writeEndObject();
      g.writeEndArray();
    }
    JsonNode root = mapper.readTree(w.toString());
    JsonNode values = root.get(0).get("values");
    assertThat(values).hasSize(n);
    assertThat(root.get(1).get("values")).isEqualTo(values);
    assertThat(root.get(2).get("values")).isEqualTo(values);
    assertThat(root.get(3).get("values")).hasSize(3);
    assertThat(root.get(3).get("values").get(2)).isEqualTo(values.get(2));
    for (int i = 0; i < n; i++) {
      assertThat(values.get(i).get(0).decimalValue())
          .isEqualByComparingTo(BigDecimal.valueOf(ts[i], 3));
      assertThat(values.get(i).get(1).asText()).isEqualTo(PromJson.formatFloat(vs[i]));
    }
    assertThat(root.get(4).get("value")).hasSize(2);
    assertThat(w.toString()).endsWith(",{\"value\":[1700000000.500,\"NaN\"]}]");
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
    "9223372036854775807, 9223372036854775.807",
    "-9223372036854775807, -9223372036854775.807",
    "-9223372036854775808, -9223372036854775.808",
    "2147483647999, 2147483647.999",
    "2147483648000, 2147483648",
    "1000000000000000, 1000000000000",
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
