package dev.nines.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A silence as the store keeps it: alerts whose labels match every matcher are muted from {@code
 * startsAt} (inclusive) to {@code endsAt} (exclusive). Times are kept to the millisecond; finer
 * parts are truncated on construction so that what is read back equals what was written.
 *
 * @param id the silence id, a UUID string from {@link #newId()}
 * @param matchers the matchers, at least one, in the order given
 * @param startsAt when the silence starts
 * @param endsAt when the silence ends; not before {@code startsAt}
 * @param createdBy who created it
 * @param comment why
 * @param updatedAt when it was last written
 */
public record Silence(
    String id,
    List<Matcher> matchers,
    Instant startsAt,
    Instant endsAt,
    String createdBy,
    String comment,
    Instant updatedAt) {

  /** Longest id the schema accepts. */
  public static final int MAX_ID_LENGTH = 64;

  /** Checks the fields, copies the matchers and truncates the times to milliseconds. */
  public Silence {
    Objects.requireNonNull(id, "silence id");
    if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "silence id: must be 1.." + MAX_ID_LENGTH + " characters, got \"" + id + "\"");
    }
    matchers = List.copyOf(Objects.requireNonNull(matchers, "silence matchers"));
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("silence matchers: at least one matcher is required");
    }
    startsAt = Objects.requireNonNull(startsAt, "silence startsAt").truncatedTo(ChronoUnit.MILLIS);
    endsAt = Objects.requireNonNull(endsAt, "silence endsAt").truncatedTo(ChronoUnit.MILLIS);
    if (endsAt.isBefore(startsAt)) {
      throw new IllegalArgumentException(
          "silence endsAt: " + endsAt + " is before startsAt " + startsAt);
    }
    Objects.requireNonNull(createdBy, "silence createdBy");
    Objects.requireNonNull(comment, "silence comment");
    updatedAt =
        Objects.requireNonNull(updatedAt, "silence updatedAt").truncatedTo(ChronoUnit.MILLIS);
  }

  /** A new random silence id (a UUID string). */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Whether the silence mutes alerts at {@code t}: {@code startsAt <= t < endsAt}. */
  public boolean activeAt(Instant t) {
    return !t.isBefore(startsAt) && t.isBefore(endsAt);
  }
}
