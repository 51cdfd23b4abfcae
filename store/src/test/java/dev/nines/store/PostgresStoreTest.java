package dev.nines.store;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL server, each test in a fresh schema that is dropped
 * afterwards. The server is {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres} unless
 * {@code NINES_TEST_POSTGRES_URL} names another. Without a server the tests are skipped, except
 * under CI (environment variable {@code CI} set), where they fail.
 */
class PostgresStoreTest extends StoreContractTest {
  static final String ADMIN_URL =
      System.getenv()
          .getOrDefault(
              "NINES_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

  private String schema;

  @BeforeAll
  static void requirePostgres() {
    try (Connection c = adminConnection()) {
      c.isValid(2);
    } catch (SQLException e) {
      String message =
          "PostgreSQL is not reachable at "
              + StoreConfig.redact(ADMIN_URL)
              + " ("
              + e.getMessage()
              + "). Start it with: pg_ctlcluster --skip-systemctl-redirect"
              + " $(ls /etc/postgresql) main start (or set NINES_TEST_POSTGRES_URL).";
      if (System.getenv("CI") != null) {
        fail("CI is set, so PostgreSQL must be tested: " + message, e);
      }
      Assumptions.abort(message);
    }
  }

  private static Connection adminConnection() throws SQLException {
    DriverManager.setLoginTimeout(3);
    return DriverManager.getConnection(ADMIN_URL);
  }

  @Override
  StoreConfig freshConfig() throws SQLException {
    schema = "nines_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = adminConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    String url = ADMIN_URL + (ADMIN_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new StoreConfig(url, null, 4, Duration.ofSeconds(5));
  }

  @Override
  void dropDatabase() throws SQLException {
    if (schema != null) {
      try (Connection c = adminConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  @Override
  void emptyDatabase() throws SQLException {
    try (Connection c = adminConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA " + schema + " CASCADE");
      st.execute("CREATE SCHEMA " + schema);
    }
  }

  @Override
  Dialect expectedDialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  List<String> failOnBoomMatcherSql() {
    return List.of(
        "CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN RAISE EXCEPTION 'boom matcher'; END $$",
        "CREATE TRIGGER fail_on_boom BEFORE INSERT ON silence_matchers FOR EACH ROW"
            + " WHEN (NEW.label_name = 'boom') EXECUTE FUNCTION fail_on_boom()");
  }
}
