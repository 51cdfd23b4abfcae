package dev.nines.notify;

import dev.nines.common.Labels;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An alert as Alertmanager holds it. Its identity is {@link #fingerprint()}, the hash of its
 * labels.
 *
 * @param labels the identifying labels; not empty
 * @param annotations extra information (summary, runbook_url, ...); sorted by name
 * @param startsAt when the alert started firing
 * @param endsAt when it resolves (or resolved); for a firing alert whose sender gave no end, now +
 *     {@code resolve_timeout} at receipt, with {@code timeout} set
 * @param generatorUrl a link back to the alert's source; may be empty
 * @param updatedAt when Nines last received this alert
 * @param timeout whether {@code endsAt} was set by Nines from {@code resolve_timeout} rather than
 *     by the sender
 */
public record Alert(
    Labels labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorUrl,
    Instant updatedAt,
    boolean timeout) {

  /** Checks the fields; {@code annotations} is copied into name order. */
  public Alert {
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(endsAt, "endsAt");
    Objects.requireNonNull(generatorUrl, "generatorUrl");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("alert: labels must not be empty");
    }
    annotations = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  /** The alert's identity: {@link Fingerprint#of} its labels. */
  public long fingerprint() {
    return Fingerprint.of(labels);
  }

  /** Whether the alert is resolved at {@code t}: its end is at or before {@code t}. */
  public boolean resolvedAt(Instant t) {
    return !endsAt.isAfter(t);
  }

  /** The value of a label, or the empty string when it has none (Alertmanager's semantics). */
  public String label(String name) {
    String v = labels.get(name);
    return v == null ? "" : v;
  }
}
