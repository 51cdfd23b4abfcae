package dev.nines.promql.parser;

import dev.nines.common.LabelMatcher;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An instant vector selector such as {@code http_requests_total{job="api"} offset 5m}.
 *
 * @param name the metric name, or "" if none was given outside a {@code __name__} matcher
 * @param matchers all matchers, including {@code __name__="<name>"} (last) when a name was given
 * @param offset the offset modifier, zero if none; negative looks forward in time
 * @param at the {@code @} modifier, or null if none
 */
public record VectorSelector(
    String name, List<LabelMatcher> matchers, Duration offset, @Nullable AtModifier at)
    implements Expr {

  /** The label that holds the metric name. */
  public static final String METRIC_NAME_LABEL = "__name__";

  /** Creates a selector; the matcher list is copied. */
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }

  @Override
  public String toString() {
    return Printer.print(this);
  }
}
