package dev.nines.notify;

import java.time.Duration;

/**
 * Settings of the pipeline that are not part of the Alertmanager configuration.
 *
 * @param externalUrl Nines's URL as users reach it, for links in notifications
 * @param historyRetention how long history events, expired silences and notification log entries
 *     are kept
 * @param restartGrace how long after a start an alert that was notified as firing, and whose end
 *     passed while Nines was down, stays firing so that its sender can refresh it
 * @param maintenanceInterval how often resolutions by time and silence/inhibition marks are checked
 * @param gcInterval how often resolved alerts, expired silences and old history are collected
 * @param retryBase the first retry's backoff
 * @param retryCap the longest retry backoff
 * @param maxConcurrentSends the most sends in flight at once through one integration (see {@link
 *     dev.nines.notify.pipeline.SendLimiter}); at least 1
 */
public record NotifyOptions(
    String externalUrl,
    Duration historyRetention,
    Duration restartGrace,
    Duration maintenanceInterval,
    Duration gcInterval,
    Duration retryBase,
    Duration retryCap,
    int maxConcurrentSends) {

  /** The default of {@link #maxConcurrentSends}. */
  public static final int DEFAULT_MAX_CONCURRENT_SENDS = 64;

  /** The defaults. */
  public static final NotifyOptions DEFAULTS =
      new NotifyOptions(
          "http://127.0.0.1:9595",
          Duration.ofDays(30),
          Duration.ofMinutes(2),
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          Duration.ofMillis(500),
          Duration.ofSeconds(30),
          DEFAULT_MAX_CONCURRENT_SENDS);

  /** Checks {@code maxConcurrentSends}. */
  public NotifyOptions {
    if (maxConcurrentSends < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentSends must be at least 1, not " + maxConcurrentSends);
    }
  }

  /** These options with another external URL. */
  public NotifyOptions withExternalUrl(String url) {
    return new NotifyOptions(
        url,
        historyRetention,
        restartGrace,
        maintenanceInterval,
        gcInterval,
        retryBase,
        retryCap,
        maxConcurrentSends);
  }

  /** These options with another history retention. */
  public NotifyOptions withHistoryRetention(Duration retention) {
    return new NotifyOptions(
        externalUrl,
        retention,
        restartGrace,
        maintenanceInterval,
        gcInterval,
        retryBase,
        retryCap,
        maxConcurrentSends);
  }

  /** These options with other retry backoffs. */
  public NotifyOptions withRetry(Duration base, Duration cap) {
    return new NotifyOptions(
        externalUrl,
        historyRetention,
        restartGrace,
        maintenanceInterval,
        gcInterval,
        base,
        cap,
        maxConcurrentSends);
  }

  /** These options with another bound on the sends in flight per integration. */
  public NotifyOptions withMaxConcurrentSends(int max) {
    return new NotifyOptions(
        externalUrl,
        historyRetention,
        restartGrace,
        maintenanceInterval,
        gcInterval,
        retryBase,
        retryCap,
        max);
  }
}
