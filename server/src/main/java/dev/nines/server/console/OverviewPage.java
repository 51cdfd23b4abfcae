package dev.nines.server.console;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the overview page shows, formatted for display; the template only lays it out.
 *
 * @param version the Nines version
 * @param now when the page was built, RFC 3339 to the second
 * @param starting whether the notify pipeline is still starting (no alerts to show yet)
 * @param alerts the firing alerts, unacknowledged first, then oldest first
 * @param slos the SLOs with their budgets, by id
 * @param hygieneMode the alert-hygiene mode ({@code off}, {@code warn}, {@code refuse}), or empty
 *     while starting
 * @param hygieneFindings how many hygiene findings the configuration in force has
 */
public record OverviewPage(
    String version,
    String now,
    boolean starting,
    List<AlertRow> alerts,
    List<SloRow> slos,
    String hygieneMode,
    int hygieneFindings) {

  /**
   * One firing alert.
   *
   * @param alertname its {@code alertname}
   * @param fingerprint its fingerprint, 16 hex digits (what the ack API takes)
   * @param labels its other labels as {@code name="value"}, by name
   * @param summary its {@code summary} annotation, or empty
   * @param since when it started firing, RFC 3339 to the second
   * @param age how long ago that was ({@code 3h 12m})
   * @param state {@code active}, or {@code silenced} / {@code inhibited}
   * @param receivers the receivers it is routed to
   * @param ack who acknowledged it and when ({@code bob, 12m ago}), or null when not acked
   * @param ackComment the ack's comment, or empty
   * @param incident the incident its occurrence is linked to, or null
   * @param incidentUrl the incident as a link when it is an http(s) URL, else null
   */
  public record AlertRow(
      String alertname,
      String fingerprint,
      List<String> labels,
      String summary,
      String since,
      String age,
      String state,
      List<String> receivers,
      @Nullable String ack,
      String ackComment,
      @Nullable String incident,
      @Nullable String incidentUrl) {}

  /**
   * One SLO.
   *
   * @param id its id
   * @param service the service it belongs to
   * @param name its name
   * @param objective the objective as a percentage ({@code 99.9%})
   * @param window the window ({@code 30d rolling}, {@code 1 month calendar})
   * @param budgetRemaining the error budget remaining as a percentage, or {@code –} without data
   * @param spent whether the budget is spent (remaining at or below zero)
   * @param burnRate the current burn rate ({@code 1.23x}), or {@code –} without data
   * @param policy the budget policy's active actions ({@code notify, freeze}), or {@code none}
   * @param frozen whether the policy freezes deploys now
   */
  public record SloRow(
      String id,
      String service,
      String name,
      String objective,
      String window,
      String budgetRemaining,
      boolean spent,
      String burnRate,
      String policy,
      boolean frozen) {}
}
