package dev.nines.notify;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one attempt to send a notification through an integration.
 *
 * @param ok whether the receiver accepted it
 * @param retryable when not ok, whether another attempt may succeed (a network error or a 5xx/429
 *     answer is; a 4xx answer or a bad template is not)
 * @param error when not ok, what went wrong, naming the receiver's answer; {@code null} when ok
 */
public record SendResult(boolean ok, boolean retryable, @Nullable String error) {
  private static final SendResult OK = new SendResult(true, false, null);

  /** Success. */
  public static SendResult success() {
    return OK;
  }

  /** A failure that another attempt may fix. */
  public static SendResult retry(String error) {
    return new SendResult(false, true, error);
  }

  /** A failure that no retry will fix. */
  public static SendResult fail(String error) {
    return new SendResult(false, false, error);
  }
}
