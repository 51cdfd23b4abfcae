package dev.nines.server.api;

import static dev.nines.server.api.ApiTestServer.at;
import static dev.nines.server.api.ApiTestServer.enc;
import static dev.nines.server.api.PromApiQueryTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.api.ApiTestServer.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series, labels, label values, metadata, exemplars, parse/format and the status endpoints over a
 * real Tsdb.
 */
class PromApiMetadataTest {
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

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    return out;
  }

  @Test
  void seriesListsLabelSetsForEachMatch() {
    Response r = server.get("/api/v1/series?match[]=" + enc("http_requests_total{job=\"api\"}"));
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":[{\"__name__\":\"http_requests_total\",\"code\":"
                + "\"200\",\"instance\":\"a\",\"job\":\"api\"},{\"__name__\":"
                + "\"http_requests_total\",\"code\":\"500\",\"instance\":\"b\",\"job\":\"api\"}]}");
    Response two =
        server.get(
            "/api/v1/series?match[]="
                + enc("going_stale")
                + "&match[]="
                + enc("{room=\"warm\"}")
                + "&start="
                + at(0)
                + "&end="
                + at(60_000));
    assertThat(two.json().at("/data").size()).isEqualTo(2);
    Response post =
        server.postForm(
            "/api/v1/series", "match[]", "temperature", "start", "2023-11-14T22:13:20Z");
    assertThat(post.json().at("/data").size()).isEqualTo(5);
  }

  @Test
  void seriesOutsideTheTimeRangeAreNotListed() {
    Response r =
        server.get(
            "/api/v1/series?match[]=http_requests_total&start="
                + at(3_600_000)
                + "&end="
                + at(7_200_000));
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
  }

  @Test
  void seriesLimitWarnsWhenItTruncates() {
    Response r = server.get("/api/v1/series?match[]=http_requests_total&limit=1");
    assertThat(r.json().at("/data").size()).isEqualTo(1);
    assertThat(texts(r.json().at("/warnings"))).containsExactly("results truncated due to limit");
  }

  @Test
  void seriesNeedsASelectiveMatch() {
    assertError(server.get("/api/v1/series"), 400, "bad_data", "no match[] parameter provided");
    assertError(
        server.get("/api/v1/series?match[]=" + enc("{job=~\".*\"}")),
        400,
        "bad_data",
        "1:1: parse error: vector selector must contain at least one non-empty matcher");
    assertError(
        server.get("/api/v1/series?match[]=" + enc("up{")), 400, "bad_data", "1:4: parse error");
    assertError(
        server.get("/api/v1/series?match[]=x&start=soon"),
        400,
        "bad_data",
        "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"soon\"");
  }

  @Test
  void labelNamesAreSortedAndFilteredByMatch() {
    Response all = server.get("/api/v1/labels");
    assertThat(texts(all.json().at("/data")))
        .containsExactly("__name__", "code", "instance", "job", "room");
    Response matched = server.postForm("/api/v1/labels", "match[]", "temperature");
    assertThat(texts(matched.json().at("/data"))).containsExactly("__name__", "room");
    Response limited = server.get("/api/v1/labels?limit=2");
    assertThat(texts(limited.json().at("/data"))).containsExactly("__name__", "code");
    assertThat(texts(limited.json().at("/warnings")))
        .containsExactly("results truncated due to limit");
  }

  @Test
  void labelValuesBrowseNamesAndValues() {
    assertThat(texts(server.get("/api/v1/label/__name__/values").json().at("/data")))
        .containsExactly("going_stale", "http_requests_total", "temperature");
    assertThat(texts(server.get("/api/v1/label/job/values").json().at("/data")))
        .containsExactly("api", "web", "x");
    Response matched =
        server.get("/api/v1/label/job/values?match[]=" + enc("http_requests_total{code=\"500\"}"));
    assertThat(texts(matched.json().at("/data"))).containsExactly("api");
    assertThat(texts(server.get("/api/v1/label/U__j_6f_b/values").json().at("/data")))
        .containsExactly("api", "web", "x");
    assertThat(server.get("/api/v1/label/nope/values").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    Response limited = server.get("/api/v1/label/job/values?limit=1");
    assertThat(texts(limited.json().at("/data"))).containsExactly("api");
    assertThat(limited.json().at("/warnings/0").asText())
        .isEqualTo("results truncated due to limit");
  }

  @Test
  void metadataFiltersAndLimits() {
    Response all = server.get("/api/v1/metadata");
    assertThat(all.json().at("/data/http_requests_total/0").toString())
        .isEqualTo("{\"type\":\"counter\",\"help\":\"Requests served.\",\"unit\":\"\"}");
    assertThat(all.json().at("/data/temperature").size()).isEqualTo(2);
    assertThat(server.get("/api/v1/metadata?limit=1").json().at("/data").size()).isEqualTo(1);
    assertThat(
            server.get("/api/v1/metadata?limit_per_metric=1").json().at("/data/temperature").size())
        .isEqualTo(1);
    Response one = server.get("/api/v1/metadata?metric=temperature");
    assertThat(texts(fieldNames(one.json().at("/data")))).containsExactly("temperature");
    assertError(server.get("/api/v1/metadata?limit=x"), 400, "bad_data", "limit must be a number");
  }

  private static JsonNode fieldNames(JsonNode object) {
    com.fasterxml.jackson.databind.node.ArrayNode names =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void exemplarsAreAnEmptySuccess() {
    Response r =
        server.postForm(
            "/api/v1/query_exemplars", "query", "http_requests_total", "start", "0", "end", "1");
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertError(server.get("/api/v1/query_exemplars?query=sum("), 400, "bad_data", "1:5:");
  }

  @Test
  void formatQueryReturnsTheCanonicalText() {
    Response r =
        server.get(
            "/api/v1/format_query?query=" + enc("sum(rate(foo{b='x',a=\"y\"}[90m]))by(job)"));
    assertThat(r.body())
        .isEqualTo(
            "{\"status\":\"success\",\"data\":\"sum by (job) (rate(foo{a=\\\"y\\\",b=\\\"x\\\"}[1h30m]))\"}");
    Response post = server.postForm("/api/v1/format_query", "query", "1+2 * 3");
    assertThat(post.json().at("/data").asText()).isEqualTo("1 + 2 * 3");
    assertError(server.get("/api/v1/format_query?query=" + enc("foo{")), 400, "bad_data", "1:5:");
  }

  @Test
  void formatQuerySplitsLongExpressionsOverLinesAsPrometheusDoes() {
    String query =
        "histogram_quantile(0.99, sum by (le, job, instance, handler)"
            + " (rate(http_request_duration_seconds_bucket{job=\"apiserver\"}[5m])))";
    Response r = server.postForm("/api/v1/format_query", "query", query);
    // What Prometheus 2.42's format_query answered for the same query.
    assertThat(r.json().at("/data").asText())
        .isEqualTo(
            String.join(
                "\n",
                "histogram_quantile(",
                "  0.99,",
                "  sum by (le, job, instance, handler) (",
                "    rate(http_request_duration_seconds_bucket{job=\"apiserver\"}[5m])",
                "  )",
                ")"));
  }

  @Test
  void parseQueryReturnsPrometheusAst() {
    Response r =
        server.get(
            "/api/v1/parse_query?query="
                + enc("sum by (job) (rate(http_requests_total{job=\"api\"}[5m] offset 1m)) > 0.5"));
    JsonNode ast = r.json().at("/data");
    assertThat(ast.at("/type").asText()).isEqualTo("binaryExpr");
    assertThat(ast.at("/op").asText()).isEqualTo(">");
    assertThat(ast.at("/bool").asBoolean()).isFalse();
    assertThat(ast.at("/matching").isNull()).isTrue();
    assertThat(ast.at("/rhs").toString()).isEqualTo("{\"type\":\"numberLiteral\",\"val\":\"0.5\"}");
    JsonNode agg = ast.at("/lhs");
    assertThat(agg.at("/type").asText()).isEqualTo("aggregation");
    assertThat(agg.at("/op").asText()).isEqualTo("sum");
    assertThat(agg.at("/grouping").toString()).isEqualTo("[\"job\"]");
    assertThat(agg.at("/without").asBoolean()).isFalse();
    assertThat(agg.at("/param").isNull()).isTrue();
    JsonNode call = agg.at("/expr");
    assertThat(call.at("/type").asText()).isEqualTo("call");
    assertThat(call.at("/func").toString())
        .isEqualTo(
            "{\"name\":\"rate\",\"argTypes\":[\"matrix\"],\"variadic\":0,"
                + "\"returnType\":\"vector\"}");
    JsonNode ms = call.at("/args/0");
    assertThat(ms.at("/type").asText()).isEqualTo("matrixSelector");
    assertThat(ms.at("/name").asText()).isEqualTo("http_requests_total");
    assertThat(ms.at("/range").asLong()).isEqualTo(300_000);
    assertThat(ms.at("/offset").asLong()).isEqualTo(60_000);
    assertThat(ms.at("/timestamp").isNull()).isTrue();
    assertThat(ms.at("/startOrEnd").isNull()).isTrue();
    assertThat(texts(ms.at("/matchers")))
        .containsExactlyInAnyOrder(
            "{\"name\":\"job\",\"value\":\"api\",\"type\":\"=\"}",
            "{\"name\":\"__name__\",\"value\":\"http_requests_total\",\"type\":\"=\"}");

    JsonNode vv =
        server
            .get("/api/v1/parse_query?query=" + enc("a / on(x) group_left(y) b @ end()"))
            .json()
            .at("/data");
    assertThat(vv.at("/matching/card").asText()).isEqualTo("many-to-one");
    assertThat(vv.at("/matching/on").asBoolean()).isTrue();
    assertThat(vv.at("/matching/labels").toString()).isEqualTo("[\"x\"]");
    assertThat(vv.at("/matching/include").toString()).isEqualTo("[\"y\"]");
    assertThat(vv.at("/rhs/startOrEnd").asText()).isEqualTo("end");
    JsonNode sub =
        server
            .get("/api/v1/parse_query?query=" + enc("-max_over_time(x[1h:5m] @ 100)"))
            .json()
            .at("/data");
    assertThat(sub.at("/type").asText()).isEqualTo("unaryExpr");
    assertThat(sub.at("/expr/args/0/type").asText()).isEqualTo("subquery");
    assertThat(sub.at("/expr/args/0/step").asLong()).isEqualTo(300_000);
    assertThat(sub.at("/expr/args/0/timestamp").asLong()).isEqualTo(100_000);
  }

  @Test
  void runtimeInfoFlagsAndConfig() {
    JsonNode info = server.get("/api/v1/status/runtimeinfo").json().at("/data");
    assertThat(info.at("/startTime").asText()).isEqualTo("2023-11-14T22:00:00.12Z");
    assertThat(info.at("/reloadConfigSuccess").asBoolean()).isTrue();
    assertThat(info.at("/storageRetention").asText()).isEqualTo("15d");
    assertThat(info.at("/GOMAXPROCS").asInt()).isPositive();
    assertThat(info.has("CWD")).isTrue();
    assertThat(info.has("lastConfigTime")).isTrue();
    assertThat(info.has("corruptionCount")).isTrue();
    assertThat(info.has("goroutineCount")).isTrue();
    JsonNode flags = server.get("/api/v1/status/flags").json().at("/data");
    assertThat(flags.at("/--listen").asText()).isEqualTo("127.0.0.1:0");
    JsonNode config = server.get("/api/v1/status/config").json().at("/data");
    assertThat(config.at("/yaml").asText()).startsWith("server:");
  }

  @Test
  void tsdbStatusCountsCardinality() {
    JsonNode s = server.get("/api/v1/status/tsdb").json().at("/data");
    assertThat(s.at("/headStats/numSeries").asLong()).isEqualTo(9);
    assertThat(s.at("/headStats/minTime").asLong()).isEqualTo(ApiTestServer.T0);
    assertThat(s.at("/headStats/maxTime").asLong()).isEqualTo(ApiTestServer.T0 + 600_000);
    assertThat(s.at("/seriesCountByMetricName/0").toString())
        .isEqualTo("{\"name\":\"temperature\",\"value\":5}");
    assertThat(s.at("/seriesCountByMetricName").size()).isEqualTo(3);
    assertThat(s.at("/labelValueCountByLabelName/0").toString())
        .isEqualTo("{\"name\":\"room\",\"value\":5}");
    assertThat(s.at("/seriesCountByLabelValuePair/0").toString())
        .isEqualTo("{\"name\":\"__name__=temperature\",\"value\":5}");
    assertThat(s.has("memoryInBytesByLabelName")).isTrue();
    JsonNode one = server.get("/api/v1/status/tsdb?limit=1").json().at("/data");
    assertThat(one.at("/seriesCountByMetricName").size()).isEqualTo(1);
    assertError(
        server.get("/api/v1/status/tsdb?limit=0"),
        400,
        "bad_data",
        "limit must be a positive number");
  }

  @Test
  void unknownApiEndpointsAreJson404() {
    Response r = server.get("/api/v1/no_such_thing");
    assertError(r, 404, "not_found", "unknown API endpoint /api/v1/no_such_thing");
    Response elsewhere = server.get("/somewhere/else");
    assertThat(elsewhere.status()).isEqualTo(404);
    assertThat(elsewhere.body()).doesNotContain("not_found");
  }

  @Test
  void timeRangeParametersAcceptRfc3339() {
    Response r =
        server.get(
            "/api/v1/labels?start="
                + enc("2023-11-14T22:13:20Z")
                + "&end="
                + enc("2023-11-14T22:23:20.000+00:00")
                + "&match[]=going_stale");
    assertThat(texts(r.json().at("/data"))).containsExactly("__name__", "job");
  }
}
