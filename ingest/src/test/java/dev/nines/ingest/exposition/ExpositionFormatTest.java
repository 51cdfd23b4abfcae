package dev.nines.ingest.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;

class ExpositionFormatTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "application/openmetrics-text; version=1.0.0; charset=utf-8 | OPENMETRICS_1_0_0",
        "application/openmetrics-text;version=1.0.0 | OPENMETRICS_1_0_0",
        "Application/OpenMetrics-Text; Version=\"1.0.0\" | OPENMETRICS_1_0_0",
        "application/openmetrics-text; version=0.0.1 | OPENMETRICS_1_0_0",
        "application/openmetrics-text | OPENMETRICS_1_0_0",
        "application/openmetrics-text; version=2.0.0 | PROMETHEUS_TEXT_0_0_4",
        "text/plain; version=0.0.4; charset=utf-8 | PROMETHEUS_TEXT_0_0_4",
        "text/plain | PROMETHEUS_TEXT_0_0_4",
        "application/json | PROMETHEUS_TEXT_0_0_4",
        "'' | PROMETHEUS_TEXT_0_0_4",
      })
  void contentTypeSelectsTheParser(String contentType, ExpositionFormat expected) {
    assertThat(ExpositionFormat.forContentType(contentType)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullSource
  void missingContentTypeIsPrometheusText(String contentType) {
    assertThat(ExpositionFormat.forContentType(contentType))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
  }

  @Test
  void acceptHeaderPrefersOpenMetricsAsPrometheusDoes() {
    assertThat(ExpositionFormat.SCRAPE_ACCEPT_HEADER)
        .isEqualTo(
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
  }

  @Test
  void ownContentTypesRoundTrip() {
    for (ExpositionFormat f : ExpositionFormat.values()) {
      assertThat(ExpositionFormat.forContentType(f.contentType())).isEqualTo(f);
    }
  }
}
