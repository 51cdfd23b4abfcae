package dev.nines.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, in a fresh data directory per test. */
class SqliteStoreTest extends StoreContractTest {
  @TempDir Path dataDir;

  @Override
  StoreConfig freshConfig() {
    return new StoreConfig(null, dataDir.resolve("data"), 4, Duration.ofSeconds(5));
  }

  @Override
  void emptyDatabase() throws java.io.IOException {
    Path dir = dataDir.resolve("data");
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(dir.resolve(StoreConfig.SQLITE_FILE_NAME + suffix));
    }
  }

  @Override
  Dialect expectedDialect() {
    return Dialect.SQLITE;
  }

  @Override
  List<String> failOnBoomMatcherSql() {
    return List.of(
        "CREATE TRIGGER fail_on_boom BEFORE INSERT ON silence_matchers"
            + " WHEN NEW.label_name = 'boom' BEGIN SELECT RAISE(ABORT, 'boom matcher'); END");
  }

  @Test
  void databaseIsOneFileInTheDataDirWithDurableSettings() {
    assertThat(dataDir.resolve("data").resolve(StoreConfig.SQLITE_FILE_NAME)).isRegularFile();
    assertThat(pragma("journal_mode")).isEqualTo("wal");
    assertThat(pragma("synchronous")).isEqualTo("2"); // FULL
    assertThat(pragma("foreign_keys")).isEqualTo("1");
    assertThat(pragma("busy_timeout")).isEqualTo("5000");
  }

  @Test
  void explicitSqliteUrlIsUsedAsIs() throws Exception {
    Path file = dataDir.resolve("elsewhere.db");
    try (Store other =
        Store.open(new StoreConfig("jdbc:sqlite:" + file, null, 1, Duration.ofSeconds(5)))) {
      assertThat(other.dialect()).isEqualTo(Dialect.SQLITE);
      other.silences().upsert(silence("x", T0, T0.plusSeconds(1), eq("a", "b")));
    }
    assertThat(Files.size(file)).isPositive();
    try (Store again =
        Store.open(new StoreConfig("jdbc:sqlite:" + file, null, 1, Duration.ofSeconds(5)))) {
      assertThat(again.silences().get("x")).isPresent();
    }
  }

  private String pragma(String name) {
    return store.jdbi().withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }
}
