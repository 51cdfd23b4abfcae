/**
 * Parsers and a writer for the two text exposition formats a scrape target can answer with: the
 * Prometheus text format 0.0.4 and OpenMetrics 1.0 text.
 *
 * <p>Entry points: {@link dev.nines.ingest.exposition.ExpositionParser} (a pull parser over the
 * scrape body), {@link dev.nines.ingest.exposition.ExpositionFormat} (content negotiation) and
 * {@link dev.nines.ingest.exposition.TextFormatWriter}. The formats, what is rejected and the
 * allocation strategy are described in {@code docs/formats/exposition.md}. Everything in this
 * package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.ingest.exposition;

import org.jspecify.annotations.NullMarked;
