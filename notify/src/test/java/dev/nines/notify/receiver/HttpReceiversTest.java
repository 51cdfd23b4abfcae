package dev.nines.notify.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.common.Labels;
import dev.nines.notify.Alert;
import dev.nines.notify.Fingerprint;
import dev.nines.notify.Integration;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.NotifyConfigLoader;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpReceiversTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-23T22:00:00Z");
  static final Labels FIRING =
      Labels.of("alertname", "HighLatency", "job", "api", "severity", "page", "instance", "a");
  static final Labels RESOLVED =
      Labels.of("alertname", "HighLatency", "job", "api", "severity", "page", "instance", "b");
  static final String GROUP_KEY = "{}/{severity=\"page\"}:{alertname=\"HighLatency\"}";

  CaptureServer server;

  @BeforeEach
  void start() throws Exception {
    server = new CaptureServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  static Notification notification(boolean withFiring) {
    Alert firing =
        new Alert(
            FIRING,
            Map.of("summary", "slow", "runbook_url", "http://rb/latency"),
            Instant.parse("2026-11-23T21:00:00Z"),
            NOW.plusSeconds(300),
            "http://prom/graph",
            NOW,
            false);
    Alert resolved =
        new Alert(
            RESOLVED,
            Map.of("summary", "slow", "runbook_url", "http://rb/latency"),
            Instant.parse("2026-11-23T21:00:00.5Z"),
            Instant.parse("2026-11-23T21:59:00Z"),
            "http://prom/graph",
            NOW,
            false);
    return new Notification(
        "team-a",
        GROUP_KEY,
        Labels.of("alertname", "HighLatency"),
        withFiring ? List.of(firing, resolved) : List.of(resolved),
        "http://nines:9595",
        NOW);
  }

  Map<String, List<Integration>> build(String receivers) throws Exception {
    String yaml = "route: {receiver: team-a}\nreceivers:\n" + receivers;
    return Integrations.build(NotifyConfigLoader.parse(yaml, "am.yml"));
  }

  @Test
  void webhookSendsAlertmanagerPayloadVersion4() throws Exception {
    Integration hook =
        build(
                "  - name: team-a\n    webhook_configs:\n      - url: '"
                    + server.url("/hook")
                    + "'\n        http_config: {authorization: {credentials: tok}}\n")
            .get("team-a")
            .get(0);
    assertThat(hook.name()).isEqualTo("webhook");
    assertThat(hook.sendResolved()).isTrue();
    assertThat(hook.send(notification(true))).isEqualTo(SendResult.success());

    CaptureServer.Request r = server.requests.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/hook");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Authorization")).isEqualTo("Bearer tok");
    // Plain HTTP/1.1 as Alertmanager sends it: no h2c upgrade attempt on every request.
    assertThat(r.header("Upgrade")).isNull();
    assertThat(r.header("HTTP2-Settings")).isNull();
    String expected =
        """
        {"receiver":"team-a","status":"firing","alerts":[
          {"status":"firing",
           "labels":{"alertname":"HighLatency","instance":"a","job":"api","severity":"page"},
           "annotations":{"runbook_url":"http://rb/latency","summary":"slow"},
           "startsAt":"2026-11-23T21:00:00Z","endsAt":"0001-01-01T00:00:00Z",
           "generatorURL":"http://prom/graph","fingerprint":"%s"},
          {"status":"resolved",
           "labels":{"alertname":"HighLatency","instance":"b","job":"api","severity":"page"},
           "annotations":{"runbook_url":"http://rb/latency","summary":"slow"},
           "startsAt":"2026-11-23T21:00:00.500Z","endsAt":"2026-11-23T21:59:00Z",
           "generatorURL":"http://prom/graph","fingerprint":"%s"}],
         "groupLabels":{"alertname":"HighLatency"},
         "commonLabels":{"alertname":"HighLatency","job":"api","severity":"page"},
         "commonAnnotations":{"runbook_url":"http://rb/latency","summary":"slow"},
         "externalURL":"http://nines:9595","version":"4",
         "groupKey":"{}/{severity=\\"page\\"}:{alertname=\\"HighLatency\\"}",
         "truncatedAlerts":0}
        """
            .formatted(
                Fingerprint.hex(Fingerprint.of(FIRING)), Fingerprint.hex(Fingerprint.of(RESOLVED)));
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(expected));
    // Keys in Alertmanager's order.
    assertThat(r.body()).startsWith("{\"receiver\":\"team-a\",\"status\":\"firing\",\"alerts\":[");
  }

  @Test
  void webhookTruncatesToMaxAlerts() throws Exception {
    JsonNode body = JSON.readTree(WebhookIntegration.payload(notification(true), 1));
    assertThat(body.get("alerts")).hasSize(1);
    assertThat(body.get("truncatedAlerts").asLong()).isEqualTo(1);
  }

  @Test
  void httpFailuresSayWhetherToRetry() throws Exception {
    Integration hook =
        build("  - name: team-a\n    webhook_configs: [{url: '" + server.url("/h") + "'}]\n")
            .get("team-a")
            .get(0);
    server.status = 500;
    assertThat(hook.send(notification(true)).retryable()).isTrue();
    server.status = 429;
    assertThat(hook.send(notification(true)).retryable()).isTrue();
    server.status = 400;
    server.answer = "bad payload";
    SendResult r = hook.send(notification(true));
    assertThat(r.ok()).isFalse();
    assertThat(r.retryable()).isFalse();
    assertThat(r.error()).isEqualTo("webhook: unexpected status code 400: bad payload");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Integration refused =
        build(
                "  - name: team-a\n    webhook_configs: [{url: 'http://127.0.0.1:"
                    + closedPort
                    + "/'}]\n")
            .get("team-a")
            .get(0);
    SendResult down = refused.send(notification(true));
    assertThat(down.ok()).isFalse();
    assertThat(down.retryable()).isTrue();
  }

  @Test
  void slackSendsAttachmentShapeWithDefaults() throws Exception {
    Integration slack =
        build(
                """
                  - name: team-a
                    slack_configs:
                      - api_url: '%s'
                        channel: '#alerts'
                        text: '{{ range .Alerts.Firing }}{{ .Annotations.summary }}{{ end }}'
                        fields:
                          - {title: Severity, value: '{{ .CommonLabels.severity }}', short: true}
                        actions:
                          - {type: button, text: Runbook, url: '{{ .CommonAnnotations.runbook_url }}'}
                """
                    .formatted(server.url("/slack")))
            .get("team-a")
            .get(0);
    assertThat(slack.sendResolved()).isFalse();
    assertThat(slack.send(notification(true)).ok()).isTrue();
    String expected =
        """
        {"channel":"#alerts","username":"Alertmanager","attachments":[{
          "title":"[FIRING:1] HighLatency (api page)",
          "title_link":"http://nines:9595/#/alerts?receiver=team-a",
          "text":"slow",
          "fallback":"[FIRING:1] HighLatency (api page) | http://nines:9595/#/alerts?receiver=team-a",
          "callback_id":"",
          "fields":[{"title":"Severity","value":"page","short":true}],
          "actions":[{"type":"button","text":"Runbook","url":"http://rb/latency"}],
          "footer":"",
          "color":"danger",
          "mrkdwn_in":["fallback","pretext","text"]}]}
        """;
    assertThat(JSON.readTree(server.requests.get(0).body())).isEqualTo(JSON.readTree(expected));
  }

  @Test
  void pagerdutyTriggersAndResolvesWithTheGroupsDedupKey() throws Exception {
    server.status = 202;
    server.answer = "{\"status\":\"success\"}";
    Integration pd =
        build(
                """
                  - name: team-a
                    pagerduty_configs:
                      - routing_key: rk-123
                        url: '%s'
                        class: latency
                        details: {runbook: '{{ .CommonAnnotations.runbook_url }}'}
                        links: [{href: 'http://dash', text: Dashboard}]
                """
                    .formatted(server.url("/v2/enqueue")))
            .get("team-a")
            .get(0);
    assertThat(pd.sendResolved()).isTrue();
    assertThat(pd.send(notification(true))).isEqualTo(SendResult.success());
    assertThat(pd.send(notification(false))).isEqualTo(SendResult.success());

    String dedup = PagerdutyIntegration.dedupKey(GROUP_KEY);
    assertThat(dedup).hasSize(64).matches("[0-9a-f]+");
    String list =
        "Labels:\\n - alertname = HighLatency\\n - instance = a\\n - job = api\\n - severity = page\\n"
            + "Annotations:\\n - runbook_url = http://rb/latency\\n - summary = slow\\n"
            + "Source: http://prom/graph\\n";
    String listResolved = list.replace("instance = a", "instance = b");
    String trigger =
        """
        {"routing_key":"rk-123","dedup_key":"%s","event_action":"trigger",
         "payload":{"summary":"[FIRING:1] HighLatency (api page)","source":"Alertmanager",
           "severity":"error","class":"latency",
           "custom_details":{"runbook":"http://rb/latency","firing":"%s","resolved":"%s",
             "num_firing":"1","num_resolved":"1"}},
         "client":"Alertmanager","client_url":"http://nines:9595/#/alerts?receiver=team-a",
         "links":[{"href":"http://dash","text":"Dashboard"}]}
        """
            .formatted(dedup, list, listResolved);
    assertThat(JSON.readTree(server.requests.get(0).body())).isEqualTo(JSON.readTree(trigger));
    JsonNode resolve = JSON.readTree(server.requests.get(1).body());
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo(dedup);
    assertThat(resolve.get("payload").isNull()).isTrue();

    server.status = 400;
    assertThat(pd.send(notification(true)).retryable()).isFalse();
    server.status = 503;
    assertThat(pd.send(notification(true)).retryable()).isTrue();
  }
}
