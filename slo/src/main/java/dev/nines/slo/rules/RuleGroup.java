package dev.nines.slo.rules;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rule group: rules evaluated in order, on one schedule.
 *
 * @param name unique in its file
 * @param interval the evaluation interval, or null for the global one
 * @param rules the rules, evaluated in this order (later rules may use earlier ones' series)
 */
public record RuleGroup(String name, @Nullable Duration interval, List<Rule> rules) {
  /** Creates a group; the list is copied. */
  public RuleGroup {
    rules = List.copyOf(rules);
  }
}
