package dev.nines.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The state store: a connection pool on SQLite or PostgreSQL, migrated to the current schema, and
 * the repositories that read and write it. Safe for use from many threads; close it once.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Opening is three steps, each with its own error kind: a plain connection is opened as a
 *       probe ({@link StoreException.Kind#UNREACHABLE}), Flyway migrates through an unpooled data
 *       source ({@link StoreException.Kind#MIGRATION_FAILED}), and only then is the HikariCP pool
 *       started. Flyway gets its own data source because on PostgreSQL it holds two connections at
 *       once (one for its lock), which a pool of size one could never give it.
 *   <li>SQLite: one pooled connection, so that writers from many threads queue in the pool rather
 *       than failing with {@code SQLITE_BUSY}; SQLite allows one writer at a time anyway, and the
 *       state store's write rate is small. Every transaction begins {@code IMMEDIATE} and {@code
 *       busy_timeout} is set, so that another process holding the file (an operator's {@code
 *       sqlite3} shell) makes writes wait rather than fail. Journal mode WAL, {@code
 *       synchronous=FULL}: a commit that returned is on disk, surviving {@code kill -9} and power
 *       loss alike (see docs/store.md), foreign keys on.
 *   <li>PostgreSQL: the pool holds up to {@link StoreConfig#maxPoolSize()} connections; the schema
 *       is the connection's current schema ({@code currentSchema=} in the URL picks another).
 *   <li>Repositories map rows by hand with Jdbi's core API: no reflection, no SQL objects.
 * </ul>
 */
public final class Store implements AutoCloseable {
  private static final String MIGRATIONS = "classpath:db/migration";

  private final StoreConfig config;
  private final HikariDataSource pool;
  private final Database db;
  private final SilenceRepository silences;
  private final NotificationLogRepository notificationLog;
  private final AlertStateRepository alertState;
  private final NotifyAlertRepository notifyAlerts;
  private final AlertAckRepository acks;
  private final AlertHistoryRepository alertHistory;
  private final AlertIncidentLinkRepository incidentLinks;

  private Store(StoreConfig config, HikariDataSource pool) {
    this.config = config;
    this.pool = pool;
    this.db = new Database(Jdbi.create(pool), config.dialect());
    this.silences = new SilenceRepository(db);
    this.notificationLog = new NotificationLogRepository(db);
    this.alertState = new AlertStateRepository(db);
    this.notifyAlerts = new NotifyAlertRepository(db);
    this.acks = new AlertAckRepository(db);
    this.alertHistory = new AlertHistoryRepository(db);
    this.incidentLinks = new AlertIncidentLinkRepository(db);
  }

  /**
   * Opens the store: validates the configuration, connects, runs the schema migrations and starts
   * the connection pool.
   *
   * @throws StoreException of kind {@link StoreException.Kind#INVALID_CONFIG}, {@link
   *     StoreException.Kind#UNREACHABLE} or {@link StoreException.Kind#MIGRATION_FAILED}; the
   *     message names the database URL, without its password
   */
  public static Store open(StoreConfig config) {
    config.validate();
    String url = config.redactedUrl();
    DataSource direct =
        switch (config.dialect()) {
          case SQLITE -> sqliteDataSource(config);
          case POSTGRESQL -> postgresDataSource(config);
        };
    probe(direct, url, config);
    migrate(direct, url, null);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(config, direct));
    } catch (RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.UNREACHABLE,
          "store.url: cannot open a connection pool to " + url + ": " + Database.describe(e),
          e);
    }
    return new Store(config, pool);
  }

  /** The database this store runs on. */
  public Dialect dialect() {
    return db.dialect();
  }

  /** The configuration this store was opened with. */
  public StoreConfig config() {
    return config;
  }

  /** Whether the database answers a trivial query now; false once closed. */
  public boolean healthy() {
    if (db.closed()) {
      return false;
    }
    try {
      return db.read("health check", h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())
          == 1;
    } catch (StoreException e) {
      return false;
    }
  }

  /** The silences. */
  public SilenceRepository silences() {
    return silences;
  }

  /** The notification log. */
  public NotificationLogRepository notificationLog() {
    return notificationLog;
  }

  /** The state of pending and firing alerts, per rule group. */
  public AlertStateRepository alertState() {
    return alertState;
  }

  /** The alerts the notify pipeline holds. */
  public NotifyAlertRepository notifyAlerts() {
    return notifyAlerts;
  }

  /** Alert acknowledgements. */
  public AlertAckRepository acks() {
    return acks;
  }

  /** The alert history. */
  public AlertHistoryRepository alertHistory() {
    return alertHistory;
  }

  /** Alert occurrences linked to incidents. */
  public AlertIncidentLinkRepository incidentLinks() {
    return incidentLinks;
  }

  /** Closes the connection pool. Idempotent; later calls on the repositories fail as CLOSED. */
  @Override
  public void close() {
    if (db.markClosed()) {
      pool.close();
    }
  }

  /** The Jdbi instance, for tests in this package. */
  Jdbi jdbi() {
    return db.jdbi();
  }

  private static DataSource sqliteDataSource(StoreConfig config) {
    if (config.jdbcUrl() == null) {
      Path dir = config.dataDir();
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new StoreException(
            StoreException.Kind.UNREACHABLE,
            "store.dataDir: cannot create the data directory " + dir + ": " + e,
            e);
      }
    }
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.setBusyTimeout((int) config.connectTimeout().toMillis());
    sqlite.enforceForeignKeys(true);
    sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource ds = new SQLiteDataSource(sqlite);
    ds.setUrl(config.effectiveJdbcUrl());
    return ds;
  }

  private static DataSource postgresDataSource(StoreConfig config) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(config.jdbcUrl());
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          StoreException.Kind.INVALID_CONFIG,
          "store.url: \"" + config.redactedUrl() + "\" is not a valid PostgreSQL URL",
          e);
    }
    int seconds = (int) Math.max(1, config.connectTimeout().toSeconds());
    ds.setConnectTimeout(seconds);
    ds.setLoginTimeout(seconds);
    if (!config.jdbcUrl().toLowerCase(Locale.ROOT).contains("applicationname=")) {
      ds.setApplicationName("nines");
    }
    return ds;
  }

  private static void probe(DataSource ds, String url, StoreConfig config) {
    try (Connection c = ds.getConnection()) {
      if (!c.isValid((int) Math.max(1, config.connectTimeout().toSeconds()))) {
        throw new SQLException("connection is not valid");
      }
    } catch (SQLException | RuntimeException e) {
      throw new StoreException(
          StoreException.Kind.UNREACHABLE,
          "store.url: cannot connect to " + url + ": " + Database.describe(e),
          e);
    }
  }

  /**
   * Migrates the database {@code config} names up to schema version {@code target} and no further,
   * without opening a store: for tests that check a migration against data written under the
   * version before it.
   */
  static void migrateTo(StoreConfig config, String target) {
    config.validate();
    DataSource direct =
        switch (config.dialect()) {
          case SQLITE -> sqliteDataSource(config);
          case POSTGRESQL -> postgresDataSource(config);
        };
    migrate(direct, config.redactedUrl(), target);
  }

  private static void migrate(DataSource ds, String url, String target) {
    try {
      var flyway =
          Flyway.configure(Store.class.getClassLoader())
              .dataSource(ds)
              .locations(MIGRATIONS)
              .failOnMissingLocations(true)
              .validateMigrationNaming(true)
              .cleanDisabled(true);
      if (target != null) {
        flyway.target(target);
      }
      flyway.load().migrate();
    } catch (FlywayException e) {
      throw new StoreException(
          StoreException.Kind.MIGRATION_FAILED,
          "store: schema migration of " + url + " failed: " + e.getMessage(),
          e);
    }
  }

  private static HikariConfig poolConfig(StoreConfig config, DataSource direct) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("nines-store");
    hc.setDataSource(direct);
    long timeoutMs = config.connectTimeout().toMillis();
    hc.setConnectionTimeout(timeoutMs);
    hc.setValidationTimeout(Math.min(timeoutMs, 5_000));
    hc.setInitializationFailTimeout(timeoutMs);
    if (config.dialect() == Dialect.SQLITE) {
      hc.setMaximumPoolSize(1);
      hc.setMinimumIdle(1);
    } else {
      hc.setMaximumPoolSize(config.maxPoolSize());
      hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    }
    return hc;
  }
}
