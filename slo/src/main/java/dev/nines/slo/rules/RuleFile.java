package dev.nines.slo.rules;

import java.util.List;

/**
 * A Prometheus rule file: a list of groups.
 *
 * @param groups the groups, with unique names
 */
public record RuleFile(List<RuleGroup> groups) {
  /** Creates a rule file; the list is copied. */
  public RuleFile {
    groups = List.copyOf(groups);
  }
}
