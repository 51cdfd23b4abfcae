package dev.nines.notify.pipeline;

import dev.nines.common.Labels;
import dev.nines.notify.Integration;
import dev.nines.notify.config.RouteOptions;
import java.time.Instant;
import java.util.List;

/**
 * What every stage of one flush knows.
 *
 * @param groupKey the aggregation group's key
 * @param groupLabels the labels the group is grouped by
 * @param options the route's options
 * @param integrations the receiver's integrations
 * @param now the flush's time: an alert is resolved when its end is not after it
 * @param deadline when retries stop (flush start + group_interval)
 * @param externalUrl Nines's external URL, for links in notifications
 */
public record FlushContext(
    String groupKey,
    Labels groupLabels,
    RouteOptions options,
    List<Integration> integrations,
    Instant now,
    Instant deadline,
    String externalUrl) {

  /** The receiver's name. */
  public String receiver() {
    return options.receiver();
  }
}
