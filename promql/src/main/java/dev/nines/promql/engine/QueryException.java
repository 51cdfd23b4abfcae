package dev.nines.promql.engine;

/**
 * A query that failed, with its category as Prometheus's HTTP API reports it ({@code errorType}),
 * so that callers branch on {@link #kind()} and never on the message.
 */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The category of a failure, with Prometheus's {@code errorType} name. */
  public enum Kind {
    /** The query does not parse or is not valid for the request (HTTP 400). */
    BAD_DATA("bad_data"),
    /** Evaluation failed: a limit, a duplicate label set, a bad argument (HTTP 422). */
    EXECUTION("execution"),
    /** The query ran longer than the timeout (HTTP 503). */
    TIMEOUT("timeout"),
    /** The query was cancelled, e.g. its thread was interrupted (HTTP 503). */
    CANCELED("canceled");

    private final String errorType;

    Kind(String errorType) {
      this.errorType = errorType;
    }

    /** The {@code errorType} string of Prometheus's API. */
    public String errorType() {
      return errorType;
    }
  }

  /** Prometheus's text when the sample limit is hit. */
  public static final String TOO_MANY_SAMPLES =
      "query processing would load too many samples into memory in query execution";

  /** Prometheus's text when the timeout is hit. */
  public static final String TIMED_OUT = "query timed out in query execution";

  /** Prometheus's text when a query is cancelled. */
  public static final String CANCELLED = "query was canceled in query execution";

  /** Prometheus's text for two series with one label set in a result. */
  public static final String DUPLICATE_LABELSET =
      "vector cannot contain metrics with the same labelset";

  private final Kind kind;

  /** A failure of the given kind. */
  public QueryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** A failure of the given kind with its cause. */
  public QueryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** The category of the failure. */
  public Kind kind() {
    return kind;
  }
}
