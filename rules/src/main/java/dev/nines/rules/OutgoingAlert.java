package dev.nines.rules;

import java.time.Instant;
import java.util.Map;

/**
 * An alert handed to an {@link AlertSink}, in the shape Alertmanager's API takes.
 *
 * @param labels the alert's labels, external labels added where the alert has none of that name
 * @param annotations the expanded annotations
 * @param startsAt when the alert started firing
 * @param endsAt when it resolved, or, while firing, now + 4 * max(interval, resend delay) so that
 *     the receiver resolves it by itself if Nines stops sending
 * @param generatorUrl a link to the expression in the query UI
 */
public record OutgoingAlert(
    Map<String, String> labels,
    Map<String, String> annotations,
    Instant startsAt,
    Instant endsAt,
    String generatorUrl) {
  /** Creates an alert; the maps are copied. */
  public OutgoingAlert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
