package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.tsdb.storage.AppendException;
import dev.nines.tsdb.storage.AppendException.Reason;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every limit and naming rule, with its reason, its message and its counter. */
class TsdbLimitsTest {
  @TempDir Path dir;

  private static void refused(ThrowingCallable call, Reason reason, String... fragments) {
    var a =
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                AppendException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    for (String f : fragments) {
      a.hasMessageContaining(f);
    }
  }

  @Test
  void labelLimitsAndNamingRules() throws Exception {
    TsdbOptions options = fast().withLabelLimits(10, 20, 3);
    try (Tsdb db = Tsdb.open(dir, options)) {
      Appender app = db.appender();
      refused(
          () -> app.append(0, Labels.of("job", "x"), 1, 1),
          Reason.INVALID_LABELS,
          "metric name (label __name__) is missing or empty");
      refused(
          () -> app.append(0, Labels.of("__name__", "m", "a", "1", "b", "2", "c", "3"), 1, 1),
          Reason.INVALID_LABELS,
          "4 labels, more than the limit of 3 (maxLabelsPerSeries)");
      refused(
          () -> app.append(0, Labels.of("__name__", "m", "a_long_name", "1"), 1, 1),
          Reason.INVALID_LABELS,
          "label name \"a_long_name\" is 11 bytes long, more than the limit of 10"
              + " (maxLabelNameBytes)");
      // Lengths are UTF-8 bytes: 7 characters, 21 bytes.
      refused(
          () -> app.append(0, Labels.of("__name__", "m", "v", "☃☃☃☃☃☃☃"), 1, 1),
          Reason.INVALID_LABELS,
          "the value of label \"v\" is 21 bytes long, more than the limit of 20"
              + " (maxLabelValueBytes)");
      refused(
          () -> app.append(0, Labels.of("__name__", "m", "v", "bad\uD800"), 1, 1),
          Reason.INVALID_LABELS,
          "the value of label \"v\" is not valid UTF-8");
      refused(
          () -> app.append(0, Labels.of("__name__", "m", "", "x"), 1, 1),
          Reason.INVALID_LABELS,
          "a label name is empty");
      // UTF-8 names are valid by default (Prometheus 3).
      app.append(0, Labels.of("__name__", "my.metric", "ü.x", "1"), 1, 1);
      app.commit();
      assertThat(db.stats().refused(Reason.INVALID_LABELS)).isEqualTo(6);
      assertThat(db.numSeries()).isEqualTo(1);
    }
  }

  @Test
  void legacyNameValidation() throws Exception {
    TsdbOptions options = fast().withNameValidation(TsdbOptions.NameValidation.LEGACY);
    try (Tsdb db = Tsdb.open(dir, options)) {
      Appender app = db.appender();
      refused(
          () -> app.append(0, Labels.of("__name__", "my.metric"), 1, 1),
          Reason.INVALID_LABELS,
          "metric name \"my.metric\" is not a valid Prometheus metric name");
      refused(
          () -> app.append(0, Labels.of("__name__", "m", "1abc", "x"), 1, 1),
          Reason.INVALID_LABELS,
          "label name \"1abc\" is not a valid Prometheus label name");
      app.append(0, Labels.of("__name__", "ns:m_total", "_a1", "x"), 1, 1);
      app.commit();
    }
  }

  @Test
  void seriesLimitsGlobalAndPerMetric() throws Exception {
    TsdbOptions options = fast().withSeriesLimits(5, 3);
    try (Tsdb db = Tsdb.open(dir, options)) {
      Appender app = db.appender();
      for (int i = 0; i < 3; i++) {
        app.append(0, Labels.of("__name__", "a", "i", "" + i), 1, 1);
      }
      refused(
          () -> app.append(0, Labels.of("__name__", "a", "i", "3"), 1, 1),
          Reason.SERIES_LIMIT,
          "metric \"a\" has 3 series, the limit (maxSeriesPerMetric) is 3");
      app.append(0, Labels.of("__name__", "b", "i", "0"), 1, 1);
      app.append(0, Labels.of("__name__", "b", "i", "1"), 1, 1);
      refused(
          () -> app.append(0, Labels.of("__name__", "c"), 1, 1),
          Reason.SERIES_LIMIT,
          "the head holds 5 series, the limit (maxSeries) is 5");
      // Existing series still take samples at the limit.
      app.append(0, Labels.of("__name__", "a", "i", "0"), 2, 2);
      app.commit();
      assertThat(db.stats().refused(Reason.SERIES_LIMIT)).isEqualTo(2);
      assertThat(readAll(db)).hasSize(5);
    }
  }

  @Test
  void optionsNameTheFieldAtFault() {
    TsdbOptions d = TsdbOptions.defaults();
    assertThatThrownBy(() -> d.withOutOfOrderWindow(Duration.ofSeconds(-1)))
        .hasMessageContaining("outOfOrderWindow");
    assertThatThrownBy(() -> d.withSeriesLimits(-1, 0)).hasMessageContaining("maxSeries ");
    assertThatThrownBy(() -> d.withSeriesLimits(0, -1)).hasMessageContaining("maxSeriesPerMetric");
    assertThatThrownBy(() -> d.withLabelLimits(0, 1, 1)).hasMessageContaining("maxLabelNameBytes");
    assertThatThrownBy(() -> d.withLabelLimits(1, 0, 1)).hasMessageContaining("maxLabelValueBytes");
    assertThatThrownBy(() -> d.withLabelLimits(1, 1, 0)).hasMessageContaining("maxLabelsPerSeries");
    assertThatThrownBy(() -> d.withCheckpointAfterSegments(0))
        .hasMessageContaining("checkpointAfterSegments");
    assertThatThrownBy(() -> d.withWal(WalOptions.defaults().withMaxSegmentBytes(4096)))
        .hasMessageContaining("wal.maxSegmentBytes");
    assertThat(d.validate()).isEqualTo(d);
  }
}
