package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

/**
 * An alert held by the notify pipeline, as the store keeps it (table {@code notify_alerts}). Times
 * are kept to the millisecond.
 *
 * @param fingerprint the alert's label-set fingerprint (64 bits, read as unsigned)
 * @param labels the alert's labels
 * @param annotations the alert's annotations
 * @param startsAt when it started firing
 * @param endsAt when it resolves or resolved
 * @param generatorUrl the link to its source; may be empty
 * @param updatedAt when Nines last received it
 * @param timeout whether {@code endsAt} came from {@code resolve_timeout}
 * @param source who sent it: {@code rules} or {@code api}
 */
public record StoredAlert(
    long fingerprint,
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorUrl,
    Instant updatedAt,
    boolean timeout,
    String source) {

  /** Checks that no field is null, copies the maps and truncates times to milliseconds. */
  public StoredAlert {
    labels = Map.copyOf(Objects.requireNonNull(labels, "stored alert labels"));
    annotations = Map.copyOf(Objects.requireNonNull(annotations, "stored alert annotations"));
    startsAt =
        Objects.requireNonNull(startsAt, "stored alert startsAt").truncatedTo(ChronoUnit.MILLIS);
    endsAt = Objects.requireNonNull(endsAt, "stored alert endsAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(generatorUrl, "stored alert generatorUrl");
    updatedAt =
        Objects.requireNonNull(updatedAt, "stored alert updatedAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(source, "stored alert source");
  }
}
