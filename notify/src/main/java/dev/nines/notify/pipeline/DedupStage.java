package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.Integration;
import dev.nines.notify.ack.Acks;
import dev.nines.notify.nflog.NotificationLog;
import dev.nines.store.NotificationLogEntry;
import dev.nines.store.NotificationLogKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides, against the notification log, whether this integration needs to be notified: something
 * newly firing, everything resolved after a notification with firing alerts, something newly
 * resolved (with {@code send_resolved}), or the repeat interval elapsed with an unacked alert
 * firing. Alertmanager's {@code DedupStage.needsUpdate}, plus acknowledgements.
 */
final class DedupStage implements IntegrationStage {
  private final NotificationLog nflog;
  private final Acks acks;

  DedupStage(NotificationLog nflog, Acks acks) {
    this.nflog = nflog;
    this.acks = acks;
  }

  static NotificationLogKey key(FlushContext ctx, Integration integration) {
    return new NotificationLogKey(
        ctx.groupKey(), ctx.receiver(), integration.name(), integration.index());
  }

  @Override
  public @Nullable List<Alert> apply(
      FlushContext ctx, Integration integration, List<Alert> alerts) {
    Set<Long> firing = new HashSet<>();
    Set<Long> resolved = new HashSet<>();
    boolean unackedFiring = false;
    for (Alert a : alerts) {
      if (a.resolvedAt(ctx.now())) {
        resolved.add(a.fingerprint());
      } else {
        firing.add(a.fingerprint());
        unackedFiring |= !acks.acked(a);
      }
    }
    NotificationLogEntry entry = nflog.get(key(ctx, integration));
    return needsUpdate(ctx, integration, entry, firing, resolved, unackedFiring) ? alerts : null;
  }

  static boolean needsUpdate(
      FlushContext ctx,
      Integration integration,
      @Nullable NotificationLogEntry entry,
      Set<Long> firing,
      Set<Long> resolved,
      boolean unackedFiring) {
    if (entry == null) {
      return !firing.isEmpty();
    }
    if (!entry.firingAlerts().containsAll(firing)) {
      return true; // something newly firing
    }
    if (firing.isEmpty()) {
      // All resolved: notify (whatever send_resolved says) if the receiver was told of firing
      // alerts, so that the log is cleared; otherwise they fired and resolved unseen.
      return !entry.firingAlerts().isEmpty();
    }
    if (integration.sendResolved() && !entry.resolvedAlerts().containsAll(resolved)) {
      return true;
    }
    return unackedFiring
        && !entry.timestamp().isAfter(ctx.now().minus(ctx.options().repeatInterval()));
  }
}
