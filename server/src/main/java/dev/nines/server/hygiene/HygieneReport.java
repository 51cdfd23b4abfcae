package dev.nines.server.hygiene;

import dev.nines.common.HygieneMode;
import dev.nines.notify.config.ConfigProblem;
import dev.nines.notify.config.NotifyConfig;
import dev.nines.notify.config.RouteHygiene;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.lint.AlertHygiene;
import dev.nines.server.config.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The alert-hygiene findings of one load of the configuration: the rule half ({@link AlertHygiene})
 * over every rule file the rule manager runs, SLO-generated groups included, and the route half
 * ({@link RouteHygiene}) over the Alertmanager configuration. Computed when the configuration is
 * loaded (start and every reload), before it is applied, so that {@code refuse} can refuse it;
 * immutable.
 *
 * @param mode what a finding does
 * @param checkedAt when the configuration was checked
 * @param ruleFiles how many rule files were checked (the SLO-generated file counts as one)
 * @param rules the findings in rule files, in file order
 * @param routes the findings in the Alertmanager configuration
 */
public record HygieneReport(
    HygieneMode mode,
    Instant checkedAt,
    int ruleFiles,
    List<AlertHygiene.Finding> rules,
    List<RouteHygiene.Finding> routes) {

  /** Copies the lists. */
  public HygieneReport {
    rules = List.copyOf(rules);
    routes = List.copyOf(routes);
  }

  /**
   * Checks the rule files and the Alertmanager configuration. With mode {@code off} nothing is
   * checked and there are no findings.
   *
   * @param builtInNotify whether {@code notify} is the built-in configuration used without a file
   *     (its findings then carry no line: there is no file to point into)
   */
  public static HygieneReport check(
      HygieneMode mode,
      List<RuleFile> files,
      NotifyConfig notify,
      boolean builtInNotify,
      Instant now) {
    if (mode == HygieneMode.OFF) {
      return new HygieneReport(mode, now, files.size(), List.of(), List.of());
    }
    AlertHygiene.Options options = AlertHygiene.Options.DEFAULTS.withMode(mode);
    List<AlertHygiene.Finding> rules = new ArrayList<>();
    for (RuleFile f : files) {
      rules.addAll(AlertHygiene.findings(f, options));
    }
    List<RouteHygiene.Finding> routes = new ArrayList<>();
    for (RouteHygiene.Finding f : RouteHygiene.findings(notify, options.pagingSeverities())) {
      if (builtInNotify) {
        ConfigProblem p = f.problem();
        f =
            new RouteHygiene.Finding(
                f.severity(),
                f.route(),
                f.receiver(),
                new ConfigProblem(p.file(), 0, p.field(), p.message()));
      }
      routes.add(f);
    }
    return new HygieneReport(mode, now, files.size(), rules, routes);
  }

  /** How many findings there are. */
  public int count() {
    return rules.size() + routes.size();
  }

  /**
   * The error that refuses the configuration: present in mode {@code refuse} when there is any
   * finding, and naming every one.
   */
  public Optional<ConfigException> refusal() {
    if (mode != HygieneMode.REFUSE || count() == 0) {
      return Optional.empty();
    }
    List<String> all = new ArrayList<>();
    rules.forEach(f -> all.add(f.problem().toString()));
    routes.forEach(f -> all.add(f.problem().toString()));
    return Optional.of(
        new ConfigException(
            "alert_hygiene",
            0,
            "",
            "refuse, and the configuration has "
                + count()
                + (count() == 1 ? " finding: " : " findings: ")
                + String.join("; ", all)));
  }
}
