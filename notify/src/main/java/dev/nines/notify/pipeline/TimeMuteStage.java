package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.config.TimeInterval;
import java.util.List;
import java.util.Map;

/** Stops the flush inside any of the route's {@code mute_time_intervals}. */
final class TimeMuteStage implements Stage {
  private final Map<String, TimeInterval> intervals;

  TimeMuteStage(Map<String, TimeInterval> intervals) {
    this.intervals = intervals;
  }

  @Override
  public List<Alert> apply(FlushContext ctx, List<Alert> alerts) {
    for (String name : ctx.options().muteTimeIntervals()) {
      TimeInterval ti = intervals.get(name);
      if (ti != null && ti.contains(ctx.now())) {
        return List.of();
      }
    }
    return alerts;
  }
}
