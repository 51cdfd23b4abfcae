package dev.nines.server.api;

import static dev.nines.server.api.ApiTestServer.T0;
import static dev.nines.server.api.ApiTestServer.at;
import static dev.nines.server.api.ApiTestServer.enc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.api.ApiTestServer.Response;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/query} and {@code /api/v1/query_range} over a real Tsdb and engine. */
class PromApiQueryTest {
  @TempDir static Path dir;
  static ApiTestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ApiTestServer.start(dir);
    server.loadStandardData();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static Response query(String query, String time) {
    return server.get("/api/v1/query?query=" + enc(query) + "&time=" + enc(time));
  }

  private static Response range(String query, String start, String end, String step) {
    return server.get(
        "/api/v1/query_range?query="
            + enc(query)
            + "&start="
            + enc(start)
            + "&end="
            + enc(end)
            + "&step="
            + enc(step));
  }

  @Test
  void instantVectorHasPrometheusShapeExactly() {
    Response r = query("http_requests_total{instance=\"a\"}", at(60_000));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
                + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"instance\":\"a\","
                + "\"job\":\"api\"},\"value\":[1700000060,\"40\"]}]}}");
  }

  @Test
  void rangeQueryHasPrometheusShapeExactly() {
    Response r = range("http_requests_total{instance=\"a\"}", at(0), at(60_000), "15s");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":"
                + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"instance\":\"a\","
                + "\"job\":\"api\"},\"values\":[[1700000000,\"0\"],[1700000015,\"10\"],"
                + "[1700000030,\"20\"],[1700000045,\"30\"],[1700000060,\"40\"]]}]}}");
  }

  @Test
  void scalarsAndStringsAreTimeValuePairs() {
    assertThat(query("1+1", at(1_500)).body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1700000001.500,\"2\"]}}");
    assertThat(query("\"hello\"", at(0)).json().at("/data/result/1").asText()).isEqualTo("hello");
    assertThat(query("\"hello\"", at(0)).json().at("/data/resultType").asText())
        .isEqualTo("string");
  }

  @Test
  void rangeSelectorsInInstantQueriesAreMatricesOfRawSamples() {
    Response r = query("http_requests_total{instance=\"a\"}[30s]", at(60_000));
    assertThat(r.json().at("/data/resultType").asText()).isEqualTo("matrix");
    assertThat(r.json().at("/data/result/0/values").toString())
        .isEqualTo("[[1700000045,\"30\"],[1700000060,\"40\"]]");
  }

  @Test
  void specialValuesAreWrittenAsPrometheusWritesThem() {
    Response r = query("temperature", at(1_000));
    List<String> values = new ArrayList<>();
    for (JsonNode s : r.json().at("/data/result")) {
      values.add(s.at("/metric/room").asText() + "=" + s.at("/value/1").asText());
    }
    assertThat(values)
        .containsExactlyInAnyOrder("nan=NaN", "hot=+Inf", "cold=-Inf", "tiny=1.5e-07", "warm=21.5");
    assertThat(query("1e21", at(0)).body()).contains("\"1e+21\"");
    assertThat(query("0.000001", at(0)).body()).contains("\"0.000001\"");
    assertThat(query("-1/0", at(0)).body()).contains("\"-Inf\"");
  }

  @Test
  void timesAreFloatSecondsOrRfc3339() {
    Response rfc = query("http_requests_total{instance=\"a\"}", "2023-11-14T22:14:20Z");
    assertThat(rfc.json().at("/data/result/0/value").toString()).isEqualTo("[1700000060,\"40\"]");
    Response frac = query("time()", "1700000060.123");
    assertThat(frac.body()).contains("[1700000060.123,\"1700000060.123\"]");
    Response offset = query("time()", "2023-11-14T23:14:20.5+01:00");
    assertThat(offset.body()).contains("[1700000060.500,\"1700000060.5\"]");
  }

  @Test
  void stepIsADurationOrFloatSeconds() {
    for (String step : List.of("15s", "15", "15.0", "1.5e1", "15000ms")) {
      Response r = range("http_requests_total{instance=\"a\"}", at(0), at(60_000), step);
      assertThat(r.json().at("/data/result/0/values").size()).as(step).isEqualTo(5);
    }
    Response rfc =
        range(
            "http_requests_total{instance=\"a\"}",
            "2023-11-14T22:13:20Z",
            "2023-11-14T22:14:20Z",
            "30s");
    assertThat(rfc.json().at("/data/result/0/values").toString())
        .isEqualTo("[[1700000000,\"0\"],[1700000030,\"20\"],[1700000060,\"40\"]]");
  }

  @Test
  void queriesWorkByPostWithAFormEncodedBody() {
    Response instant =
        server.postForm(
            "/api/v1/query", "query", "http_requests_total{instance=\"a\"}", "time", at(60_000));
    assertThat(instant.json().at("/data/result/0/value/1").asText()).isEqualTo("40");
    Response ranged =
        server.postForm(
            "/api/v1/query_range",
            "query",
            "sum(http_requests_total)",
            "start",
            at(0),
            "end",
            at(30_000),
            "step",
            "15");
    assertThat(ranged.json().at("/data/result/0/values").toString())
        .isEqualTo("[[1700000000,\"0\"],[1700000015,\"20\"],[1700000030,\"40\"]]");
  }

  @Test
  void theBodyWinsOverTheUrlAsInGo() {
    Response r =
        server.send(
            HttpRequest.newBuilder(URI.create(server.url("/api/v1/query?query=1&time=" + at(0))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=2")));
    assertThat(r.json().at("/data/result/1").asText()).isEqualTo("2");
    assertThat(r.json().at("/data/result/0").asLong()).isEqualTo(T0 / 1000);
  }

  @Test
  void staleMarkersEndSeriesInInstantQueries() {
    assertThat(query("going_stale", at(20_000)).json().at("/data/result/0/value/1").asText())
        .isEqualTo("2");
    assertThat(query("going_stale", at(40_000)).json().at("/data/result").size()).isZero();
    Response r = range("going_stale", at(0), at(60_000), "15s");
    assertThat(r.json().at("/data/result/0/values").toString())
        .isEqualTo("[[1700000000,\"1\"],[1700000015,\"2\"]]");
  }

  @Test
  void lookbackDeltaCanBeSetPerQuery() {
    String q = "http_requests_total{instance=\"a\"}";
    String time = at(720_000); // 2 minutes after the last sample
    assertThat(query(q, time).json().at("/data/result").size()).isEqualTo(1);
    Response shorter =
        server.get("/api/v1/query?query=" + enc(q) + "&time=" + time + "&lookback_delta=1m");
    assertThat(shorter.json().at("/data/result").size()).isZero();
    Response bad = server.get("/api/v1/query?query=1&lookback_delta=x");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error").asText())
        .isEqualTo("error parsing lookback delta duration: cannot parse \"x\" to a valid duration");
  }

  @Test
  void limitTruncatesWithPrometheusWarning() {
    Response r = server.get("/api/v1/query?query=http_requests_total&limit=2&time=" + at(60_000));
    assertThat(r.json().at("/data/result").size()).isEqualTo(2);
    assertThat(r.json().at("/warnings").toString())
        .isEqualTo("[\"results truncated due to limit\"]");
    Response all = server.get("/api/v1/query?query=http_requests_total&limit=3&time=" + at(0));
    assertThat(all.json().has("warnings")).isFalse();
    Response bad = server.get("/api/v1/query?query=1&limit=-1");
    assertThat(bad.json().at("/error").asText())
        .isEqualTo("invalid parameter \"limit\": limit must be non-negative");
  }

  @Test
  void annotationsGoToWarningsAndInfos() {
    Response info = query("rate(going_stale[5m])", at(20_000));
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().at("/infos/0").asText())
        .startsWith("PromQL info: metric might not be a counter");
    assertThat(info.json().has("warnings")).isFalse();
    Response warn = query("quantile(2, temperature)", at(1_000));
    assertThat(warn.json().at("/warnings/0").asText()).contains("quantile value should be");
  }

  @Test
  void badParametersAre400WithPrometheusText() {
    assertError(
        query("sum(", at(0)), 400, "bad_data", "invalid parameter \"query\": 1:5: parse error:");
    assertError(
        server.get("/api/v1/query?query=1&time=yesterday"),
        400,
        "bad_data",
        "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"yesterday\" to"
            + " a valid timestamp");
    assertError(
        server.get("/api/v1/query_range?query=1&end=1&step=1"),
        400,
        "bad_data",
        "invalid parameter \"start\": cannot parse \"\" to a valid timestamp");
    assertError(
        range("1", "10", "5", "1"),
        400,
        "bad_data",
        "invalid parameter \"end\": end timestamp must not be before start time");
    assertError(
        range("1", "0", "5", "0"),
        400,
        "bad_data",
        "invalid parameter \"step\": zero or negative query resolution step widths are not"
            + " accepted. Try a positive integer");
    assertError(
        range("1", "0", "5", "often"),
        400,
        "bad_data",
        "invalid parameter \"step\": cannot parse \"often\" to a valid duration");
    assertError(
        range("\"text\"", "0", "5", "1"),
        400,
        "bad_data",
        "invalid parameter \"query\": invalid expression type \"string\" for range query, must be"
            + " Scalar or instant Vector");
    assertError(
        server.get("/api/v1/query?query=1&timeout=soon"),
        400,
        "bad_data",
        "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration");
  }

  @Test
  void executionErrorsAre422() {
    assertError(
        query("http_requests_total + on(job) http_requests_total", at(0)),
        422,
        "execution",
        "found duplicate series for the match group");
  }

  @Test
  void rangeQueriesAreLimitedTo11000PointsPerSeries() {
    Response r = range("1", "0", "11001", "1");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum"
                + " resolution of 11,000 points per timeseries. Try decreasing the query"
                + " resolution (?step=XX)\"}");
    assertThat(range("1", "0", "10999", "1").status()).isEqualTo(200);
    assertThat(server.metrics())
        .contains("nines_engine_query_limit_hits_total{limit=\"max_points\"}");
  }

  @Test
  void largeMatricesStreamCompletely() throws Exception {
    Response r = range("vector(1) + 0.5", "0", "10999", "1");
    JsonNode values = r.json().at("/data/result/0/values");
    assertThat(values.size()).isEqualTo(11_000);
    assertThat(values.get(10_999).toString()).isEqualTo("[10999,\"1.5\"]");
    // Compressed for clients that accept gzip, with the same content.
    HttpResponse<byte[]> gz =
        server.client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.url("/api/v1/query_range?query=vector(1)&start=0&end=10999&step=1")))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String body =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(body).startsWith("{\"status\":\"success\"").endsWith("[10999,\"1\"]]}]}}");
  }

  @Test
  void queryErrorsAreCountedByType() {
    query("sum(", at(0));
    assertThat(server.metrics())
        .containsPattern("nines_engine_query_errors_total\\{type=\"bad_data\"} [1-9]")
        .contains("nines_engine_queries_concurrent_max 20.0")
        .contains("nines_engine_query_duration_seconds_count{slice=\"inner_eval\"}");
  }

  static void assertError(Response r, int status, String type, String messagePrefix) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().at("/status").asText()).isEqualTo("error");
    assertThat(r.json().at("/errorType").asText()).isEqualTo(type);
    assertThat(r.json().at("/error").asText()).startsWith(messagePrefix);
    assertThat(r.contentType()).startsWith("application/json");
  }
}
