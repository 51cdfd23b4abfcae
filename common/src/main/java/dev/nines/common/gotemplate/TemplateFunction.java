package dev.nines.common.gotemplate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A function templates can call by name, such as {@code toUpper} or {@code humanize}. */
@FunctionalInterface
public interface TemplateFunction {
  /**
   * Calls the function.
   *
   * @param args the arguments, the piped value last
   * @param context what the caller passed to {@link GoTemplate#execute}, e.g. a query function
   * @throws CallException with Go's wording of the failure
   */
  @Nullable Object call(List<@Nullable Object> args, @Nullable Object context) throws CallException;

  /** A failed call; the executor adds the template's name and line. */
  final class CallException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with Go's wording, e.g. {@code error calling len: ...}. */
    public CallException(String message) {
      super(message, null, false, false);
    }
  }
}
