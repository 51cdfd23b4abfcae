package dev.nines.promql.parser;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An aggregation operator, with the type of its parameter if it takes one ({@code topk(5, x)},
 * {@code count_values("v", x)}); {@code limitk} and {@code limit_ratio} are experimental.
 */
public enum AggregateOp {
  SUM(null, false),
  AVG(null, false),
  COUNT(null, false),
  MIN(null, false),
  MAX(null, false),
  GROUP(null, false),
  STDDEV(null, false),
  STDVAR(null, false),
  TOPK(ValueType.SCALAR, false),
  BOTTOMK(ValueType.SCALAR, false),
  QUANTILE(ValueType.SCALAR, false),
  COUNT_VALUES(ValueType.STRING, false),
  LIMITK(ValueType.SCALAR, true),
  LIMIT_RATIO(ValueType.SCALAR, true);

  private final @Nullable ValueType paramType;
  private final boolean experimental;
  private final String keyword;

  AggregateOp(@Nullable ValueType paramType, boolean experimental) {
    this.paramType = paramType;
    this.experimental = experimental;
    this.keyword = name().toLowerCase(Locale.ROOT);
  }

  /** The operator's keyword in canonical (lower case) PromQL. */
  public String keyword() {
    return keyword;
  }

  /** The type of the leading parameter, or null if the operator takes none. */
  public @Nullable ValueType paramType() {
    return paramType;
  }

  /** Whether the operator needs the experimental-functions switch. */
  public boolean experimental() {
    return experimental;
  }
}
