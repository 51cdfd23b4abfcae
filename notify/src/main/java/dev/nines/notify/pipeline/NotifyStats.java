package dev.nines.notify.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline's counters, read by the server's self metrics: alerts received by status,
 * notification attempts and failures by integration and receiver, send latencies, and the send
 * slots of the {@link SendLimiter} (in flight, waiting, and how many sends had to wait).
 */
public final class NotifyStats {
  /** Where send latencies go (the server's histogram); called once per attempt. */
  @FunctionalInterface
  public interface LatencyObserver {
    void observe(String integration, double seconds);
  }

  /**
   * The labels of one failure counter.
   *
   * @param integration the integration's kind
   * @param receiver the receiver's name
   * @param reason {@code retryable} or {@code permanent}
   */
  public record FailureKey(String integration, String receiver, String reason) {}

  /**
   * The labels of one attempt counter.
   *
   * @param integration the integration's kind
   * @param receiver the receiver's name
   */
  public record AttemptKey(String integration, String receiver) {}

  private final LongAdder firingReceived = new LongAdder();
  private final LongAdder resolvedReceived = new LongAdder();
  private final LongAdder invalidReceived = new LongAdder();
  private final Map<AttemptKey, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<FailureKey, LongAdder> failures = new ConcurrentHashMap<>();
  private final Map<AttemptKey, AtomicLong> inFlight = new ConcurrentHashMap<>();
  private final Map<AttemptKey, AtomicLong> waiting = new ConcurrentHashMap<>();
  private final Map<AttemptKey, LongAdder> waitedTotal = new ConcurrentHashMap<>();
  private volatile LatencyObserver latency = (i, s) -> {};

  /** Counts a received alert. */
  public void received(boolean firing) {
    (firing ? firingReceived : resolvedReceived).increment();
  }

  /** Counts an alert refused as invalid. */
  public void invalid() {
    invalidReceived.increment();
  }

  /** Counts one send attempt and its latency. */
  public void attempt(String integration, String receiver, double seconds) {
    attempts
        .computeIfAbsent(new AttemptKey(integration, receiver), k -> new LongAdder())
        .increment();
    latency.observe(integration, seconds);
  }

  /** Counts one failed attempt. */
  public void failed(String integration, String receiver, boolean retryable) {
    failures
        .computeIfAbsent(
            new FailureKey(integration, receiver, retryable ? "retryable" : "permanent"),
            k -> new LongAdder())
        .increment();
  }

  /** A send took ({@code +1}) or gave back ({@code -1}) a slot of its integration. */
  void sendInFlight(AttemptKey key, int delta) {
    inFlight.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(delta);
  }

  /** A send started ({@code +1}) or stopped ({@code -1}) waiting for a slot. */
  void sendWaiting(AttemptKey key, int delta) {
    waiting.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(delta);
    if (delta > 0) {
      waitedTotal.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  /** Sends in flight now, by integration and receiver. */
  public Map<AttemptKey, Long> sendsInFlight() {
    return snapshot(inFlight);
  }

  /** Sends waiting for a slot now, by integration and receiver. */
  public Map<AttemptKey, Long> sendsWaiting() {
    return snapshot(waiting);
  }

  /** Sends that had to wait for a slot so far, by integration and receiver. */
  public Map<AttemptKey, Long> sendsWaitedTotal() {
    Map<AttemptKey, Long> out = new java.util.HashMap<>();
    waitedTotal.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static Map<AttemptKey, Long> snapshot(Map<AttemptKey, AtomicLong> m) {
    Map<AttemptKey, Long> out = new java.util.HashMap<>();
    m.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Sets where latencies go. */
  public void latencyObserver(LatencyObserver observer) {
    this.latency = observer;
  }

  public long firingReceived() {
    return firingReceived.sum();
  }

  public long resolvedReceived() {
    return resolvedReceived.sum();
  }

  public long invalidReceived() {
    return invalidReceived.sum();
  }

  /** Attempts so far, by integration and receiver. */
  public Map<AttemptKey, Long> attempts() {
    Map<AttemptKey, Long> out = new java.util.HashMap<>();
    attempts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Failed attempts so far, by integration, receiver and reason. */
  public Map<FailureKey, Long> failures() {
    Map<FailureKey, Long> out = new java.util.HashMap<>();
    failures.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
