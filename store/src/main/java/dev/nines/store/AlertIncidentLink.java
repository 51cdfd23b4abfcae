package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An alert occurrence linked to the incident it led to (table {@code alert_incident_links}).
 *
 * @param fingerprint the alert's fingerprint
 * @param alertStartsAt the {@code startsAt} of the occurrence linked
 * @param alertname the alert's {@code alertname} label, or empty
 * @param incident the incident: an id ({@code INC-42}) or a URL, as given
 * @param linkedAt when it was linked
 * @param linkedBy who linked it
 */
public record AlertIncidentLink(
    long fingerprint,
    Instant alertStartsAt,
    String alertname,
    String incident,
    Instant linkedAt,
    String linkedBy) {

  /** Checks the fields and truncates times to milliseconds. */
  public AlertIncidentLink {
    alertStartsAt =
        Objects.requireNonNull(alertStartsAt, "link alertStartsAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(alertname, "link alertname");
    Objects.requireNonNull(incident, "link incident");
    linkedAt = Objects.requireNonNull(linkedAt, "link linkedAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(linkedBy, "link linkedBy");
  }
}
