package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.Integration;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through the integration, retrying retryable failures with exponential backoff and jitter
 * until the flush's deadline; a non-retryable failure stops at once. Each attempt first takes one
 * of the integration's send slots ({@link SendLimiter}), held only while it runs; no slot free
 * before the deadline ends the branch as a retryable failure. An integration without {@code
 * send_resolved} gets only the firing alerts, and nothing at all when none fire (the log is still
 * updated by the next stage).
 */
final class RetryStage implements IntegrationStage {
  private static final Logger log = LoggerFactory.getLogger(RetryStage.class);

  private final NotifyStats stats;
  private final SendLimiter limiter;
  private final InstantSource clock;
  private final Duration base;
  private final Duration cap;

  RetryStage(
      NotifyStats stats, SendLimiter limiter, InstantSource clock, Duration base, Duration cap) {
    this.stats = stats;
    this.limiter = limiter;
    this.clock = clock;
    this.base = base;
    this.cap = cap;
  }

  @Override
  public List<Alert> apply(FlushContext ctx, Integration integration, List<Alert> alerts)
      throws InterruptedException, SendFailedException {
    List<Alert> toSend =
        integration.sendResolved()
            ? alerts
            : alerts.stream().filter(a -> !a.resolvedAt(ctx.now())).toList();
    if (toSend.isEmpty()) {
      return alerts;
    }
    Notification n =
        new Notification(
            ctx.receiver(),
            ctx.groupKey(),
            ctx.groupLabels(),
            toSend,
            ctx.externalUrl(),
            ctx.now());
    String where = ctx.receiver() + "/" + integration.name() + "[" + integration.index() + "]";
    for (int attempt = 0; ; attempt++) {
      SendLimiter.Slot slot =
          limiter.acquire(
              ctx.receiver(), integration, Duration.between(clock.instant(), ctx.deadline()));
      if (slot == null) {
        log.atWarn()
            .addKeyValue("group", ctx.groupKey())
            .addKeyValue("integration", where)
            .addKeyValue("max_concurrent_sends", limiter.limit())
            .log("notification not sent; no send slot was free before the group interval ended");
        throw new SendFailedException(where + ": no send slot free before the deadline", true);
      }
      long start = System.nanoTime();
      SendResult result;
      try (slot) {
        result = integration.send(n);
      } catch (RuntimeException e) {
        result = SendResult.retry(integration.name() + ": " + e);
      }
      stats.attempt(integration.name(), ctx.receiver(), (System.nanoTime() - start) / 1e9);
      if (result.ok()) {
        return alerts;
      }
      stats.failed(integration.name(), ctx.receiver(), result.retryable());
      if (!result.retryable()) {
        log.atWarn()
            .addKeyValue("group", ctx.groupKey())
            .addKeyValue("integration", where)
            .addKeyValue("err", result.error())
            .log("notification failed; not retryable");
        throw new SendFailedException(where + ": " + result.error(), false);
      }
      Duration wait = backoff(attempt);
      if (clock.instant().plus(wait).isAfter(ctx.deadline())) {
        log.atWarn()
            .addKeyValue("group", ctx.groupKey())
            .addKeyValue("integration", where)
            .addKeyValue("attempts", attempt + 1)
            .addKeyValue("err", result.error())
            .log("notification failed; retries ran out at the group interval");
        throw new SendFailedException(where + ": " + result.error(), true);
      }
      Thread.sleep(wait);
    }
  }

  /** {@code min(cap, base * 2^attempt)} scaled by a random factor in [0.5, 1). */
  Duration backoff(int attempt) {
    long ms = base.toMillis() << Math.min(attempt, 20);
    ms = Math.min(ms, cap.toMillis());
    double jitter = 0.5 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Duration.ofMillis(Math.max(1, (long) (ms * jitter)));
  }
}
