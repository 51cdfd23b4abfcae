package dev.nines.promql.engine;

import dev.nines.common.Labels;

/**
 * One element of an instant vector: a series' labels, the evaluation time and the value.
 *
 * @param labels the series' labels
 * @param timestamp the evaluation time in milliseconds
 * @param value the value
 */
public record Sample(Labels labels, long timestamp, double value) {}
