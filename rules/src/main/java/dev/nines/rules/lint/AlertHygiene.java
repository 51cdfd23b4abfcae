package dev.nines.rules.lint;

import dev.nines.common.HygieneMode;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleProblem;
import dev.nines.rules.file.RuleSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert-hygiene lint on alerting rules:
 *
 * <ul>
 *   <li>every alerting rule sets a {@code severity} label (in the rule or its group);
 *   <li>every paging alert (severity in {@link Options#pagingSeverities}) names an owner (the
 *       {@code team} label) and a runbook (the {@code runbook_url} annotation), so whoever is paged
 *       knows whose alert it is and what to do.
 * </ul>
 *
 * <p>A severity written as a template (it contains <code>{{</code>) cannot be judged before the
 * alert fires; such a rule is treated as possibly paging.
 */
public final class AlertHygiene {

  /**
   * The lint's settings.
   *
   * @param mode what a finding does
   * @param pagingSeverities the severity values that page a human
   * @param ownerLabel the label that names the owning team
   * @param runbookAnnotation the annotation that links the runbook
   */
  public record Options(
      HygieneMode mode, Set<String> pagingSeverities, String ownerLabel, String runbookAnnotation) {
    /** Warn; {@code page} and {@code critical} page; {@code team} and {@code runbook_url}. */
    public static final Options DEFAULTS =
        new Options(HygieneMode.WARN, Set.of("page", "critical"), "team", "runbook_url");

    /** Copies the set. */
    public Options {
      pagingSeverities = Set.copyOf(pagingSeverities);
    }

    /** These options with another mode. */
    public Options withMode(HygieneMode m) {
      return new Options(m, pagingSeverities, ownerLabel, runbookAnnotation);
    }
  }

  private static final String SEVERITY = "severity";

  private AlertHygiene() {}

  /**
   * One finding with the rule it is about, for listings that show the group and alert by name.
   *
   * @param group the rule group's name
   * @param alert the alerting rule's name
   * @param problem the finding, located in the file
   */
  public record Finding(String group, String alert, RuleProblem problem) {}

  /** The findings for one file, empty when the mode is {@link HygieneMode#OFF}. */
  public static List<RuleProblem> check(RuleFile file, Options options) {
    return findings(file, options).stream().map(Finding::problem).toList();
  }

  /** The findings for one file with their group and alert, empty when the mode is off. */
  public static List<Finding> findings(RuleFile file, Options options) {
    List<Finding> out = new ArrayList<>();
    if (options.mode() == HygieneMode.OFF) {
      return out;
    }
    for (int g = 0; g < file.groups().size(); g++) {
      GroupSpec group = file.groups().get(g);
      for (int r = 0; r < group.rules().size(); r++) {
        if (group.rules().get(r) instanceof RuleSpec.Alerting rule) {
          String path = "groups[" + g + "].rules[" + r + "]";
          checkRule(file.path(), path, group, rule, options, out);
        }
      }
    }
    return out;
  }

  private static void checkRule(
      String file,
      String path,
      GroupSpec group,
      RuleSpec.Alerting rule,
      Options options,
      List<Finding> found) {
    List<RuleProblem> out = new ArrayList<>();
    problems(file, path, group, rule, options, out);
    for (RuleProblem p : out) {
      found.add(new Finding(group.name(), rule.alert(), p));
    }
  }

  private static void problems(
      String file,
      String path,
      GroupSpec group,
      RuleSpec.Alerting rule,
      Options options,
      List<RuleProblem> out) {
    Map<String, String> labels = new HashMap<>(group.labels());
    labels.putAll(rule.labels());
    String severity = labels.get(SEVERITY);
    String alert = "alert " + rule.alert();
    if (severity == null || severity.isBlank()) {
      out.add(
          new RuleProblem(
              file, rule.line(), path + ".labels", alert + " has no " + SEVERITY + " label"));
      return;
    }
    boolean paging = severity.contains("{{") || options.pagingSeverities().contains(severity);
    if (!paging) {
      return;
    }
    String owner = labels.get(options.ownerLabel());
    if (owner == null || owner.isBlank()) {
      out.add(
          new RuleProblem(
              file,
              rule.line(),
              path + ".labels",
              alert
                  + " pages ("
                  + SEVERITY
                  + "="
                  + severity
                  + ") but has no "
                  + options.ownerLabel()
                  + " label naming its owner"));
    }
    String runbook = rule.annotations().get(options.runbookAnnotation());
    if (runbook == null || runbook.isBlank()) {
      out.add(
          new RuleProblem(
              file,
              rule.line(),
              path + ".annotations",
              alert
                  + " pages ("
                  + SEVERITY
                  + "="
                  + severity
                  + ") but has no "
                  + options.runbookAnnotation()
                  + " annotation"));
    }
  }
}
