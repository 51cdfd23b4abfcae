package dev.nines.ingest.scrape;

/** Why a scrape failed, as a category the loop records and tests branch on. */
final class ScrapeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The failure categories. */
  enum Kind {
    /** Connection, HTTP status, timeout or body read failure. */
    HTTP,
    /** The body exceeded {@code body_size_limit}. */
    BODY_SIZE_LIMIT,
    /** The exposition did not parse; the message carries line and column. */
    PARSE,
    /** {@code sample_limit} or a label limit was exceeded. */
    LIMIT,
    /** Storage refused the commit. */
    STORAGE
  }

  private final Kind kind;

  ScrapeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  ScrapeException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
