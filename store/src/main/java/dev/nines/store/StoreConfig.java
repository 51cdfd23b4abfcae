package dev.nines.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The configuration of the state store, frozen once {@link #validate() validated}.
 *
 * @param jdbcUrl the database, as a JDBC URL ({@code jdbc:postgresql://HOST[:PORT]/DB?user=..} or
 *     {@code jdbc:sqlite:FILE}); {@code null} means the SQLite file {@code <dataDir>/nines.db}
 * @param dataDir the Nines data folder; required when {@code jdbcUrl} is {@code null}, may be
 *     {@code null} otherwise
 * @param maxPoolSize the most connections the pool opens (PostgreSQL); SQLite always uses one,
 *     since SQLite allows one writer at a time
 * @param connectTimeout how long to wait for a connection, for the database to answer at start, and
 *     (SQLite) for a lock held by another process
 */
public record StoreConfig(String jdbcUrl, Path dataDir, int maxPoolSize, Duration connectTimeout) {

  /** The file name of the embedded SQLite database inside the data folder. */
  public static final String SQLITE_FILE_NAME = "nines.db";

  /** The pool size used when the configuration does not say. */
  public static final int DEFAULT_MAX_POOL_SIZE = 8;

  /** The connect timeout used when the configuration does not say. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(10);
  private static final int MAX_POOL_SIZE = 1000;

  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)(password|sslpassword)=[^&;]*");
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]*):[^/@]*@");

  /** The default configuration: SQLite in {@code dataDir}, default pool size and timeout. */
  public static StoreConfig defaults(Path dataDir) {
    return new StoreConfig(null, dataDir, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
  }

  /**
   * Checks every field and returns this configuration.
   *
   * @throws StoreException of kind {@link StoreException.Kind#INVALID_CONFIG} whose message names
   *     the field at fault, e.g. {@code store.url: ...}
   */
  public StoreConfig validate() {
    if (jdbcUrl == null) {
      if (dataDir == null) {
        throw invalid(
            "server.data_dir: required when store.url is not set (SQLite in the data dir)");
      }
    } else {
      String lower = jdbcUrl.toLowerCase(Locale.ROOT);
      if (lower.startsWith("jdbc:sqlite:")) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        if (file.isBlank() || file.startsWith(":memory:") || file.contains("mode=memory")) {
          throw invalid(
              "store.url: \""
                  + redactedUrl()
                  + "\" is not a SQLite file; an in-memory database would lose state on restart");
        }
      } else if (!lower.startsWith("jdbc:postgresql:")) {
        throw invalid(
            "store.url: \""
                + redactedUrl()
                + "\" is not a supported JDBC URL; expected jdbc:postgresql://HOST[:PORT]/DATABASE"
                + " or jdbc:sqlite:FILE (or leave it unset for SQLite in the data dir)");
      }
    }
    if (maxPoolSize < 1 || maxPoolSize > MAX_POOL_SIZE) {
      throw invalid(
          "store.max_pool_size: " + maxPoolSize + " is out of range; expected 1.." + MAX_POOL_SIZE);
    }
    if (connectTimeout == null) {
      throw invalid("store.connect_timeout: required");
    }
    if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0
        || connectTimeout.compareTo(MAX_CONNECT_TIMEOUT) > 0) {
      throw invalid(
          "store.connect_timeout: "
              + connectTimeout.toMillis()
              + "ms is out of range; expected 250ms..10m");
    }
    return this;
  }

  /** The database this configuration selects. Call {@link #validate()} first. */
  public Dialect dialect() {
    return jdbcUrl == null || jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:sqlite:")
        ? Dialect.SQLITE
        : Dialect.POSTGRESQL;
  }

  /** The JDBC URL the store connects to: {@link #jdbcUrl()}, or the SQLite file in the data dir. */
  public String effectiveJdbcUrl() {
    return jdbcUrl != null
        ? jdbcUrl
        : "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE_NAME).toAbsolutePath();
  }

  /**
   * The effective JDBC URL with any password replaced by {@code ***}, fit for messages and logs.
   */
  public String redactedUrl() {
    return redact(effectiveJdbcUrl());
  }

  /**
   * Returns {@code url} with password parameters and user-info passwords replaced by {@code ***}.
   */
  static String redact(String url) {
    String s = PASSWORD_PARAM.matcher(url).replaceAll("$1=***");
    return USER_INFO_PASSWORD.matcher(s).replaceAll("$1:***@");
  }

  @Override
  public String toString() {
    return "StoreConfig[url="
        + (jdbcUrl == null ? null : redact(jdbcUrl))
        + ", dataDir="
        + dataDir
        + ", maxPoolSize="
        + maxPoolSize
        + ", connectTimeout="
        + connectTimeout
        + "]";
  }

  private static StoreException invalid(String message) {
    return new StoreException(StoreException.Kind.INVALID_CONFIG, message);
  }
}
