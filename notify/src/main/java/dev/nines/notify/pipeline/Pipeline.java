package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.Integration;
import dev.nines.notify.ack.Acks;
import dev.nines.notify.config.TimeInterval;
import dev.nines.notify.history.AlertHistory;
import dev.nines.notify.inhibit.Inhibitor;
import dev.nines.notify.nflog.NotificationLog;
import dev.nines.notify.silence.Silences;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The notification pipeline for one flush of one aggregation group, as a list of stages read top to
 * bottom: see {@link #build}. Receiver stages run in order on the flush's thread; the result fans
 * out to one virtual thread per integration, each running the integration stages in order (a
 * receiver with a single integration runs its branch on the flush's thread).
 */
public final class Pipeline {
  private final List<Stage> receiverStages;
  private final List<IntegrationStage> integrationStages;

  private Pipeline(List<Stage> receiverStages, List<IntegrationStage> integrationStages) {
    this.receiverStages = List.copyOf(receiverStages);
    this.integrationStages = List.copyOf(integrationStages);
  }

  /**
   * What the stages work with.
   *
   * @param timeIntervals the configuration's named time intervals
   * @param inhibitor the inhibition rules with their source index
   * @param silences the silences
   * @param marker where silence and inhibition marks go
   * @param nflog the notification log
   * @param acks the acknowledgements
   * @param history the alert history
   * @param stats the counters
   * @param limiter the send slots per integration
   * @param clock the time
   * @param retryBase the first retry's backoff
   * @param retryCap the longest backoff
   * @param retention how long notification log entries are kept at least
   */
  public record Parts(
      Map<String, TimeInterval> timeIntervals,
      Inhibitor inhibitor,
      Silences silences,
      Marker marker,
      NotificationLog nflog,
      Acks acks,
      AlertHistory history,
      NotifyStats stats,
      SendLimiter limiter,
      InstantSource clock,
      Duration retryBase,
      Duration retryCap,
      Duration retention) {}

  /** The pipeline: every stage, in order. */
  public static Pipeline build(Parts p) {
    return new Pipeline(
        List.of(
            new TimeActiveStage(p.timeIntervals()),
            new TimeMuteStage(p.timeIntervals()),
            new InhibitStage(p.inhibitor(), p.marker()),
            new SilenceStage(p.silences(), p.marker())),
        List.of(
            new DedupStage(p.nflog(), p.acks()),
            new RetryStage(p.stats(), p.limiter(), p.clock(), p.retryBase(), p.retryCap()),
            new NotifyLogStage(p.nflog(), p.history(), p.retention())));
  }

  /**
   * Runs one flush.
   *
   * @return true when every integration branch delivered or had nothing to deliver
   */
  public boolean run(FlushContext ctx, List<Alert> alerts) throws InterruptedException {
    List<Alert> current = alerts;
    for (Stage stage : receiverStages) {
      current = stage.apply(ctx, current);
      if (current.isEmpty()) {
        return true;
      }
    }
    List<Alert> passed = current;
    if (ctx.integrations().size() == 1) {
      // One branch: run it on the flush's own thread rather than start and join another.
      try {
        runBranch(ctx, ctx.integrations().get(0), passed);
        return true;
      } catch (SendFailedException e) {
        return false;
      }
    }
    AtomicBoolean ok = new AtomicBoolean(true);
    List<Thread> branches = new ArrayList<>(ctx.integrations().size());
    for (Integration integration : ctx.integrations()) {
      branches.add(
          Thread.ofVirtual()
              .name("notify-" + ctx.receiver() + "-" + integration.name())
              .start(
                  () -> {
                    try {
                      runBranch(ctx, integration, passed);
                    } catch (SendFailedException e) {
                      ok.set(false);
                    } catch (InterruptedException e) {
                      ok.set(false);
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    for (Thread t : branches) {
      t.join();
    }
    return ok.get();
  }

  private void runBranch(FlushContext ctx, Integration integration, List<Alert> alerts)
      throws InterruptedException, SendFailedException {
    List<Alert> current = alerts;
    for (IntegrationStage stage : integrationStages) {
      current = stage.apply(ctx, integration, current);
      if (current == null) {
        return;
      }
    }
  }
}
