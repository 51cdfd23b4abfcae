package dev.nines.server.api;

import java.time.Duration;

/**
 * The limits on queries through the HTTP API, frozen once validated. Defaults follow Prometheus's
 * flags: {@code --query.timeout=2m}, {@code --query.max-samples=50000000}, {@code
 * --query.max-concurrency=20}.
 *
 * @param timeout the longest a query may take, time spent queued included; a request's {@code
 *     timeout} parameter can only shorten it
 * @param maxSamples the most samples one query may hold in memory
 * @param maxConcurrent queries evaluated at once; more wait, first come first served
 * @param maxWarnings the most warnings one answer lists (0: all); the rest are counted in a last
 *     entry {@code N more warning annotations omitted}, as Prometheus does (its cap is 10)
 * @param maxInfos the same for infos ({@code N more info annotations omitted})
 */
public record QueryLimits(
    Duration timeout, long maxSamples, int maxConcurrent, int maxWarnings, int maxInfos) {

  /** Prometheus's cap on the warnings and on the infos of one answer. */
  public static final int DEFAULT_MAX_ANNOTATIONS = 10;

  /** Prometheus's defaults. */
  public static final QueryLimits DEFAULTS =
      new QueryLimits(Duration.ofMinutes(2), 50_000_000L, 20);

  /** Limits with Prometheus's caps on annotations. */
  public QueryLimits(Duration timeout, long maxSamples, int maxConcurrent) {
    this(timeout, maxSamples, maxConcurrent, DEFAULT_MAX_ANNOTATIONS, DEFAULT_MAX_ANNOTATIONS);
  }

  /**
   * Checks every field and returns this.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public QueryLimits validate() {
    if (timeout == null || timeout.toMillis() < 1) {
      throw new IllegalArgumentException("timeout must be at least 1ms, got " + timeout);
    }
    if (maxSamples < 1) {
      throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
    }
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be positive, got " + maxConcurrent);
    }
    if (maxWarnings < 0) {
      throw new IllegalArgumentException("maxWarnings must be 0 or positive, got " + maxWarnings);
    }
    if (maxInfos < 0) {
      throw new IllegalArgumentException("maxInfos must be 0 or positive, got " + maxInfos);
    }
    return this;
  }
}
