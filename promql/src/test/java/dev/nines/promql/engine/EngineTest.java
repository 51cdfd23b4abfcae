package dev.nines.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Engine behaviour outside the scripts: options, error kinds, timeouts, cancellation. */
class EngineTest {
  @Test
  void validateNamesTheField() {
    assertThatThrownBy(() -> EngineOptions.DEFAULTS.withLookbackDelta(Duration.ZERO).validate())
        .hasMessageContaining("lookbackDelta");
    assertThatThrownBy(() -> EngineOptions.DEFAULTS.withMaxSamples(0).validate())
        .hasMessageContaining("maxSamples");
    assertThatThrownBy(() -> EngineOptions.DEFAULTS.withTimeout(Duration.ZERO).validate())
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () -> EngineOptions.DEFAULTS.withEvaluationInterval(Duration.ofMillis(-1)).validate())
        .hasMessageContaining("evaluationInterval");
  }

  @Test
  void parseErrorsAreBadData() {
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    assertThatThrownBy(() -> engine.instantQuery(new MemoryStorage(), "sum(", 0))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.BAD_DATA));
  }

  @Test
  void limitErrorsAreExecutionErrorsWithPrometheusText() {
    MemoryStorage storage = new MemoryStorage();
    for (int i = 0; i < 100; i++) {
      storage.add(Labels.of("__name__", "x", "i", Integer.toString(i)), 0, i);
    }
    Engine engine = new Engine(EngineOptions.DEFAULTS.withMaxSamples(50));
    assertThatThrownBy(() -> engine.instantQuery(storage, "x", 0))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(QueryException.Kind.EXECUTION);
              assertThat(e.getMessage()).isEqualTo(QueryException.TOO_MANY_SAMPLES);
            });
  }

  @Test
  void timeoutIsReportedAsTimeout() {
    MemoryStorage storage = new MemoryStorage();
    for (int i = 0; i < 2000; i++) {
      storage.add(Labels.of("__name__", "x", "i", Integer.toString(i)), 0, i);
    }
    Engine engine = new Engine(EngineOptions.DEFAULTS.withTimeout(Duration.ofNanos(1_000_000)));
    assertThatThrownBy(
            () -> {
              // Enough work to pass a 1 ms deadline.
              for (int k = 0; k < 1000; k++) {
                engine.rangeQuery(storage, "sum(x) + count(x)", 0, 600_000, 1000);
              }
            })
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(QueryException.Kind.TIMEOUT);
              assertThat(e.getMessage()).isEqualTo(QueryException.TIMED_OUT);
            });
  }

  @Test
  void interruptCancels() {
    MemoryStorage storage = new MemoryStorage();
    storage.add(Labels.of("__name__", "x"), 0, 1);
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> engine.instantQuery(storage, "x", 0))
          .isInstanceOfSatisfying(
              QueryException.class,
              e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.CANCELED));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void rangeQueryResolutionLimit() {
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    assertThatThrownBy(() -> engine.rangeQuery(new MemoryStorage(), "1", 0, 11_001_000, 1000))
        .hasMessageContaining("exceeded maximum resolution of 11,000 points per timeseries");
    // (end - start) / step of exactly 11,000 is still accepted, as in Prometheus.
    assertThat(engine.rangeQuery(new MemoryStorage(), "1", 0, 11_000_000, 1000)).isNotNull();
  }

  @Test
  void rangeQueryOverManySeriesLoadsEachSeriesOnce() {
    MemoryStorage storage = new MemoryStorage();
    for (int s = 0; s < 200; s++) {
      Labels l = Labels.of("__name__", "http_requests_total", "job", "j" + (s % 4), "i", "" + s);
      for (int t = 0; t <= 3900; t += 15) {
        storage.add(l, t * 1000L, t * (s + 1));
      }
    }
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    Result r =
        engine.rangeQuery(
            storage, "sum by (job) (rate(http_requests_total[5m]))", 300_000, 3_900_000, 15_000);
    assertThat(r).isInstanceOf(Result.Matrix.class);
    Result.Matrix m = (Result.Matrix) r;
    assertThat(m.series()).hasSize(4);
    assertThat(m.series().get(0).size()).isEqualTo(241);
    assertThat(storage.selects).isEqualTo(1);
  }
}
