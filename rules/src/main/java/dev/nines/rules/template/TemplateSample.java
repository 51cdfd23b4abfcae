package dev.nines.rules.template;

import dev.nines.common.gotemplate.GoFormat;
import dev.nines.common.gotemplate.GoObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One element of a {@code query} result as templates see it: {@code .Labels} and {@code .Value}.
 *
 * @param labels the series labels, the metric name under {@code __name__}
 * @param value the sample value
 */
public record TemplateSample(Map<String, String> labels, double value) implements GoObject {
  /** Creates a sample; the labels are copied. */
  public TemplateSample {
    labels = Map.copyOf(labels);
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) {
    return switch (name) {
      case "Labels" -> labels;
      case "Value" -> value;
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "template.sample";
  }

  /** Go's {@code %v}: {@code {map[job:api] 1}}. */
  @Override
  public String toString() {
    return "{" + GoFormat.value(labels) + " " + GoFormat.floatV(value) + "}";
  }
}
