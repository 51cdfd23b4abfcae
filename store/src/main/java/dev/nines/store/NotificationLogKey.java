package dev.nines.store;

import java.util.Objects;

/**
 * The key of a notification log entry: one aggregation group sent to one integration of one
 * receiver, as Alertmanager's nflog keys its entries.
 *
 * @param groupKey the aggregation group's key (route and grouping labels)
 * @param receiver the receiver's name
 * @param integration the integration's name within the receiver, e.g. {@code webhook}
 * @param integrationIndex the integration's position among the receiver's integrations of that
 *     name, from 0
 */
public record NotificationLogKey(
    String groupKey, String receiver, String integration, int integrationIndex) {

  /** Checks that no field is null and the index is not negative. */
  public NotificationLogKey {
    Objects.requireNonNull(groupKey, "notification log groupKey");
    Objects.requireNonNull(receiver, "notification log receiver");
    Objects.requireNonNull(integration, "notification log integration");
    if (integrationIndex < 0) {
      throw new IllegalArgumentException(
          "notification log integrationIndex: must not be negative, got " + integrationIndex);
    }
  }
}
