package dev.nines.server.console;

import java.util.List;

/**
 * What the alert-hygiene page shows, formatted for display.
 *
 * @param version the Nines version
 * @param starting whether the configuration is still loading (no findings to show yet)
 * @param mode {@code off}, {@code warn} or {@code refuse}
 * @param checkedAt when the configuration in force was checked, RFC 3339 to the second
 * @param ruleFiles how many rule files were checked
 * @param findings every finding, rule files first
 */
public record HygienePage(
    String version,
    boolean starting,
    String mode,
    String checkedAt,
    int ruleFiles,
    List<FindingRow> findings) {

  /**
   * One finding.
   *
   * @param kind {@code rule} or {@code route}
   * @param location {@code file:line}, or the file alone when there is no line
   * @param where for a rule its group and alert; for a route the route key and receiver
   * @param field the dotted field path at fault
   * @param message what is wrong
   */
  public record FindingRow(
      String kind, String location, String where, String field, String message) {}
}
