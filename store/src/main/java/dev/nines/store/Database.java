package dev.nines.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The repositories' one way into the database: runs a unit of work on a pooled handle, writes in
 * one transaction, and turns every failure into a {@link StoreException} with a {@link
 * StoreException.Kind}.
 */
final class Database {
  // SQLite primary result codes (sqlite-jdbc reports them as SQLException.getErrorCode()).
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_CONSTRAINT = 19;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final AtomicBoolean closed = new AtomicBoolean();

  Database(Jdbi jdbi, Dialect dialect) {
    this.jdbi = jdbi;
    this.dialect = dialect;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  Dialect dialect() {
    return dialect;
  }

  boolean closed() {
    return closed.get();
  }

  /** Marks the database closed; returns whether this call closed it. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Runs a read; {@code what} names the operation in error messages. */
  <T> T read(String what, HandleCallback<T, RuntimeException> work) {
    checkOpen(what);
    try {
      return jdbi.withHandle(work);
    } catch (JdbiException e) {
      throw translate(what, e);
    } catch (Codecs.CorruptValueException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT, "store: " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs a write in one transaction: all of it commits, or none of it does. */
  <T> T write(String what, HandleCallback<T, RuntimeException> work) {
    checkOpen(what);
    try {
      return jdbi.inTransaction(work);
    } catch (JdbiException e) {
      throw translate(what, e);
    } catch (Codecs.CorruptValueException e) {
      throw new StoreException(
          StoreException.Kind.CORRUPT, "store: " + what + ": " + e.getMessage(), e);
    }
  }

  /** Binds one row's parameters, by position, onto a JDBC statement. */
  @FunctionalInterface
  interface RowBinder<R> {
    void bind(PreparedStatement statement, R row) throws SQLException;
  }

  /**
   * Runs {@code sql} once per row as one JDBC batch on the open transaction of {@code h}. For the
   * bulk writes of the notify pipeline (ten thousand alerts or history events from one rule
   * evaluation): there, Jdbi's per-parameter argument lookup cost more CPU than the database's own
   * work. A failure is thrown as a {@link JdbiException} whose cause is the {@link SQLException},
   * so {@link #write} classifies it like any other.
   */
  static <R> void batch(Handle h, String sql, Collection<R> rows, RowBinder<? super R> binder) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      for (R row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new BatchFailedException(e);
    }
  }

  /** A JDBC batch failed; the cause is the driver's exception. */
  private static final class BatchFailedException extends JdbiException {
    private static final long serialVersionUID = 1L;

    BatchFailedException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private void checkOpen(String what) {
    if (closed.get()) {
      throw new StoreException(StoreException.Kind.CLOSED, "store: " + what + ": store is closed");
    }
  }

  private StoreException translate(String what, JdbiException e) {
    if (closed.get()) {
      return new StoreException(
          StoreException.Kind.CLOSED, "store: " + what + ": store is closed", e);
    }
    StoreException.Kind kind = classify(e);
    return new StoreException(kind, "store: " + what + " failed: " + describe(e), e);
  }

  private StoreException.Kind classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return StoreException.Kind.UNAVAILABLE; // pool timeout or connection lost
      }
      if (t instanceof SQLException sql) {
        StoreException.Kind kind =
            dialect == Dialect.SQLITE ? classifySqlite(sql) : classifyPostgres(sql);
        if (kind != null) {
          return kind;
        }
      }
    }
    return StoreException.Kind.FAILED;
  }

  private static StoreException.Kind classifySqlite(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return switch (primary) {
      case SQLITE_BUSY, SQLITE_LOCKED -> StoreException.Kind.UNAVAILABLE;
      case SQLITE_CONSTRAINT -> StoreException.Kind.CONSTRAINT_VIOLATED;
      default -> null;
    };
  }

  private static StoreException.Kind classifyPostgres(SQLException e) {
    String state = e.getSQLState();
    if (state == null || state.length() < 2) {
      return null;
    }
    return switch (state.substring(0, 2)) {
      // connection exception, serialization failure/deadlock, insufficient resources,
      // operator intervention (e.g. admin shutdown)
      case "08", "40", "53", "57" -> StoreException.Kind.UNAVAILABLE;
      case "23" -> StoreException.Kind.CONSTRAINT_VIOLATED;
      default -> null;
    };
  }

  /** The most specific message in the cause chain, i.e. the database's own words. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException && t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
