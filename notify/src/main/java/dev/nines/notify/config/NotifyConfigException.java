package dev.nines.notify.config;

import java.util.List;

/** An Alertmanager configuration that cannot be used, with every problem found in it. */
public final class NotifyConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // the list is an immutable List.copyOf
  private final List<ConfigProblem> problems;

  /** Creates the exception; the message lists every problem, one a line. */
  public NotifyConfigException(List<ConfigProblem> problems) {
    super(String.join("\n", problems.stream().map(ConfigProblem::toString).toList()));
    this.problems = List.copyOf(problems);
  }

  /** The problems, in file order as found. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
