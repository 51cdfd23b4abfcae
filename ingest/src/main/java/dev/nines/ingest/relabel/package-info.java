/**
 * Relabelling as Prometheus does it: {@link dev.nines.ingest.relabel.RelabelConfig} (one step,
 * validated when built) and {@link dev.nines.ingest.relabel.Relabeler} (a list of steps over a
 * label set). Used for scrape targets ({@code relabel_configs}) and scraped samples ({@code
 * metric_relabel_configs}); see {@code docs/scrape.md}. Everything in this package is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.ingest.relabel;

import org.jspecify.annotations.NullMarked;
