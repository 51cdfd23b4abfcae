package dev.nines.promql.engine;

import java.time.Duration;

/**
 * The engine's configuration, frozen once validated. Defaults follow Prometheus: lookback delta 5m,
 * query timeout 2m, at most 50,000,000 samples in memory per query, evaluation interval (the step
 * of a subquery written without one) 1m, experimental functions and delayed name removal off.
 *
 * @param lookbackDelta how far back an instant selector looks for the latest sample
 * @param timeout how long one query may run before it fails with {@link
 *     QueryException.Kind#TIMEOUT}
 * @param maxSamples the most samples one query may hold in memory at once
 * @param evaluationInterval the step of subqueries that give none ({@code x[1h:]})
 * @param experimentalFunctions Prometheus's {@code promql-experimental-functions} switch
 * @param delayedNameRemoval Prometheus's {@code promql-delayed-name-removal} switch
 */
public record EngineOptions(
    Duration lookbackDelta,
    Duration timeout,
    long maxSamples,
    Duration evaluationInterval,
    boolean experimentalFunctions,
    boolean delayedNameRemoval) {

  /** Prometheus's defaults. */
  public static final EngineOptions DEFAULTS =
      new EngineOptions(
          Duration.ofMinutes(5),
          Duration.ofMinutes(2),
          50_000_000L,
          Duration.ofMinutes(1),
          false,
          false);

  /**
   * Checks every field and returns this.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public EngineOptions validate() {
    requirePositive("lookbackDelta", lookbackDelta);
    requirePositive("timeout", timeout);
    requirePositive("evaluationInterval", evaluationInterval);
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples must be positive, got " + maxSamples);
    }
    return this;
  }

  private static void requirePositive(String field, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(field + " must be set");
    }
    if (d.toMillis() <= 0) {
      throw new IllegalArgumentException(field + " must be at least 1ms, got " + d);
    }
  }

  /** A copy with another lookback delta. */
  public EngineOptions withLookbackDelta(Duration d) {
    return new EngineOptions(
        d, timeout, maxSamples, evaluationInterval, experimentalFunctions, delayedNameRemoval);
  }

  /** A copy with another timeout. */
  public EngineOptions withTimeout(Duration d) {
    return new EngineOptions(
        lookbackDelta,
        d,
        maxSamples,
        evaluationInterval,
        experimentalFunctions,
        delayedNameRemoval);
  }

  /** A copy with another sample limit. */
  public EngineOptions withMaxSamples(long n) {
    return new EngineOptions(
        lookbackDelta, timeout, n, evaluationInterval, experimentalFunctions, delayedNameRemoval);
  }

  /** A copy with another evaluation interval. */
  public EngineOptions withEvaluationInterval(Duration d) {
    return new EngineOptions(
        lookbackDelta, timeout, maxSamples, d, experimentalFunctions, delayedNameRemoval);
  }

  /** A copy with experimental functions switched on or off. */
  public EngineOptions withExperimentalFunctions(boolean on) {
    return new EngineOptions(
        lookbackDelta, timeout, maxSamples, evaluationInterval, on, delayedNameRemoval);
  }

  /** A copy with delayed {@code __name__} removal switched on or off. */
  public EngineOptions withDelayedNameRemoval(boolean on) {
    return new EngineOptions(
        lookbackDelta, timeout, maxSamples, evaluationInterval, experimentalFunctions, on);
  }
}
