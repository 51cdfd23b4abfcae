package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.inhibit.Inhibitor;
import java.util.ArrayList;
import java.util.List;

/** Drops the alerts that a firing alert inhibits, and marks every alert's inhibitors. */
final class InhibitStage implements Stage {
  private final Inhibitor inhibitor;
  private final Marker marker;

  InhibitStage(Inhibitor inhibitor, Marker marker) {
    this.inhibitor = inhibitor;
    this.marker = marker;
  }

  @Override
  public List<Alert> apply(FlushContext ctx, List<Alert> alerts) {
    List<Alert> out = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      List<Long> by = inhibitor.mutedBy(a, ctx.now());
      marker.inhibited(a, by);
      if (by.isEmpty()) {
        out.add(a);
      }
    }
    return out;
  }
}
