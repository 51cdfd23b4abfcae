package dev.nines.ingest.scrape;

import java.util.List;

/**
 * A parsed, validated scraping configuration: the global defaults and the scrape configs, job names
 * unique.
 */
public record ScrapeConfigs(GlobalConfig global, List<ScrapeConfig> scrapeConfigs) {
  /** Copies the list. */
  public ScrapeConfigs {
    scrapeConfigs = List.copyOf(scrapeConfigs);
  }
}
