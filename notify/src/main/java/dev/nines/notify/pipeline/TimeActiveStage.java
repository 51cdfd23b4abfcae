package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.config.TimeInterval;
import java.util.List;
import java.util.Map;

/** Stops the flush outside the route's {@code active_time_intervals} (when it has any). */
final class TimeActiveStage implements Stage {
  private final Map<String, TimeInterval> intervals;

  TimeActiveStage(Map<String, TimeInterval> intervals) {
    this.intervals = intervals;
  }

  @Override
  public List<Alert> apply(FlushContext ctx, List<Alert> alerts) {
    List<String> active = ctx.options().activeTimeIntervals();
    if (active.isEmpty()) {
      return alerts;
    }
    for (String name : active) {
      TimeInterval ti = intervals.get(name);
      if (ti != null && ti.contains(ctx.now())) {
        return alerts;
      }
    }
    return List.of();
  }
}
