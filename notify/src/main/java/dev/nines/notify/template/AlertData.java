package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoObject;
import dev.nines.notify.Alert;
import dev.nines.notify.Fingerprint;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One alert as Alertmanager's templates and webhook payload see it ({@code template.Alert}). A
 * firing alert's {@code EndsAt} is Go's zero time, as Alertmanager hides an end not yet reached.
 *
 * @param status {@code firing} or {@code resolved}
 * @param labels the labels
 * @param annotations the annotations
 * @param startsAt when it started
 * @param endsAt when it resolved; {@link GoTime#ZERO} while firing
 * @param generatorUrl the link to its source
 * @param fingerprint the fingerprint in hex
 */
public record AlertData(
    String status,
    KV labels,
    KV annotations,
    GoTime startsAt,
    GoTime endsAt,
    String generatorUrl,
    String fingerprint)
    implements GoObject {

  /** The data of {@code alert} at {@code now}. */
  public static AlertData of(Alert alert, Instant now) {
    boolean resolved = alert.resolvedAt(now);
    Instant end = resolved ? alert.endsAt() : GoTime.ZERO;
    java.util.Map<String, String> labels = new java.util.TreeMap<>();
    alert.labels().forEach(labels::put);
    return new AlertData(
        resolved ? "resolved" : "firing",
        new KV(labels),
        new KV(alert.annotations()),
        new GoTime(alert.startsAt()),
        new GoTime(end),
        alert.generatorUrl(),
        Fingerprint.hex(alert.fingerprint()));
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) {
    return switch (name) {
      case "Status" -> status;
      case "Labels" -> labels;
      case "Annotations" -> annotations;
      case "StartsAt" -> startsAt;
      case "EndsAt" -> endsAt;
      case "GeneratorURL" -> generatorUrl;
      case "Fingerprint" -> fingerprint;
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "template.Alert";
  }

  @Override
  public String toString() {
    return "{"
        + status
        + " "
        + labels
        + " "
        + annotations
        + " "
        + startsAt
        + " "
        + endsAt
        + " "
        + generatorUrl
        + " "
        + fingerprint
        + "}";
  }
}
