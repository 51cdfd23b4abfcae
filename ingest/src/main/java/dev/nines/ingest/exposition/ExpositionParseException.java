package dev.nines.ingest.exposition;

/**
 * An exposition that breaks its format's rules. Carries the 1-based line and column of the fault
 * (column 0 when the fault is a whole line or the end of the input) and the reason without the
 * position. The parser stops at the first fault; the caller fails the whole scrape.
 */
public final class ExpositionParseException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String reason;

  /** An error at the given 1-based line and column (0 for no column). */
  public ExpositionParseException(int line, int column, String reason) {
    super(format(line, column, reason));
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  private static String format(int line, int column, String reason) {
    if (column > 0) {
      return "line " + line + ", column " + column + ": " + reason;
    }
    return "line " + line + ": " + reason;
  }

  /** The 1-based line of the fault. */
  public int line() {
    return line;
  }

  /** The 1-based column (in characters) of the fault, or 0 when it concerns the whole line. */
  public int column() {
    return column;
  }

  /** What is wrong, without the position. */
  public String reason() {
    return reason;
  }
}
