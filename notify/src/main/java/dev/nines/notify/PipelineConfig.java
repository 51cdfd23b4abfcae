package dev.nines.notify;

import dev.nines.notify.config.InhibitRule;
import dev.nines.notify.config.Route;
import dev.nines.notify.config.RouteOptions;
import dev.nines.notify.config.TimeInterval;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the pipeline needs from an Alertmanager configuration, frozen: the route tree, inhibition
 * rules, named time intervals, the receivers' integrations, {@code resolve_timeout}, and the file's
 * text (served by {@code /api/v2/status}).
 *
 * @param route the root route
 * @param inhibitRules the inhibition rules
 * @param timeIntervals time intervals by name
 * @param receivers every receiver's integrations, by receiver name (a receiver may have none)
 * @param resolveTimeout the end given to alerts posted without one
 * @param original the configuration text as loaded
 */
public record PipelineConfig(
    Route route,
    List<InhibitRule> inhibitRules,
    Map<String, TimeInterval> timeIntervals,
    Map<String, List<Integration>> receivers,
    Duration resolveTimeout,
    String original) {

  /** Checks the fields and copies the collections. */
  public PipelineConfig {
    Objects.requireNonNull(route, "route");
    inhibitRules = List.copyOf(inhibitRules);
    timeIntervals = Map.copyOf(timeIntervals);
    receivers = Map.copyOf(receivers);
    Objects.requireNonNull(resolveTimeout, "resolveTimeout");
    Objects.requireNonNull(original, "original");
  }

  /** The receiver used when no Alertmanager configuration is given. */
  public static final String DEFAULT_RECEIVER = "default";

  /**
   * The configuration used without a file: one route to one receiver, {@value #DEFAULT_RECEIVER},
   * that has no integrations, so alerts are grouped and visible through the API but sent nowhere.
   */
  public static PipelineConfig defaults() {
    RouteOptions options =
        new RouteOptions(
            DEFAULT_RECEIVER,
            List.of("alertname"),
            false,
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            Duration.ofHours(4),
            List.of(),
            List.of());
    String original =
        "route:\n  receiver: default\n  group_by: [alertname]\nreceivers:\n  - name: default\n";
    return new PipelineConfig(
        new Route("{}", List.of(), false, options, List.of()),
        List.of(),
        Map.of(),
        Map.of(DEFAULT_RECEIVER, List.of()),
        Duration.ofMinutes(5),
        original);
  }
}
