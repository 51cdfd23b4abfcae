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
 */
public record QueryLimits(Duration timeout, long maxSamples, int maxConcurrent) {

  /** Prometheus's defaults. */
  public static final QueryLimits DEFAULTS =
      new QueryLimits(Duration.ofMinutes(2), 50_000_000L, 20);

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
    return this;
  }
}
