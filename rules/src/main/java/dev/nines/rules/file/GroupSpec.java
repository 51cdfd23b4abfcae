package dev.nines.rules.file;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule group as written in a file.
 *
 * @param name the group name, unique in its file
 * @param interval the evaluation interval, or null for the global one
 * @param limit the most series or alerts a rule may produce (0: no limit)
 * @param queryOffset how far in the past to evaluate, or null for the global one
 * @param labels labels added to every rule's output (rule labels win)
 * @param rules the rules, in evaluation order
 * @param line the line of the group's entry
 */
public record GroupSpec(
    String name,
    @Nullable Duration interval,
    int limit,
    @Nullable Duration queryOffset,
    Map<String, String> labels,
    List<RuleSpec> rules,
    int line) {
  /** Creates a group; collections are copied. */
  public GroupSpec {
    labels = Map.copyOf(labels);
    rules = List.copyOf(rules);
  }
}
