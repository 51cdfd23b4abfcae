package dev.nines.notify;

/**
 * One configured way of notifying a receiver, e.g. the second {@code webhook_configs} entry of
 * receiver {@code team-a}. Implementations render their templates from the {@link Notification} and
 * make one attempt per call; the pipeline owns retries, backoff and the notification log.
 * Implementations are thread-safe.
 */
public interface Integration {
  /**
   * The integration's kind as Alertmanager names it in metrics and the notification log: {@code
   * webhook}, {@code slack}, {@code email} or {@code pagerduty}.
   */
  String name();

  /** The position of this integration among the receiver's integrations of the same kind. */
  int index();

  /** Whether resolved alerts are sent ({@code send_resolved}). */
  boolean sendResolved();

  /**
   * Makes one attempt to deliver {@code notification}.
   *
   * @throws InterruptedException when the sending thread is interrupted (shutdown)
   */
  SendResult send(Notification notification) throws InterruptedException;
}
