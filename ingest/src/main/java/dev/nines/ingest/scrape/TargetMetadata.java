package dev.nines.ingest.scrape;

import dev.nines.common.Labels;
import dev.nines.ingest.exposition.MetricMetadata;
import java.util.List;

/**
 * The metric metadata one active target declared in its last successful scrape, for {@code
 * /api/v1/metadata} and {@code /api/v1/targets/metadata}.
 *
 * @param scrapePool the job name of the target's scrape config
 * @param target the target's labels ({@code job}, {@code instance}, ...)
 * @param metadata one entry per family with a {@code # TYPE}, {@code # HELP} or {@code # UNIT}
 *     line, in order of appearance
 */
public record TargetMetadata(String scrapePool, Labels target, List<MetricMetadata> metadata) {}
