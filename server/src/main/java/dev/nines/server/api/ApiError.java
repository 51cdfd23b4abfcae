package dev.nines.server.api;

import dev.nines.promql.engine.QueryException;

/**
 * A failed API request with Prometheus's {@code errorType}; the HTTP status follows from the type
 * as Prometheus maps it.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Prometheus's {@code errorType} values and the HTTP status it answers each with. */
  enum Type {
    /** Parameters missing or malformed, or a query that does not parse: 400. */
    BAD_DATA("bad_data", 400),
    /** The query could not be executed (a limit, a duplicate label set...): 422. */
    EXECUTION("execution", 422),
    /** The query ran out of time, in the queue or in execution: 503. */
    TIMEOUT("timeout", 503),
    /**
     * The query was cancelled: Prometheus answers 499 (nginx's "client closed request"), not the
     * 503 that its documentation mentions for aborted queries.
     */
    CANCELED("canceled", 499),
    /** A feature switched off, such as the admin API: 503. */
    UNAVAILABLE("unavailable", 503),
    /** A failure of Nines itself: 500. */
    INTERNAL("internal", 500),
    /** No such endpoint under {@code /api/v1}: 404. */
    NOT_FOUND("not_found", 404);

    private final String errorType;
    private final int status;

    Type(String errorType, int status) {
      this.errorType = errorType;
      this.status = status;
    }

    /** The {@code errorType} string of the response. */
    String errorType() {
      return errorType;
    }

    /** The HTTP status code. */
    int status() {
      return status;
    }

    /** The type a failed query maps to. */
    static Type of(QueryException.Kind kind) {
      return switch (kind) {
        case BAD_DATA -> BAD_DATA;
        case EXECUTION -> EXECUTION;
        case TIMEOUT -> TIMEOUT;
        case CANCELED -> CANCELED;
      };
    }
  }

  private final Type type;

  ApiError(Type type, String message) {
    super(message);
    this.type = type;
  }

  /** A bad parameter, worded as Prometheus words it: {@code invalid parameter "time": ...}. */
  static ApiError invalidParam(String param, String problem) {
    return new ApiError(Type.BAD_DATA, "invalid parameter \"" + param + "\": " + problem);
  }

  static ApiError badData(String message) {
    return new ApiError(Type.BAD_DATA, message);
  }

  Type type() {
    return type;
  }
}
