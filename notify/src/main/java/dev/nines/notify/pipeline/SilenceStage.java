package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.silence.Silences;
import java.util.ArrayList;
import java.util.List;

/** Drops the alerts an active silence matches, and marks every alert's silences. */
final class SilenceStage implements Stage {
  private final Silences silences;
  private final Marker marker;

  SilenceStage(Silences silences, Marker marker) {
    this.silences = silences;
    this.marker = marker;
  }

  @Override
  public List<Alert> apply(FlushContext ctx, List<Alert> alerts) {
    List<Alert> out = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      List<String> ids = silences.mutedBy(a.labels(), ctx.now());
      marker.silenced(a, ids);
      if (ids.isEmpty()) {
        out.add(a);
      }
    }
    return out;
  }
}
