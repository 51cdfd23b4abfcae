package dev.nines.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromDurationTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "15s, 15000",
    "1m30s, 90000",
    "250ms, 250",
    "1h, 3600000",
    "2d, 172800000",
    "1w, 604800000",
    "1y, 31536000000",
    "1d2h3m4s5ms, 93784005",
  })
  void parsesPrometheusDurations(String text, long millis) {
    assertThat(PromDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10x", "5", "1.5h", "s", "1s1m", "1h1h", "-1s", "1 h", "1H"})
  void rejectsWhatPrometheusRejects(String text) {
    assertThatThrownBy(() -> PromDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "15s", "1m30s", "1d2h3m4s5ms", "1y1w", "250ms"})
  void formatIsTheInverseOfParse(String text) {
    assertThat(PromDuration.format(PromDuration.parse(text))).isEqualTo(text);
  }

  @org.junit.jupiter.api.Test
  void overflowIsAnErrorNotAWrap() {
    assertThatThrownBy(() -> PromDuration.parse("999999999999999999y"))
        .hasMessageContaining("out of range");
  }
}
