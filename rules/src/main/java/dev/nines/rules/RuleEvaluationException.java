package dev.nines.rules;

/** A rule evaluation that failed: the query failed, or the result broke a limit or a rule. */
public final class RuleEvaluationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure with its message, as shown as the rule's {@code lastError}. */
  public RuleEvaluationException(String message) {
    super(message, null, false, false);
  }
}
