package dev.nines.notify.ack;

import dev.nines.notify.Alert;
import dev.nines.store.AlertAck;
import dev.nines.store.AlertAckRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Acknowledgements, one per alert fingerprint and valid for one occurrence of the alert (the one
 * that started at the ack's {@code alertStartsAt}). Written to the store before a call returns and
 * cached in memory.
 */
public final class Acks {
  private final AlertAckRepository repository;
  private final Map<Long, AlertAck> cache = new ConcurrentHashMap<>();

  /** Loads the stored acks. */
  public Acks(AlertAckRepository repository) {
    this.repository = repository;
    for (AlertAck a : repository.list()) {
      cache.put(a.fingerprint(), a);
    }
  }

  /** Acknowledges these alerts' current occurrences; returns the acks written. */
  public List<AlertAck> ack(
      Collection<Alert> alerts, String by, String comment, @Nullable String groupKey, Instant now) {
    List<AlertAck> acks = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      acks.add(new AlertAck(a.fingerprint(), a.startsAt(), now, by, comment, groupKey));
    }
    repository.upsertAll(acks);
    for (AlertAck a : acks) {
      cache.put(a.fingerprint(), a);
    }
    return acks;
  }

  /** The ack of this alert's current occurrence, or null. */
  public @Nullable AlertAck of(Alert alert) {
    AlertAck a = cache.get(alert.fingerprint());
    return a != null
            && a.alertStartsAt()
                .equals(alert.startsAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
        ? a
        : null;
  }

  /** Whether this alert's current occurrence is acked. */
  public boolean acked(Alert alert) {
    return of(alert) != null;
  }

  /**
   * Ends the acks of these fingerprints (their alerts resolved).
   *
   * @return the acks that ended
   */
  public List<AlertAck> end(Collection<Long> fingerprints) {
    List<Long> present = new ArrayList<>();
    List<AlertAck> ended = new ArrayList<>();
    for (Long fp : fingerprints) {
      AlertAck a = cache.get(fp);
      if (a != null) {
        present.add(fp);
        ended.add(a);
      }
    }
    if (!present.isEmpty()) {
      repository.deleteAll(present);
      present.forEach(cache::remove);
    }
    return ended;
  }

  /** How many acks are held. */
  public int size() {
    return cache.size();
  }
}
