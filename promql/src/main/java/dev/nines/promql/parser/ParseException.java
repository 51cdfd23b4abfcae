package dev.nines.promql.parser;

/**
 * A PromQL query that does not parse or does not type-check, with the 1-based line and column of
 * the fault; the message reads like Prometheus's, e.g. {@code 1:8: parse error: unexpected end of
 * input in aggregation}.
 */
public final class ParseException extends RuntimeException {
  private final int line;
  private final int column;
  private final int offset;
  private final String detail;

  ParseException(String query, int offset, String detail) {
    super(null, null, false, false);
    int l = 1;
    int lineStart = 0;
    int end = Math.min(Math.max(offset, 0), query.length());
    for (int i = 0; i < end; i++) {
      if (query.charAt(i) == '\n') {
        l++;
        lineStart = i + 1;
      }
    }
    this.line = l;
    this.column = query.codePointCount(lineStart, end) + 1;
    this.offset = offset;
    this.detail = detail;
  }

  /** The 1-based line of the fault. */
  public int line() {
    return line;
  }

  /** The 1-based column of the fault, counted in Unicode code points. */
  public int column() {
    return column;
  }

  /** The 0-based character offset of the fault in the query. */
  public int offset() {
    return offset;
  }

  /** What is wrong, without the position prefix. */
  public String detail() {
    return detail;
  }

  @Override
  public String getMessage() {
    return line + ":" + column + ": parse error: " + detail;
  }
}
