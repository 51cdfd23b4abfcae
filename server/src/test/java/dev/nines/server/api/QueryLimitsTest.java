package dev.nines.server.api;

import static dev.nines.server.api.ApiTestServer.at;
import static dev.nines.server.api.ApiTestServer.enc;
import static dev.nines.server.api.PromApiQueryTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.server.api.ApiTestServer.Response;
import dev.nines.tsdb.storage.Querier;
import dev.nines.tsdb.storage.Queryable;
import dev.nines.tsdb.storage.SelectHints;
import dev.nines.tsdb.storage.SeriesSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query timeout, sample limit and concurrency limit, each counted in self metrics. */
class QueryLimitsTest {
  @TempDir Path dir;

  /**
   * Storage that holds every select of {@code blocker} until {@link #release}, and slows every
   * select of {@code slow} down by {@code slowMillis}.
   */
  static final class Gatekeeper implements UnaryOperator<Queryable> {
    final CountDownLatch release = new CountDownLatch(1);
    final long slowMillis;

    Gatekeeper(long slowMillis) {
      this.slowMillis = slowMillis;
    }

    @Override
    public Queryable apply(Queryable inner) {
      return (mint, maxt) -> {
        Querier q = inner.querier(mint, maxt);
        return new Querier() {
          @Override
          public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
            for (LabelMatcher m : matchers) {
              if (m.name().equals(Labels.METRIC_NAME) && m.value().equals("blocker")) {
                await(release);
              }
              if (m.name().equals(Labels.METRIC_NAME) && m.value().equals("slow")) {
                sleep(slowMillis);
              }
            }
            return q.select(sorted, hints, matchers);
          }

          @Override
          public List<String> labelNames(List<LabelMatcher> matchers) {
            return q.labelNames(matchers);
          }

          @Override
          public List<String> labelValues(String name, List<LabelMatcher> matchers) {
            return q.labelValues(name, matchers);
          }

          @Override
          public void close() {
            q.close();
          }
        };
      };
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(20, TimeUnit.SECONDS)) {
          throw new IllegalStateException("test latch never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void limitsAreValidatedNamingTheField() {
    assertThat(QueryLimits.DEFAULTS.validate()).isEqualTo(QueryLimits.DEFAULTS);
    assertThat(QueryLimits.DEFAULTS.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(QueryLimits.DEFAULTS.maxSamples()).isEqualTo(50_000_000L);
    assertThat(QueryLimits.DEFAULTS.maxConcurrent()).isEqualTo(20);
    assertThatThrownBy(() -> new QueryLimits(Duration.ZERO, 1, 1).validate())
        .hasMessageStartingWith("timeout must be at least 1ms");
    assertThatThrownBy(() -> new QueryLimits(Duration.ofSeconds(1), 0, 1).validate())
        .hasMessageStartingWith("maxSamples must be positive");
    assertThatThrownBy(() -> new QueryLimits(Duration.ofSeconds(1), 1, 0).validate())
        .hasMessageStartingWith("maxConcurrent must be positive");
  }

  @Test
  void tooManySamplesIs422WithPrometheusText() throws Exception {
    try (ApiTestServer server =
        ApiTestServer.start(
            dir, new QueryLimits(Duration.ofMinutes(1), 10, 4), UnaryOperator.identity())) {
      server.loadStandardData();
      Response r =
          server.get(
              "/api/v1/query?query="
                  + enc("sum_over_time(http_requests_total[10m])")
                  + "&time="
                  + at(600_000));
      assertError(
          r,
          422,
          "execution",
          "query processing would load too many samples into memory in query execution");
      assertThat(server.get("/api/v1/query?query=1").status()).isEqualTo(200);
      assertThat(server.metrics())
          .contains("nines_engine_query_limit_hits_total{limit=\"max_samples\"} 1.0")
          .contains("nines_engine_query_errors_total{type=\"execution\"} 1.0");
    }
  }

  @Test
  void timeoutIs503AndTheRequestCanOnlyShortenIt() throws Exception {
    try (ApiTestServer server =
        ApiTestServer.start(
            dir, new QueryLimits(Duration.ofMillis(150), 1_000_000, 4), new Gatekeeper(250))) {
      server.series(Labels.of("__name__", "slow"), ApiTestServer.T0, 1000, 1, 2, 3);
      String q = enc("slow + slow");
      // The configured 150ms runs out during the first select.
      assertError(
          server.get("/api/v1/query?query=" + q + "&time=" + at(2000)),
          503,
          "timeout",
          "query timed out in query execution");
      // A longer timeout in the request does not lift the configured one.
      assertError(
          server.get("/api/v1/query?query=" + q + "&timeout=1m&time=" + at(2000)),
          503,
          "timeout",
          "query timed out");
      // A shorter one applies.
      assertError(
          server.get("/api/v1/query?query=" + q + "&timeout=0.01&time=" + at(2000)),
          503,
          "timeout",
          "query timed out");
      assertThat(server.metrics())
          .contains("nines_engine_query_limit_hits_total{limit=\"timeout\"} 3.0")
          .contains("nines_engine_query_errors_total{type=\"timeout\"} 3.0");
    }
  }

  @Test
  void queriesOverTheConcurrencyLimitWaitTheirTurn() throws Exception {
    Gatekeeper gate = new Gatekeeper(0);
    try (ApiTestServer server =
        ApiTestServer.start(dir, new QueryLimits(Duration.ofSeconds(20), 1_000_000, 1), gate)) {
      CompletableFuture<Response> first =
          CompletableFuture.supplyAsync(() -> server.get("/api/v1/query?query=blocker"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.metrics().contains("nines_engine_queries 1.0"));
      CompletableFuture<Response> second =
          CompletableFuture.supplyAsync(() -> server.get("/api/v1/query?query=vector(7)"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.metrics().contains("nines_engine_queries 2.0"));
      assertThat(server.metrics()).contains("nines_engine_queries_queued_total 1.0");
      Thread.sleep(100);
      assertThat(second).isNotDone();
      gate.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      Response r = second.get(10, TimeUnit.SECONDS);
      assertThat(r.json().at("/data/result/0/value/1").asText()).isEqualTo("7");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> server.metrics().contains("nines_engine_queries 0.0"));
    }
  }

  @Test
  void timeInTheQueueCountsTowardsTheTimeout() throws Exception {
    Gatekeeper gate = new Gatekeeper(0);
    try (ApiTestServer server =
        ApiTestServer.start(dir, new QueryLimits(Duration.ofSeconds(20), 1_000_000, 1), gate)) {
      CompletableFuture<Response> first =
          CompletableFuture.supplyAsync(() -> server.get("/api/v1/query?query=blocker"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.metrics().contains("nines_engine_queries 1.0"));
      Response queued = server.get("/api/v1/query?query=vector(1)&timeout=200ms");
      assertError(queued, 503, "timeout", "query timed out in query queue");
      gate.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }
}
