package dev.nines.rules.file;

import java.util.List;
import java.util.stream.Collectors;

/** Rule files that did not load, with every problem found. */
public final class RuleFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<RuleProblem> problems;

  /** An exception carrying the problems (at least one). */
  public RuleFileException(List<RuleProblem> problems) {
    super(
        problems.stream().map(RuleProblem::toString).collect(Collectors.joining("\n")),
        null,
        false,
        false);
    this.problems = List.copyOf(problems);
  }

  /** Every problem, in file order. */
  public List<RuleProblem> problems() {
    return problems;
  }
}
