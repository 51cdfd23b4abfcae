package dev.nines.rules;

import dev.nines.common.Labels;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one alert of an alerting rule, for the API.
 *
 * @param labels the alert's labels (with {@code alertname})
 * @param annotations the expanded annotations
 * @param state pending, firing, or inactive (resolved, kept for the retention period)
 * @param activeAt when the condition first held
 * @param firedAt when it started firing, or null
 * @param resolvedAt when it resolved, or null
 * @param keepFiringSince since when it fires only because of {@code keep_firing_for}, or null
 * @param value the expression's value at the last evaluation
 */
public record ActiveAlert(
    Labels labels,
    Map<String, String> annotations,
    AlertState state,
    Instant activeAt,
    @Nullable Instant firedAt,
    @Nullable Instant resolvedAt,
    @Nullable Instant keepFiringSince,
    double value) {}
