package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import java.time.Duration;

/**
 * The {@code global} section: defaults for every scrape config, and the external labels (kept for
 * the server; they are not added to scraped samples, as in Prometheus).
 *
 * @param scrapeInterval default {@code 1m}
 * @param scrapeTimeout default {@code 10s}
 * @param externalLabels labels for federation and remote write
 */
public record GlobalConfig(Duration scrapeInterval, Duration scrapeTimeout, Labels externalLabels) {
  /** Prometheus's defaults. */
  public static final GlobalConfig DEFAULT =
      new GlobalConfig(Duration.ofMinutes(1), Duration.ofSeconds(10), Labels.EMPTY);
}
