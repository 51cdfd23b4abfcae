package dev.nines.notify.config;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import java.util.List;
import java.util.Objects;

/**
 * An inhibition rule: while an alert matching {@code sourceMatchers} fires, alerts matching {@code
 * targetMatchers} that have the same values for every label in {@code equal} are muted (an alert
 * that matches both sides never inhibits itself).
 *
 * @param sourceMatchers all must match a source alert
 * @param targetMatchers all must match a target alert
 * @param equal label names whose values must be equal on source and target (a label missing on both
 *     counts as equal)
 */
public record InhibitRule(
    List<LabelMatcher> sourceMatchers, List<LabelMatcher> targetMatchers, List<String> equal) {

  /** Copies the lists. */
  public InhibitRule {
    sourceMatchers = List.copyOf(sourceMatchers);
    targetMatchers = List.copyOf(targetMatchers);
    equal = List.copyOf(equal);
  }

  /** Whether an alert with {@code labels} can be a source of this rule. */
  public boolean sourceMatches(Labels labels) {
    return all(sourceMatchers, labels);
  }

  /** Whether an alert with {@code labels} can be a target of this rule. */
  public boolean targetMatches(Labels labels) {
    return all(targetMatchers, labels);
  }

  /** Whether source and target agree on every {@code equal} label. */
  public boolean equalOn(Labels source, Labels target) {
    for (String name : equal) {
      if (!Objects.equals(orEmpty(source.get(name)), orEmpty(target.get(name)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean all(List<LabelMatcher> matchers, Labels labels) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(orEmpty(labels.get(m.name())))) {
        return false;
      }
    }
    return true;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
