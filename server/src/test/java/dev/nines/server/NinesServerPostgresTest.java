package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import dev.nines.store.Dialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server with its state in PostgreSQL, selected by a JDBC URL in the config file. */
class NinesServerPostgresTest {
  private static final String ADMIN_URL =
      System.getenv()
          .getOrDefault(
              "NINES_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

  private static boolean postgresReachable() {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      return c.isValid(2);
    } catch (SQLException e) {
      if (System.getenv("CI") != null) {
        throw new AssertionError("PostgreSQL is required in CI at " + ADMIN_URL, e);
      }
      return false;
    }
  }

  @Test
  void aJdbcUrlInTheConfigSelectsPostgres(@TempDir Path dir) throws Exception {
    assumeTrue(postgresReachable(), "PostgreSQL not reachable at " + ADMIN_URL);
    String schema = "nines_server_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = DriverManager.getConnection(ADMIN_URL);
        Statement st = admin.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    try {
      Path file = dir.resolve("nines.yml");
      Files.writeString(
          file,
          "server:\n  listen: 127.0.0.1:0\n  data_dir: "
              + dir.resolve("data")
              + "\nstore:\n  url: "
              + ADMIN_URL
              + "&currentSchema="
              + schema
              + "\n");
      NinesConfig config = ConfigLoader.load(file);
      try (NinesServer server = NinesServer.start(config, () -> config)) {
        assertThat(server.ready()).isTrue();
        assertThat(server.store().dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(server.store().healthy()).isTrue();
        assertThat(NinesProcess.get(server.port(), "/-/ready").statusCode()).isEqualTo(200);
      }
      assertThat(dir.resolve("data").resolve("nines.db")).doesNotExist();
    } finally {
      try (Connection admin = DriverManager.getConnection(ADMIN_URL);
          Statement st = admin.createStatement()) {
        st.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
