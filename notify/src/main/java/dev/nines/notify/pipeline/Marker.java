package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the pipeline last decided about each alert: which silences and which alerts mute it. A
 * change is reported to the listener (which records it in the history).
 */
public final class Marker {
  /**
   * One alert's marks.
   *
   * @param silencedBy ids of the active silences that match it
   * @param inhibitedBy fingerprints of the firing alerts that inhibit it
   */
  public record Status(List<String> silencedBy, List<Long> inhibitedBy) {
    /** No marks. */
    public static final Status NONE = new Status(List.of(), List.of());

    /** Copies the lists. */
    public Status {
      silencedBy = List.copyOf(silencedBy);
      inhibitedBy = List.copyOf(inhibitedBy);
    }

    /** Whether the alert is muted. */
    public boolean suppressed() {
      return !silencedBy.isEmpty() || !inhibitedBy.isEmpty();
    }
  }

  /** Told of every change of an alert's marks. */
  @FunctionalInterface
  public interface Listener {
    void changed(Alert alert, Status before, Status after);
  }

  private final Map<Long, Status> marks = new ConcurrentHashMap<>();
  private final Listener listener;

  /** A marker that reports changes to {@code listener}. */
  public Marker(Listener listener) {
    this.listener = listener;
  }

  /** Sets which silences mute the alert. */
  public void silenced(Alert alert, List<String> ids) {
    Status before = status(alert.fingerprint());
    if (!before.silencedBy().equals(ids)) {
      Status after = new Status(ids, before.inhibitedBy());
      marks.put(alert.fingerprint(), after);
      listener.changed(alert, before, after);
    }
  }

  /** Sets which alerts inhibit the alert. */
  public void inhibited(Alert alert, List<Long> fingerprints) {
    Status before = status(alert.fingerprint());
    if (!before.inhibitedBy().equals(fingerprints)) {
      Status after = new Status(before.silencedBy(), fingerprints);
      marks.put(alert.fingerprint(), after);
      listener.changed(alert, before, after);
    }
  }

  /** The alert's marks (none if never marked). */
  public Status status(long fingerprint) {
    return marks.getOrDefault(fingerprint, Status.NONE);
  }

  /** Forgets a dropped alert. */
  public void delete(long fingerprint) {
    marks.remove(fingerprint);
  }
}
