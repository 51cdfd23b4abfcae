package dev.nines.server.api;

import dev.nines.promql.engine.QueryException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/*
 * Design notes. Prometheus's engine takes a slot from its ActiveQueryTracker after the query's
 * timeout has started, so time spent waiting for a slot counts towards the timeout; a query whose
 * time runs out in the queue fails with "query timed out in query queue". A fair Semaphore gives
 * the same first-come-first-served order. The self metrics follow Prometheus's engine metrics
 * (prometheus_engine_queries, _queries_concurrent_max, _query_duration_seconds{slice}) with the
 * nines_ prefix, plus counts of errors by type and of each limit hit.
 */

/** Admits at most {@code maxConcurrent} queries at once, queueing the rest, and counts them. */
final class QueryGate {
  /** Prometheus's text when the timeout runs out in the queue. */
  static final String QUEUE_TIMEOUT = "query timed out in query queue";

  /** Prometheus's text when a queued query is cancelled. */
  static final String QUEUE_CANCELED = "query was canceled in query queue";

  private final Semaphore slots;
  private final Gauge inFlight;
  private final Summary duration;
  private final Counter errors;
  private final Counter limitHits;
  private final Counter queued;
  private final Counter annotationsOmitted;

  QueryGate(int maxConcurrent, PrometheusRegistry registry) {
    this.slots = new Semaphore(maxConcurrent, true);
    this.inFlight =
        Gauge.builder()
            .name("nines_engine_queries")
            .help("The current number of queries being executed or waiting.")
            .register(registry);
    Gauge max =
        Gauge.builder()
            .name("nines_engine_queries_concurrent_max")
            .help("The max number of concurrent queries.")
            .register(registry);
    max.set(maxConcurrent);
    this.duration =
        Summary.builder()
            .name("nines_engine_query_duration_seconds")
            .help("Query timings, by slice: queue_time, inner_eval, result_write.")
            .labelNames("slice")
            .quantile(0.5, 0.05)
            .quantile(0.9, 0.01)
            .quantile(0.99, 0.001)
            .register(registry);
    this.errors =
        Counter.builder()
            .name("nines_engine_query_errors_total")
            .help("Queries through the HTTP API that failed, by Prometheus errorType.")
            .labelNames("type")
            .register(registry);
    for (ApiError.Type t : ApiError.Type.values()) {
      if (t != ApiError.Type.NOT_FOUND) {
        errors.labelValues(t.errorType());
      }
    }
    this.limitHits =
        Counter.builder()
            .name("nines_engine_query_limit_hits_total")
            .help(
                "Queries refused by a limit: timeout, max_samples, max_points (11,000 per"
                    + " series).")
            .labelNames("limit")
            .register(registry);
    for (String limit : new String[] {"timeout", "max_samples", "max_points"}) {
      limitHits.labelValues(limit);
    }
    this.queued =
        Counter.builder()
            .name("nines_engine_queries_queued_total")
            .help("Queries that had to wait because max_concurrent queries were running.")
            .register(registry);
    this.annotationsOmitted =
        Counter.builder()
            .name("nines_engine_query_annotations_omitted_total")
            .help(
                "Warnings and infos left out of query answers over max_warnings or max_infos,"
                    + " by kind.")
            .labelNames("kind")
            .register(registry);
    annotationsOmitted.labelValues("warning");
    annotationsOmitted.labelValues("info");
  }

  /**
   * Waits for a slot until the deadline.
   *
   * @param deadlineNanos the query's deadline on the {@link System#nanoTime()} clock
   * @throws QueryException TIMEOUT when the deadline passes first, CANCELED when interrupted
   */
  void enter(long deadlineNanos) {
    inFlight.inc();
    boolean acquired = false;
    try {
      if (!slots.tryAcquire()) {
        queued.inc();
        long wait = deadlineNanos - System.nanoTime();
        if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
          throw new QueryException(QueryException.Kind.TIMEOUT, QUEUE_TIMEOUT);
        }
      }
      acquired = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(QueryException.Kind.CANCELED, QUEUE_CANCELED, e);
    } finally {
      if (!acquired) {
        inFlight.dec();
      }
    }
  }

  /** Gives the slot taken by {@link #enter} back. */
  void exit() {
    slots.release();
    inFlight.dec();
  }

  void observe(String slice, long nanos) {
    duration.labelValues(slice).observe(nanos / 1e9);
  }

  void error(ApiError.Type type) {
    errors.labelValues(type.errorType()).inc();
  }

  void annotationsOmitted(String kind, int n) {
    annotationsOmitted.labelValues(kind).inc(n);
  }

  void limitHit(String limit) {
    limitHits.labelValues(limit).inc();
  }
}
