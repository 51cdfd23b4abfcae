package dev.nines.notify.config;

import dev.nines.common.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The route half of the alert-hygiene lint: an alert that pages (for each paging severity, an alert
 * with only {@code severity=<it>}) must reach a receiver that notifies someone, not one with no
 * integrations. Alerts with more labels may route elsewhere; this checks the route every paging
 * alert falls back to.
 */
public final class RouteHygiene {
  private RouteHygiene() {}

  /**
   * One finding with what it is about, for listings that show the route and receiver by name.
   *
   * @param severity the paging severity checked
   * @param route the key of the route such an alert lands on
   * @param receiver that route's receiver
   * @param problem the finding, at the line where the receiver is defined
   */
  public record Finding(String severity, String route, String receiver, ConfigProblem problem) {}

  /** The findings, each at the line where the silent receiver is defined. */
  public static List<ConfigProblem> check(NotifyConfig config, Set<String> pagingSeverities) {
    return findings(config, pagingSeverities).stream().map(Finding::problem).toList();
  }

  /** The findings with the severity, route and receiver each is about. */
  public static List<Finding> findings(NotifyConfig config, Set<String> pagingSeverities) {
    List<Finding> out = new ArrayList<>();
    for (String severity : pagingSeverities.stream().sorted().toList()) {
      for (Route r : config.route().match(Labels.of("severity", severity))) {
        String name = r.options().receiver();
        ReceiverConfig receiver = config.receivers().get(name);
        if (receiver != null && receiver.integrationCount() > 0) {
          continue;
        }
        out.add(
            new Finding(
                severity,
                r.key(),
                name,
                new ConfigProblem(
                    config.source(),
                    receiverLine(config.original(), name),
                    "receivers." + name,
                    "alerts with severity="
                        + severity
                        + " are routed (route "
                        + r.key()
                        + ") to receiver \""
                        + name
                        + "\", which has no integrations: those pages reach no one")));
      }
    }
    return out;
  }

  private static int receiverLine(String yaml, String name) {
    Pattern p =
        Pattern.compile(
            "^\\s*-?\\s*name:\\s*['\"]?" + Pattern.quote(name) + "['\"]?\\s*(#.*)?$",
            Pattern.MULTILINE);
    Matcher m = p.matcher(yaml);
    if (!m.find()) {
      return 0;
    }
    return (int) yaml.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
  }
}
