package dev.nines.ingest.backfill;

/** An import that stopped on bad input, naming the file and line; nothing was written. */
public final class ImportException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;

  public ImportException(String message, int line, Throwable cause) {
    super(message, cause);
    this.line = line;
  }

  /** The 1-based line at fault, or 0 when the problem is not tied to a line. */
  public int line() {
    return line;
  }
}
