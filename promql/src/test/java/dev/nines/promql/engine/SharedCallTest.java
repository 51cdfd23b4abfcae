package dev.nines.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A range-function call repeated in one query is read from storage once, with the same result. */
class SharedCallTest {
  private static MemoryStorage counters() {
    MemoryStorage storage = new MemoryStorage();
    for (int s = 0; s < 3; s++) {
      Labels l = Labels.of("__name__", "req_total", "i", Integer.toString(s));
      for (int k = 0; k <= 60; k++) {
        storage.add(l, k * 10_000L, k * (s + 1.0));
      }
    }
    return storage;
  }

  private static List<Sample> vector(Result r) {
    return ((Result.Vector) r).samples();
  }

  @Test
  void repeatedCallScansStorageOnceAndGivesTheSameAnswer() {
    MemoryStorage storage = counters();
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    long t = 600_000;
    List<Sample> single = vector(engine.instantQuery(storage, "rate(req_total[5m])", t));
    storage.selects = 0;
    List<Sample> ratio =
        vector(
            engine.instantQuery(
                storage,
                "rate(req_total[5m]) / (rate(req_total[5m]) + (rate(req_total[5m]) == bool 0))",
                t));
    assertThat(storage.selects).isEqualTo(1);
    assertThat(ratio).hasSize(single.size());
    assertThat(ratio).allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
  }

  @Test
  void anOccurrenceChangedInPlaceDoesNotChangeTheOthers() {
    // Unary minus negates its input's values in place; the second occurrence must not see that.
    MemoryStorage storage = counters();
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    List<Sample> sum =
        vector(engine.instantQuery(storage, "-rate(req_total[5m]) + rate(req_total[5m])", 600_000));
    assertThat(sum).hasSize(3).allSatisfy(s -> assertThat(s.value()).isZero());
    List<Sample> single = vector(engine.instantQuery(storage, "rate(req_total[5m])", 600_000));
    List<Sample> both =
        vector(
            engine.instantQuery(
                storage, "rate(req_total[5m]) + -rate(req_total[5m]) * 0", 600_000));
    assertThat(both)
        .extracting(Sample::value)
        .containsExactlyElementsOf(single.stream().map(Sample::value).toList())
        .allSatisfy(v -> assertThat(v).isPositive());
  }

  @Test
  void statisticsCountEveryOccurrenceAsPrometheusDoes() {
    MemoryStorage storage = counters();
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    QueryStats once = new QueryStats();
    engine.instantQuery(storage, "sum(rate(req_total[5m]))", 600_000, null, once);
    QueryStats twice = new QueryStats();
    engine.instantQuery(
        storage, "sum(rate(req_total[5m])) / sum(rate(req_total[5m]))", 600_000, null, twice);
    assertThat(once.totalQueryableSamples()).isPositive();
    assertThat(twice.totalQueryableSamples()).isEqualTo(2 * once.totalQueryableSamples());
  }

  @Test
  void rangeQueriesShareToo() {
    MemoryStorage storage = counters();
    Engine engine = new Engine(EngineOptions.DEFAULTS);
    storage.selects = 0;
    Result r =
        engine.rangeQuery(
            storage, "increase(req_total[1m]) - increase(req_total[1m])", 300_000, 600_000, 60_000);
    assertThat(storage.selects).isEqualTo(1);
    assertThat(((Result.Matrix) r).series())
        .hasSize(3)
        .allSatisfy(s -> assertThat(s.values()).containsOnly(0.0));
  }
}
