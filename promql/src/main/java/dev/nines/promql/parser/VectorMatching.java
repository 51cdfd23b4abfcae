package dev.nines.promql.parser;

import java.util.List;

/**
 * How a binary operation between two instant vectors pairs their elements.
 *
 * @param card the cardinality: one-to-one by default, many-to-one for {@code group_left},
 *     one-to-many for {@code group_right}, many-to-many for set operators
 * @param matchingLabels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on true for {@code on}, false for {@code ignoring} (or no clause)
 * @param include the extra labels of {@code group_left(...)} or {@code group_right(...)}
 */
public record VectorMatching(
    Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {

  /** The cardinality of a vector match. */
  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  /** Creates a vector matching; the label lists are copied. */
  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }
}
