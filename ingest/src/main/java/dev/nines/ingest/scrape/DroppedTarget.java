package dev.nines.ingest.scrape;

import dev.nines.common.Labels;

/** A discovered target that {@code relabel_configs} dropped, for {@code droppedTargets}. */
public record DroppedTarget(String scrapePool, Labels discoveredLabels) {}
