package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The kept state of one pending or firing alert of an alerting rule: enough to restore the alert,
 * and its {@code for} clock, after a restart. Times are kept to the millisecond.
 *
 * @param ruleGroup the rule group's key (e.g. {@code file;group})
 * @param fingerprint the alert's label-set fingerprint (a 64-bit hash; read it as unsigned)
 * @param state pending or firing
 * @param activeAt when the alert became pending
 * @param firedAt when it started firing; {@code null} while pending
 * @param lastValue the value of the last evaluation (NaN and infinities are kept)
 * @param labels the alert's labels, sorted by name
 * @param annotations the alert's annotations, sorted by name
 * @param updatedAt when this state was written
 */
public record AlertStateEntry(
    String ruleGroup,
    long fingerprint,
    State state,
    Instant activeAt,
    Instant firedAt,
    double lastValue,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant updatedAt) {

  /** The state of an alert that the store keeps; inactive alerts are deleted instead. */
  public enum State {
    /** The expression holds but not yet for the rule's {@code for} duration. */
    PENDING,
    /** The alert is firing. */
    FIRING
  }

  /** Checks the fields, copies the maps (sorted) and truncates the times to milliseconds. */
  public AlertStateEntry {
    Objects.requireNonNull(ruleGroup, "alert state ruleGroup");
    Objects.requireNonNull(state, "alert state state");
    activeAt =
        Objects.requireNonNull(activeAt, "alert state activeAt").truncatedTo(ChronoUnit.MILLIS);
    firedAt = firedAt == null ? null : firedAt.truncatedTo(ChronoUnit.MILLIS);
    labels = sortedCopy(Objects.requireNonNull(labels, "alert state labels"));
    annotations = sortedCopy(Objects.requireNonNull(annotations, "alert state annotations"));
    updatedAt =
        Objects.requireNonNull(updatedAt, "alert state updatedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  private static SortedMap<String, String> sortedCopy(Map<String, String> map) {
    TreeMap<String, String> copy = new TreeMap<>();
    map.forEach(
        (k, v) ->
            copy.put(
                Objects.requireNonNull(k, "alert state label name"),
                Objects.requireNonNull(v, "alert state label value")));
    return Collections.unmodifiableSortedMap(copy);
  }
}
