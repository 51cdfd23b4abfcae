package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Go {@code time.Time} as templates see it: printed as Go prints it ({@code 2026-11-23 22:00:00
 * +0000 UTC}), with {@code Unix}, {@code UnixMilli}, {@code IsZero}, {@code UTC} and {@code
 * String}. The zero time is {@code 0001-01-01T00:00:00Z}.
 *
 * @param instant the time
 */
public record GoTime(Instant instant) implements GoObject {
  /** Go's zero {@code time.Time}. */
  public static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

  private static final DateTimeFormatter GO_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", java.util.Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  /** Whether this is Go's zero time. */
  public boolean isZero() {
    return instant.equals(ZERO);
  }

  /** RFC 3339 with nanoseconds as needed, as Go's JSON encoding writes times. */
  public String rfc3339() {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) {
    return switch (name) {
      case "Unix" -> instant.getEpochSecond();
      case "UnixMilli" -> instant.toEpochMilli();
      case "IsZero" -> isZero();
      case "UTC" -> this;
      case "String" -> toString();
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "time.Time";
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(GO_TIME.format(instant));
    int nanos = instant.getNano();
    if (nanos != 0) {
      String frac = String.format(java.util.Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
      out.append('.').append(frac);
    }
    return out.append(" +0000 UTC").toString();
  }
}
