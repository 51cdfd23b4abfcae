package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoObject;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's {@code template.Pair}: one label or annotation, {@code .Name} and {@code .Value}.
 *
 * @param name the name
 * @param value the value
 */
public record Pair(String name, String value) implements GoObject {
  @Override
  public @Nullable Object field(String f, List<@Nullable Object> args) {
    return switch (f) {
      case "Name" -> name;
      case "Value" -> value;
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "template.Pair";
  }

  @Override
  public String toString() {
    return "{" + name + " " + value + "}";
  }
}
