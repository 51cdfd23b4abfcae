package dev.nines.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import dev.nines.tsdb.Tsdb;
import dev.nines.tsdb.TsdbOptions;
import dev.nines.tsdb.storage.Querier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/admin/tsdb/*}: snapshots and series deletion, and the switch that disables them.
 */
class AdminApiTest {
  private static final long T0 = ApiTestServer.T0;

  @Test
  void deleteSeriesHidesTheMatchedSamplesAtOnce(@TempDir Path dir) throws Exception {
    try (ApiTestServer api = ApiTestServer.start(dir)) {
      api.series(Labels.of("__name__", "m", "job", "a"), T0, 15_000, 1, 2, 3, 4);
      api.series(Labels.of("__name__", "m", "job", "b"), T0, 15_000, 5, 6, 7, 8);
      ApiTestServer.Response r =
          api.postForm("/api/v1/admin/tsdb/delete_series", "match[]", "m{job=\"a\"}");
      assertThat(r.status()).isEqualTo(204);
      String time = Double.toString((T0 + 45_000) / 1000.0);
      ApiTestServer.Response q = api.get("/api/v1/query?query=m&time=" + time);
      assertThat(q.json().path("data").path("result")).hasSize(1);
      assertThat(q.json().path("data").path("result").get(0).path("metric").path("job").asText())
          .isEqualTo("b");
    }
  }

  @Test
  void deleteSeriesNeedsAMatcher(@TempDir Path dir) throws Exception {
    try (ApiTestServer api = ApiTestServer.start(dir)) {
      ApiTestServer.Response r = api.postForm("/api/v1/admin/tsdb/delete_series");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("no match[] parameter provided");
    }
  }

  @Test
  void snapshotWithHeadOpensAsADatabaseWithTheSameData(@TempDir Path dir) throws Exception {
    String name;
    try (ApiTestServer api = ApiTestServer.start(dir.resolve("db"))) {
      api.series(Labels.of("__name__", "m", "job", "a"), T0, 15_000, 1, 2, 3);
      ApiTestServer.Response r = api.postForm("/api/v1/admin/tsdb/snapshot");
      assertThat(r.status()).isEqualTo(200);
      name = r.json().path("data").path("name").asText();
      assertThat(name).matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    }
    Path snapshot = dir.resolve("db").resolve("snapshots").resolve(name);
    assertThat(Files.isDirectory(snapshot)).isTrue();
    try (Tsdb copy = Tsdb.open(snapshot, TsdbOptions.defaults());
        Querier q = copy.querier(T0, T0 + 60_000)) {
      assertThat(q.labelValues("job", List.of())).containsExactly("a");
    }
  }

  @Test
  void disabledAdminApiAnswersUnavailable(@TempDir Path dir) throws Exception {
    try (ApiTestServer api = ApiTestServer.startWithoutAdmin(dir)) {
      ApiTestServer.Response r = api.postForm("/api/v1/admin/tsdb/snapshot");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().path("errorType").asText()).isEqualTo("unavailable");
      assertThat(r.json().path("error").asText()).isEqualTo("admin APIs disabled");
    }
  }
}
