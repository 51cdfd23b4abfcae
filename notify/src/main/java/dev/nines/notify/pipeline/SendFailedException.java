package dev.nines.notify.pipeline;

/** A notification that could not be delivered: retries ran out or the failure was final. */
public final class SendFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /** A failure; {@code retryable} says whether it was still worth retrying when given up. */
  public SendFailedException(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  /** Whether the last failure was retryable (the deadline ended the retries). */
  public boolean retryable() {
    return retryable;
  }
}
