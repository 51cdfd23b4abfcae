package dev.nines.notify.alert;

import dev.nines.notify.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The alerts the pipeline holds, by fingerprint, with Alertmanager's semantics.
 *
 * <ul>
 *   <li>An alert without {@code startsAt} starts now (or at its {@code endsAt}); one without {@code
 *       endsAt} ends at {@code now + resolve_timeout} and is marked {@code timeout}.
 *   <li>An alert whose fingerprint is held, and whose held copy had not resolved before the new one
 *       starts, is merged into it: the earlier start stays, the newer end, annotations and URL win,
 *       except that a sender's explicit end wins over a resolve-timeout end that is earlier.
 *   <li>Otherwise the new alert replaces the held one: a new occurrence.
 * </ul>
 *
 * Updates of one fingerprint are atomic ({@link ConcurrentHashMap#compute}); reads never block.
 */
public final class AlertStore {
  /** How an alert's state changed with one {@link #put}. */
  public enum Change {
    /** It was not held, or the held copy had resolved: it fires now. */
    FIRING,
    /** It was held and firing, and now is resolved. */
    RESOLVED,
    /** It was held and is in the same state (firing or resolved) as before. */
    UNCHANGED,
    /** It was not held and arrives resolved. */
    RESOLVED_UNSEEN
  }

  /**
   * The result of one put.
   *
   * @param alert the alert as now held
   * @param previous the copy held before, if any
   * @param change how its state changed
   */
  public record PutResult(Alert alert, @Nullable Alert previous, Change change) {}

  private final ConcurrentHashMap<Long, Alert> alerts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, String> sources = new ConcurrentHashMap<>();

  /** Normalises a posted alert: defaults for start and end, as Alertmanager applies them. */
  public static Alert normalise(IncomingAlert in, Instant now, Duration resolveTimeout) {
    Instant endsAt = in.endsAt();
    Instant startsAt = in.startsAt();
    if (startsAt == null) {
      startsAt = endsAt != null ? endsAt : now;
    }
    boolean timeout = false;
    if (endsAt == null) {
      endsAt = now.plus(resolveTimeout);
      timeout = true;
    }
    if (endsAt.isBefore(startsAt)) {
      throw new IllegalArgumentException(
          "alert " + in.labels() + ": endsAt " + endsAt + " is before startsAt " + startsAt);
    }
    return new Alert(
        in.labels(), in.annotations(), startsAt, endsAt, in.generatorUrl(), now, timeout);
  }

  /** Merges {@code incoming} into what is held (see the class comment); {@code now} decides. */
  public PutResult put(Alert incoming, String source, Instant now) {
    long fp = incoming.fingerprint();
    Object[] before = new Object[1];
    Alert held =
        alerts.compute(
            fp,
            (k, old) -> {
              before[0] = old;
              if (old == null || old.endsAt().isBefore(incoming.startsAt())) {
                return incoming;
              }
              return merge(old, incoming);
            });
    sources.put(fp, source);
    Alert previous = (Alert) before[0];
    boolean firingNow = !held.resolvedAt(now);
    Change change;
    if (previous == null) {
      change = firingNow ? Change.FIRING : Change.RESOLVED_UNSEEN;
    } else {
      boolean firingBefore = !previous.resolvedAt(now);
      boolean newOccurrence = !previous.startsAt().equals(held.startsAt());
      if (firingNow && (!firingBefore || newOccurrence)) {
        change = Change.FIRING;
      } else if (!firingNow && firingBefore) {
        change = Change.RESOLVED;
      } else {
        change = Change.UNCHANGED;
      }
    }
    return new PutResult(held, previous, change);
  }

  private static Alert merge(Alert old, Alert in) {
    Instant startsAt = old.startsAt().isBefore(in.startsAt()) ? old.startsAt() : in.startsAt();
    Instant endsAt = in.endsAt();
    boolean timeout = in.timeout();
    // A resolve-timeout end does not cut short an explicit end the sender gave earlier.
    if (in.timeout() && !old.timeout() && old.endsAt().isAfter(in.endsAt())) {
      endsAt = old.endsAt();
      timeout = false;
    }
    return new Alert(
        in.labels(),
        in.annotations(),
        startsAt,
        endsAt,
        in.generatorUrl(),
        in.updatedAt(),
        timeout);
  }

  /** Puts an alert loaded from the store as it is, with no merge. */
  public void restore(Alert alert, String source) {
    alerts.put(alert.fingerprint(), alert);
    sources.put(alert.fingerprint(), source);
  }

  /** The alert with this fingerprint, or null. */
  public @Nullable Alert get(long fingerprint) {
    return alerts.get(fingerprint);
  }

  /** Who sent the alert last ({@code rules} or {@code api}), or null. */
  public @Nullable String source(long fingerprint) {
    return sources.get(fingerprint);
  }

  /** A snapshot of every alert held. */
  public List<Alert> list() {
    return new ArrayList<>(alerts.values());
  }

  /** How many alerts are held. */
  public int size() {
    return alerts.size();
  }

  /**
   * Drops the resolved alerts that {@code held} says no group holds any more, unless they changed
   * meanwhile.
   *
   * @return the alerts dropped
   */
  public List<Alert> collect(Instant now, LongPredicate held) {
    List<Alert> dropped = new ArrayList<>();
    for (Map.Entry<Long, Alert> e : alerts.entrySet()) {
      Alert a = e.getValue();
      if (a.resolvedAt(now) && !held.test(e.getKey()) && alerts.remove(e.getKey(), a)) {
        sources.remove(e.getKey());
        dropped.add(a);
      }
    }
    return dropped;
  }

  /** Removes these alerts (when a group is dropped on reload, nothing else changes). */
  public void removeAll(Collection<Long> fingerprints) {
    for (Long fp : fingerprints) {
      alerts.remove(fp);
      sources.remove(fp);
    }
  }
}
