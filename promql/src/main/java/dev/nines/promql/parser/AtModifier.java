package dev.nines.promql.parser;

/**
 * An {@code @} modifier: a fixed Unix time in milliseconds, or the start or end of the query.
 *
 * @param kind which of the three forms this is
 * @param timestampMillis the time for {@link Kind#TIMESTAMP}, 0 otherwise
 */
public record AtModifier(Kind kind, long timestampMillis) {

  /** The three forms of the {@code @} modifier. */
  public enum Kind {
    TIMESTAMP,
    START,
    END
  }

  /** {@code @ start()}. */
  public static final AtModifier START = new AtModifier(Kind.START, 0);

  /** {@code @ end()}. */
  public static final AtModifier END = new AtModifier(Kind.END, 0);

  /** An {@code @ <timestamp>} modifier at the given Unix time in milliseconds. */
  public static AtModifier at(long timestampMillis) {
    return new AtModifier(Kind.TIMESTAMP, timestampMillis);
  }
}
