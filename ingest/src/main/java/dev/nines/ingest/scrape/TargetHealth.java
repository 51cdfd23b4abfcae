package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One active target as {@code /api/v1/targets} shows it, in Prometheus's field names.
 *
 * @param lastError the last scrape's error ({@code line 3, column 7: ...} for a bad exposition),
 *     empty when it succeeded
 * @param lastScrape when the last scrape started; null before the first
 * @param lastScrapeDuration seconds the last scrape took
 * @param scrapeInterval and {@code scrapeTimeout} in Prometheus's duration notation
 */
public record TargetHealth(
    String scrapePool,
    String scrapeUrl,
    String globalUrl,
    Labels labels,
    Labels discoveredLabels,
    String lastError,
    @Nullable Instant lastScrape,
    double lastScrapeDuration,
    Health health,
    String scrapeInterval,
    String scrapeTimeout) {

  /** A target's health as the API reports it. */
  public enum Health {
    UP("up"),
    DOWN("down"),
    UNKNOWN("unknown");

    private final String apiName;

    Health(String apiName) {
      this.apiName = apiName;
    }

    /** The JSON value: {@code up}, {@code down} or {@code unknown}. */
    public String apiName() {
      return apiName;
    }
  }
}
