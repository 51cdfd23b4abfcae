package dev.nines.notify;

import dev.nines.common.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one aggregation group sends to one receiver at one time: the data Alertmanager's templates
 * and webhook payload are made from.
 *
 * @param receiver the receiver's name
 * @param groupKey the aggregation group's key, e.g. {@code {}/{team="a"}:{alertname="X"}}
 * @param groupLabels the labels the group is grouped by
 * @param alerts the group's alerts, firing and resolved, in fingerprint order
 * @param externalUrl Nines's external URL, for links back
 * @param now the time the notification is made; an alert is resolved when its end is not after this
 */
public record Notification(
    String receiver,
    String groupKey,
    Labels groupLabels,
    List<Alert> alerts,
    String externalUrl,
    Instant now) {

  /** Checks the fields; the alert list is copied. */
  public Notification {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(groupKey, "groupKey");
    Objects.requireNonNull(groupLabels, "groupLabels");
    Objects.requireNonNull(externalUrl, "externalUrl");
    Objects.requireNonNull(now, "now");
    alerts = List.copyOf(alerts);
  }

  /** {@code firing} when any alert is firing at {@link #now}, else {@code resolved}. */
  public String status() {
    return firing().isEmpty() ? "resolved" : "firing";
  }

  /** The alerts firing at {@link #now}. */
  public List<Alert> firing() {
    return alerts.stream().filter(a -> !a.resolvedAt(now)).toList();
  }

  /** The alerts resolved at {@link #now}. */
  public List<Alert> resolved() {
    return alerts.stream().filter(a -> a.resolvedAt(now)).toList();
  }

  /** The labels every alert has with the same value, as Alertmanager's {@code CommonLabels}. */
  public Map<String, String> commonLabels() {
    Map<String, String> common = new TreeMap<>();
    if (alerts.isEmpty()) {
      return common;
    }
    alerts.get(0).labels().forEach(common::put);
    for (Alert a : alerts.subList(1, alerts.size())) {
      common.entrySet().removeIf(e -> !e.getValue().equals(a.labels().get(e.getKey())));
    }
    return common;
  }

  /** The annotations every alert has with the same value ({@code CommonAnnotations}). */
  public Map<String, String> commonAnnotations() {
    Map<String, String> common = new TreeMap<>();
    if (alerts.isEmpty()) {
      return common;
    }
    common.putAll(alerts.get(0).annotations());
    for (Alert a : alerts.subList(1, alerts.size())) {
      common.entrySet().removeIf(e -> !e.getValue().equals(a.annotations().get(e.getKey())));
    }
    return common;
  }
}
