package dev.nines.notify.pipeline;

import dev.nines.notify.Integration;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how many sends are in flight at once through one integration (one receiver's {@code
 * webhook_configs[0]}, say): at most {@code limit}; the others wait for a slot, first come first
 * served, and count against their flush's deadline.
 *
 * <p>Why: when a thousand groups flush together (one rule evaluation firing ten thousand alerts),
 * an unbounded fan-out opens a thousand connections to the same endpoint at once. Profiling the
 * issue-6 burst showed that connection storm making every notification late (the first one reached
 * the receiver only after 1.5 s) and costing more CPU than the sends themselves; with a bound, a
 * few connections are kept alive and reused, and the first groups are delivered at once. A slot is
 * held only while {@link Integration#send} runs, never during a retry's backoff or the
 * notification-log write.
 *
 * <p>Slots are per integration, keyed by receiver, kind and index, and survive a reload. Waits,
 * sends in flight and sends waiting are counted in {@link NotifyStats}.
 */
public final class SendLimiter {
  private record Key(String receiver, String integration, int index) {}

  private final int limit;
  private final NotifyStats stats;
  private final ConcurrentHashMap<Key, Semaphore> slots = new ConcurrentHashMap<>();

  /**
   * A limiter with {@code limit} slots per integration; waits and slots counted in {@code stats}.
   */
  public SendLimiter(int limit, NotifyStats stats) {
    if (limit < 1) {
      throw new IllegalArgumentException("max concurrent sends must be at least 1, not " + limit);
    }
    this.limit = limit;
    this.stats = stats;
  }

  /** The most sends in flight at once per integration. */
  public int limit() {
    return limit;
  }

  /** A held slot; {@link #close} gives it back. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes a slot of {@code integration} of {@code receiver}, waiting at most {@code maxWait}.
   *
   * @return the slot, or null when none was free in time
   * @throws InterruptedException when interrupted while waiting
   */
  public @org.jspecify.annotations.Nullable Slot acquire(
      String receiver, Integration integration, Duration maxWait) throws InterruptedException {
    Semaphore s =
        slots.computeIfAbsent(
            new Key(receiver, integration.name(), integration.index()),
            k -> new Semaphore(limit, true));
    NotifyStats.AttemptKey statsKey = new NotifyStats.AttemptKey(integration.name(), receiver);
    if (!s.tryAcquire()) {
      stats.sendWaiting(statsKey, +1);
      try {
        if (!s.tryAcquire(Math.max(0, maxWait.toNanos()), TimeUnit.NANOSECONDS)) {
          return null;
        }
      } finally {
        stats.sendWaiting(statsKey, -1);
      }
    }
    stats.sendInFlight(statsKey, +1);
    return () -> {
      stats.sendInFlight(statsKey, -1);
      s.release();
    };
  }
}
