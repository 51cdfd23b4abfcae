package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An acknowledgement of one alert occurrence (table {@code alert_acks}).
 *
 * @param fingerprint the alert's fingerprint
 * @param alertStartsAt the {@code startsAt} of the occurrence acked; a later occurrence is not
 *     acked
 * @param ackedAt when it was acked
 * @param ackedBy who acked it
 * @param comment why; may be empty
 * @param groupKey the group key when acked through a group ack, else null
 */
public record AlertAck(
    long fingerprint,
    Instant alertStartsAt,
    Instant ackedAt,
    String ackedBy,
    String comment,
    String groupKey) {

  /** Checks the fields and truncates times to milliseconds. */
  public AlertAck {
    alertStartsAt =
        Objects.requireNonNull(alertStartsAt, "ack alertStartsAt").truncatedTo(ChronoUnit.MILLIS);
    ackedAt = Objects.requireNonNull(ackedAt, "ack ackedAt").truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(ackedBy, "ack ackedBy");
    Objects.requireNonNull(comment, "ack comment");
  }
}
