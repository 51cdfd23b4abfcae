package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import java.util.List;

/** A stage that applies to a flush as a whole, before it fans out to the integrations. */
@FunctionalInterface
public interface Stage {
  /** Returns the alerts passed on; an empty list stops the flush (nothing to send). */
  List<Alert> apply(FlushContext ctx, List<Alert> alerts) throws InterruptedException;
}
