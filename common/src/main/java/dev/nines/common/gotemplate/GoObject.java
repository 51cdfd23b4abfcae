package dev.nines.common.gotemplate;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A value templates can reach into with fields and methods ({@code .Alerts.Firing}, {@code
 * .CommonLabels.Remove .GroupLabels.Names}), the way Go templates reach struct fields and methods.
 * Implemented explicitly by each data type rather than found by reflection. {@link #toString()} is
 * the value's {@code %v} text.
 */
public interface GoObject {
  /** Returned by {@link #field} when the object has no field or method of that name. */
  Object NO_SUCH_FIELD = new Object();

  /**
   * The value of field or method {@code name}, a method called with {@code args} (a field, or a
   * method that takes none, gets an empty list).
   *
   * @return the value, or {@link #NO_SUCH_FIELD}
   * @throws TemplateFunction.CallException when the arguments do not fit
   */
  @Nullable Object field(String name, List<@Nullable Object> args)
      throws TemplateFunction.CallException;

  /** The Go type name shown in errors, e.g. {@code template.KV}. */
  String goTypeName();
}
