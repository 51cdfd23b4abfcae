package dev.nines.server.api;

/**
 * The metadata of one metric family as Prometheus's {@code /api/v1/metadata} reports it.
 *
 * @param type counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown
 * @param help the HELP text
 * @param unit the UNIT, or empty
 */
public record MetricMetadata(String type, String help, String unit) {}
