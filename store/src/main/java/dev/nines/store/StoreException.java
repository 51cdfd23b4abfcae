package dev.nines.store;

/**
 * A failure of the state store, with a {@link Kind} to branch on. Messages never contain a database
 * password.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, so that callers can branch on type rather than on text. */
  public enum Kind {
    /** The store configuration is invalid; the message names the field (e.g. {@code store.url}). */
    INVALID_CONFIG,
    /** The database could not be reached or opened when the store was opened. */
    UNREACHABLE,
    /** The schema migrations failed; the database is left as the failed migration found it. */
    MIGRATION_FAILED,
    /**
     * The database is temporarily unavailable: connection lost, pool exhausted, lock timeout,
     * serialization failure or deadlock. Retrying later may succeed.
     */
    UNAVAILABLE,
    /** A write broke a constraint of the schema; the transaction was rolled back. */
    CONSTRAINT_VIOLATED,
    /** A stored value could not be decoded; the message names the column. */
    CORRUPT,
    /** The store has been closed. */
    CLOSED,
    /** Any other failed statement; the transaction was rolled back. */
    FAILED
  }

  private final Kind kind;

  /** Creates an exception of the given kind. */
  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** Creates an exception of the given kind with its cause. */
  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  /** The category of this failure. */
  public Kind kind() {
    return kind;
  }

  /** Whether the same operation may succeed if retried later (only {@link Kind#UNAVAILABLE}). */
  public boolean retryable() {
    return kind == Kind.UNAVAILABLE;
  }
}
