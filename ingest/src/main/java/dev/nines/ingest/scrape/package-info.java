/**
 * Scraping: Prometheus's {@code scrape_configs} ({@link dev.nines.ingest.scrape.ScrapeConfigParser}
 * into {@link dev.nines.ingest.scrape.ScrapeConfigs}), target discovery from static and file
 * configs, one {@link dev.nines.ingest.scrape.ScrapeLoop} per target, and the {@link
 * dev.nines.ingest.scrape.ScrapeManager} that runs them and reports {@link
 * dev.nines.ingest.scrape.TargetHealth}. Behaviour is described in {@code docs/scrape.md}.
 * Everything in this package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.ingest.scrape;

import org.jspecify.annotations.NullMarked;
