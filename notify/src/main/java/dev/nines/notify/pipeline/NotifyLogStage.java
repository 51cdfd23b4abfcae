package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.Integration;
import dev.nines.notify.history.AlertHistory;
import dev.nines.notify.nflog.NotificationLog;
import dev.nines.store.AlertHistoryEvent;
import dev.nines.store.NotificationLogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Records what was sent in the notification log (committed before the flush ends) and a {@code
 * NOTIFIED} history event per alert sent.
 */
final class NotifyLogStage implements IntegrationStage {
  private final NotificationLog nflog;
  private final AlertHistory history;
  private final Duration retention;

  NotifyLogStage(NotificationLog nflog, AlertHistory history, Duration retention) {
    this.nflog = nflog;
    this.history = history;
    this.retention = retention;
  }

  @Override
  public List<Alert> apply(FlushContext ctx, Integration integration, List<Alert> alerts)
      throws InterruptedException {
    Set<Long> firing = new HashSet<>();
    Set<Long> resolved = new HashSet<>();
    for (Alert a : alerts) {
      (a.resolvedAt(ctx.now()) ? resolved : firing).add(a.fingerprint());
    }
    Duration keep =
        retention.compareTo(ctx.options().repeatInterval()) > 0
            ? retention
            : ctx.options().repeatInterval();
    nflog.record(
        new NotificationLogEntry(
            DedupStage.key(ctx, integration), ctx.now(), firing, resolved, ctx.now().plus(keep)));
    String detail = ctx.receiver() + "/" + integration.name() + "[" + integration.index() + "]";
    List<AlertHistory.Change> notified = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      if (integration.sendResolved() || !a.resolvedAt(ctx.now())) {
        notified.add(
            new AlertHistory.Change(
                a,
                AlertHistoryEvent.Event.NOTIFIED,
                "pipeline",
                ctx.groupKey(),
                detail,
                ctx.now()));
      }
    }
    history.recordAll(notified);
    return alerts;
  }
}
