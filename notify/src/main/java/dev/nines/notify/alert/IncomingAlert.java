package dev.nines.notify.alert;

import dev.nines.common.Labels;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An alert as a sender posts it (Alertmanager's {@code postableAlert}): start and end are optional.
 *
 * @param labels the identifying labels
 * @param annotations extra information
 * @param startsAt when it started; null means now (or {@code endsAt} if that is given)
 * @param endsAt when it ends; null means {@code now + resolve_timeout}, marked as a timeout
 * @param generatorUrl a link back to the source; may be empty
 */
public record IncomingAlert(
    Labels labels,
    Map<String, String> annotations,
    @Nullable Instant startsAt,
    @Nullable Instant endsAt,
    String generatorUrl) {

  /** Checks the fields; the annotations are copied. */
  public IncomingAlert {
    Objects.requireNonNull(labels, "labels");
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(generatorUrl, "generatorUrl");
  }
}
