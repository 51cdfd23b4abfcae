package dev.nines.server.console;

import static dev.nines.server.notify.NotifyTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.server.NinesServer;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.NinesConfig;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console and {@code /api/nines/v1/hygiene} against a real server on loopback: findings of the
 * loaded rule files and Alertmanager routes, in JSON and HTML, kept current by reload; {@code
 * alert_hygiene: refuse}; and escaping of what users wrote.
 */
class ConsoleTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A paging alert without a runbook, and one without a severity. */
  static final String RULES =
      """
      groups:
        - name: api
          interval: 1s
          rules:
            - alert: ApiDown
              expr: vector(1)
              labels:
                severity: page
                team: payments
              annotations:
                summary: api is down
            - alert: NoSeverity
              expr: vector(0) > 1
      """;

  static final String RULES_FIXED =
      """
      groups:
        - name: api
          interval: 1s
          rules:
            - alert: ApiDown
              expr: vector(1)
              labels:
                severity: page
                team: payments
              annotations:
                runbook_url: https://runbooks.example.com/api-down
            - alert: NoSeverity
              expr: vector(0) > 1
              labels:
                severity: ticket
      """;

  /** severity=page lands on a receiver without integrations. */
  static final String ROUTES =
      """
      route:
        receiver: team-mail
        routes:
          - matchers: ['severity="page"']
            receiver: blackhole
      receivers:
        - name: team-mail
          webhook_configs:
            - url: http://127.0.0.1:9/hook
        - name: blackhole
      """;

  static final String ROUTES_FIXED =
      """
      route:
        receiver: team-mail
        routes:
          - matchers: ['severity="page"']
            receiver: pager
      receivers:
        - name: team-mail
          webhook_configs:
            - url: http://127.0.0.1:9/hook
        - name: pager
          webhook_configs:
            - url: http://127.0.0.1:9/page
      """;

  static Path config(Path dir, String hygiene) throws IOException {
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\nrule_files: [rules.yml]\nnotify:\n  config_file: am.yml\nscrape_configs: []\n"
            + (hygiene == null ? "" : "alert_hygiene: " + hygiene + "\n"));
    return file;
  }

  static NinesServer start(Path file) throws Exception {
    NinesConfig c = ConfigLoader.load(file);
    return NinesServer.start(c, () -> ConfigLoader.load(file));
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    HttpResponse<String> r = send(port, "GET", path, null);
    assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
    return r;
  }

  static JsonNode hygiene(int port) throws Exception {
    return JSON.readTree(get(port, "/api/nines/v1/hygiene").body()).path("data");
  }

  @Test
  void findingsOfRulesAndRoutesShowInJsonAndHtmlAndFollowReload(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Files.writeString(dir.resolve("am.yml"), ROUTES);
    try (NinesServer nines = start(config(dir, null))) {
      int port = nines.port();

      JsonNode data = hygiene(port);
      assertThat(data.path("mode").asText()).isEqualTo("warn");
      assertThat(data.path("ruleFiles").asInt()).isEqualTo(2); // rules.yml and the SLO file
      assertThat(data.path("count").asInt()).isEqualTo(3);
      JsonNode findings = data.path("findings");
      JsonNode runbook = findings.get(0);
      assertThat(runbook.path("kind").asText()).isEqualTo("rule");
      assertThat(runbook.path("file").asText()).endsWith("rules.yml");
      assertThat(runbook.path("line").asInt()).isEqualTo(5);
      assertThat(runbook.path("field").asText()).isEqualTo("groups[0].rules[0].annotations");
      assertThat(runbook.path("group").asText()).isEqualTo("api");
      assertThat(runbook.path("alert").asText()).isEqualTo("ApiDown");
      assertThat(runbook.path("message").asText())
          .isEqualTo("alert ApiDown pages (severity=page) but has no runbook_url annotation");
      assertThat(findings.get(1).path("alert").asText()).isEqualTo("NoSeverity");
      assertThat(findings.get(1).path("message").asText()).contains("has no severity label");
      JsonNode route = findings.get(2);
      assertThat(route.path("kind").asText()).isEqualTo("route");
      assertThat(route.path("file").asText()).endsWith("am.yml");
      assertThat(route.path("line").asInt()).isEqualTo(10);
      assertThat(route.path("route").asText()).isEqualTo("{}/{severity=\"page\"}");
      assertThat(route.path("receiver").asText()).isEqualTo("blackhole");
      assertThat(route.path("severity").asText()).isEqualTo("page");
      assertThat(route.path("message").asText()).contains("those pages reach no one");

      HttpResponse<String> page = get(port, "/console/hygiene");
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .contains(ConsoleRoutes.CONTENT_SECURITY_POLICY);
      assertThat(page.body())
          .contains("Mode <strong>warn</strong>")
          .contains("rules.yml:5")
          .contains("group api, alert ApiDown")
          .contains("alert ApiDown pages (severity=page) but has no runbook_url annotation")
          .contains("am.yml:10")
          .contains("route {}/{severity=\"page\"}, receiver blackhole")
          .contains("receivers.blackhole")
          .doesNotContain("<script");

      // / leads to the overview, which counts the findings and shows the firing alert.
      HttpResponse<String> root = send(port, "GET", "/", null);
      assertThat(root.statusCode()).isEqualTo(302);
      assertThat(root.headers().firstValue("Location")).contains("/console");
      await()
          .untilAsserted(
              () -> assertThat(get(port, "/console").body()).contains("<strong>ApiDown</strong>"));
      String overview = get(port, "/console").body();
      assertThat(overview)
          .contains("Firing alerts (1)")
          .contains("<span class=\"label mono\">severity=\"page\"</span>")
          .contains("api is down")
          .contains("not acked")
          .contains(">3 findings</a>")
          .contains("mode warn");

      // Fix both files and reload: the findings go.
      Files.writeString(dir.resolve("rules.yml"), RULES_FIXED);
      Files.writeString(dir.resolve("am.yml"), ROUTES_FIXED);
      assertThat(send(port, "POST", "/-/reload", null).statusCode()).isEqualTo(200);
      assertThat(hygiene(port).path("count").asInt()).isZero();
      assertThat(get(port, "/console/hygiene").body()).contains("No findings.");
      assertThat(get(port, "/console").body()).contains("No findings in the rules and routes");

      // Break the routes again: the next reload brings the route finding back.
      Files.writeString(dir.resolve("am.yml"), ROUTES);
      assertThat(send(port, "POST", "/-/reload", null).statusCode()).isEqualTo(200);
      assertThat(hygiene(port).path("findings").findValuesAsText("receiver"))
          .containsExactly("blackhole");
    }
  }

  @Test
  void refuseModeRefusesStartAndReloadWithEveryFinding(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("rules.yml"), RULES);
    Files.writeString(dir.resolve("am.yml"), ROUTES);
    Path file = config(dir, "refuse");
    assertThatThrownBy(() -> start(file))
        .hasMessageContaining("alert_hygiene: refuse, and the configuration has 3 findings")
        .hasMessageContaining("rules.yml:5: groups[0].rules[0].annotations")
        .hasMessageContaining("am.yml:10: receivers.blackhole");

    Files.writeString(dir.resolve("rules.yml"), RULES_FIXED);
    Files.writeString(dir.resolve("am.yml"), ROUTES_FIXED);
    try (NinesServer nines = start(file)) {
      int port = nines.port();
      assertThat(hygiene(port).path("mode").asText()).isEqualTo("refuse");
      assertThat(hygiene(port).path("count").asInt()).isZero();

      Files.writeString(dir.resolve("rules.yml"), RULES);
      HttpResponse<String> refused = send(port, "POST", "/-/reload", null);
      assertThat(refused.statusCode()).isEqualTo(500);
      assertThat(refused.body()).contains("alert_hygiene: refuse").contains("ApiDown");
      // The running rules and their (clean) findings stay.
      assertThat(hygiene(port).path("count").asInt()).isZero();
      JsonNode rules = JSON.readTree(get(port, "/api/v1/rules").body()).path("data").path("groups");
      assertThat(rules.findValuesAsText("runbook_url"))
          .isNotEmpty()
          .containsOnly("https://runbooks.example.com/api-down");

      // Switching the mode off by reload is allowed, and then there is nothing to list.
      Files.writeString(
          file, Files.readString(file).replace("alert_hygiene: refuse", "alert_hygiene: off"));
      assertThat(send(port, "POST", "/-/reload", null).statusCode()).isEqualTo(200);
      assertThat(hygiene(port).path("mode").asText()).isEqualTo("off");
      assertThat(hygiene(port).path("count").asInt()).isZero();
      assertThat(get(port, "/console/hygiene").body()).contains("Mode <strong>off</strong>");
    }
  }

  @Test
  void withoutAnAlertmanagerFilePagesReachNoOneAndThatIsAFinding(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("rules.yml"), RULES_FIXED);
    Path file = dir.resolve("nines.yml");
    Files.writeString(
        file,
        "server:\n  listen: 127.0.0.1:0\n  data_dir: "
            + dir.resolve("data")
            + "\nrule_files: [rules.yml]\nscrape_configs: []\n");
    try (NinesServer nines = start(file)) {
      JsonNode findings = hygiene(nines.port()).path("findings");
      assertThat(findings.findValuesAsText("receiver")).containsExactly("default", "default");
      assertThat(findings.findValuesAsText("severity")).containsExactly("critical", "page");
      assertThat(findings.findValuesAsText("file"))
          .containsOnly(dev.nines.server.notify.NotifyWiring.BUILT_IN);
      assertThat(findings.findValues("line")).allSatisfy(l -> assertThat(l.asInt()).isZero());
    }
  }

  @Test
  void whatUsersWroteIsEscapedInEveryPage(@TempDir Path dir) throws Exception {
    String evil = "<script>alert(\"x\")</script> & <b>";
    Files.writeString(
        dir.resolve("rules.yml"),
        """
        groups:
          - name: "g<i>"
            interval: 1s
            rules:
              - alert: '%s'
                expr: vector(1)
                labels:
                  severity: page
                  team: "<img src=x onerror=alert(1)>"
        """
            .formatted(evil));
    Files.writeString(dir.resolve("am.yml"), ROUTES_FIXED);
    try (NinesServer nines = start(config(dir, null))) {
      int port = nines.port();
      assertThat(hygiene(port).path("findings").get(0).path("alert").asText()).isEqualTo(evil);

      String hygienePage = get(port, "/console/hygiene").body();
      assertThat(hygienePage)
          .contains("alert &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;b&gt;")
          .contains("group g&lt;i&gt;")
          .doesNotContain("<script>")
          .doesNotContain("<b>")
          .doesNotContain("<i>");

      // The firing alert, its labels and an incident reference with markup in it.
      await()
          .untilAsserted(
              () ->
                  assertThat(
                          JSON.readTree(get(port, "/api/v2/alerts").body())
                              .findValuesAsText("fingerprint"))
                      .hasSize(1));
      String fp =
          JSON.readTree(get(port, "/api/v2/alerts").body()).get(0).path("fingerprint").asText();
      HttpResponse<String> ack =
          send(
              port,
              "POST",
              "/api/nines/v1/alerts/" + fp + "/ack",
              "{\"ackedBy\":\"<u>bob</u>\",\"comment\":\"<em>hi</em>\","
                  + "\"incident\":\"<script>x</script>\"}");
      assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
      String overview = get(port, "/console").body();
      assertThat(overview)
          .contains("<strong>&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &lt;b&gt;</strong>")
          .contains("team=\"&lt;img src=x onerror=alert(1)&gt;\"")
          .contains("&lt;u&gt;bob&lt;/u&gt;")
          .contains("&lt;em&gt;hi&lt;/em&gt;")
          .contains("&lt;script&gt;x&lt;/script&gt;")
          .doesNotContain("<script>")
          .doesNotContain("<img")
          .doesNotContain("<u>")
          .doesNotContain("<em>");

      // An http(s) URL becomes a link, its quotes and ampersands escaped inside the attribute.
      HttpResponse<String> url =
          send(
              port,
              "POST",
              "/api/nines/v1/alerts/" + fp + "/incident",
              "{\"incident\":\"https://inc.example.com/?a=1&b='x'\",\"linkedBy\":\"eve\"}");
      assertThat(url.statusCode()).as(url.body()).isEqualTo(200);
      assertThat(get(port, "/console").body())
          .contains(
              "<a href=\"https://inc.example.com/?a=1&amp;b=&#39;x&#39;\" rel=\"noopener"
                  + " noreferrer\">https://inc.example.com/?a=1&amp;b='x'</a>");

      // A reference that is not an http(s) URL is shown, never linked.
      HttpResponse<String> link =
          send(
              port,
              "POST",
              "/api/nines/v1/alerts/" + fp + "/incident",
              "{\"incident\":\"javascript:alert(1)\",\"linkedBy\":\"eve\"}");
      assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
      String relinked = get(port, "/console").body();
      assertThat(relinked).contains("javascript:alert(1)").doesNotContain("href=\"javascript");
      assertThat(List.of(relinked.split("href=\"")).subList(1, relinked.split("href=\"").length))
          .allSatisfy(h -> assertThat(h).startsWith("/"));
    }
  }
}
