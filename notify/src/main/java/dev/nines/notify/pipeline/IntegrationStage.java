package dev.nines.notify.pipeline;

import dev.nines.notify.Alert;
import dev.nines.notify.Integration;
import java.util.List;

/** A stage of one integration's branch of a flush. */
@FunctionalInterface
public interface IntegrationStage {
  /**
   * Returns the alerts passed on, or null to stop the branch successfully (nothing to do).
   *
   * @throws SendFailedException when the branch failed (the notification was not delivered)
   */
  @org.jspecify.annotations.Nullable
  List<Alert> apply(FlushContext ctx, Integration integration, List<Alert> alerts)
      throws InterruptedException, SendFailedException;
}
