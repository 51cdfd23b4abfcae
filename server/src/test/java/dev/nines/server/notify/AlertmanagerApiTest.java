package dev.nines.server.notify;

import static dev.nines.server.notify.NotifyTestSupport.getJson;
import static dev.nines.server.notify.NotifyTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.NinesServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager API v2 shapes, the Nines ack/history/report API, and restart durability: the
 * notification log and silences survive a restart, and nothing is sent twice within the repeat
 * interval after it.
 */
class AlertmanagerApiTest {
  private static final String ALERT =
      "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"db1\"},"
          + "\"annotations\":{\"summary\":\"disk full\"},"
          + "\"generatorURL\":\"http://prom/graph\"}]";

  @Test
  void apiShapesAcksHistoryAndRestartDurability(@TempDir Path dir) throws Exception {
    try (NotifyTestSupport.Webhook hook = new NotifyTestSupport.Webhook()) {
      Path am = NotifyTestSupport.alertmanagerConfig(dir, hook, "1h");
      Path data = dir.resolve("data");
      String silenceId;
      String fingerprint;
      try (NinesServer nines = NotifyTestSupport.start(data, am)) {
        int port = nines.port();
        assertThat(send(port, "POST", "/api/v2/alerts", ALERT).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(hook.payloads).hasSize(1));
        JsonNode payload = hook.payloads.get(0);
        assertThat(payload.path("version").asText()).isEqualTo("4");
        assertThat(payload.path("status").asText()).isEqualTo("firing");
        assertThat(payload.path("groupKey").asText()).isEqualTo("{}:{alertname=\"DiskFull\"}");
        assertThat(payload.path("alerts").get(0).path("labels").path("instance").asText())
            .isEqualTo("db1");

        JsonNode alerts = getJson(port, "/api/v2/alerts");
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.path("fingerprint").asText()).hasSize(16);
        assertThat(a.path("receivers").get(0).path("name").asText()).isEqualTo("hook");
        assertThat(a.path("status").path("state").asText()).isEqualTo("active");
        assertThat(a.path("status").path("silencedBy").isArray()).isTrue();
        assertThat(a.path("status").path("inhibitedBy").isArray()).isTrue();
        assertThat(a.path("generatorURL").asText()).isEqualTo("http://prom/graph");
        assertThat(a.has("startsAt") && a.has("endsAt") && a.has("updatedAt")).isTrue();
        fingerprint = a.path("fingerprint").asText();

        JsonNode groups = getJson(port, "/api/v2/alerts/groups");
        assertThat(groups.get(0).path("labels").path("alertname").asText()).isEqualTo("DiskFull");
        assertThat(groups.get(0).path("receiver").path("name").asText()).isEqualTo("hook");
        assertThat(getJson(port, "/api/v2/receivers").get(0).path("name").asText())
            .isEqualTo("hook");
        JsonNode status = getJson(port, "/api/v2/status");
        assertThat(status.path("cluster").path("status").asText()).isEqualTo("disabled");
        assertThat(status.path("config").path("original").asText()).contains("webhook_configs");
        assertThat(status.path("versionInfo").has("version")).isTrue();
        assertThat(status.has("uptime")).isTrue();

        // A silence on another instance; filter= on alerts.
        Instant now = Instant.now();
        String silence =
            "{\"matchers\":[{\"name\":\"instance\",\"value\":\"db9\",\"isRegex\":false,"
                + "\"isEqual\":true}],\"startsAt\":\""
                + now
                + "\",\"endsAt\":\""
                + now.plus(Duration.ofHours(2))
                + "\",\"createdBy\":\"alice\",\"comment\":\"maintenance\"}";
        var posted = send(port, "POST", "/api/v2/silences", silence);
        assertThat(posted.statusCode()).isEqualTo(200);
        silenceId = NotifyTestSupport.JSON.readTree(posted.body()).path("silenceID").asText();
        JsonNode s = getJson(port, "/api/v2/silence/" + silenceId);
        assertThat(s.path("status").path("state").asText()).isEqualTo("active");
        assertThat(s.path("matchers").get(0).path("isEqual").asBoolean()).isTrue();
        assertThat(getJson(port, "/api/v2/alerts?filter=instance%3D%22db2%22")).isEmpty();
        assertThat(send(port, "GET", "/api/v2/silence/nope", null).statusCode()).isEqualTo(404);

        // Ack over the Nines API; the history shows it.
        var ack =
            send(
                port,
                "POST",
                "/api/nines/v1/alerts/" + fingerprint + "/ack",
                "{\"ackedBy\":\"bob\",\"comment\":\"looking\"}");
        assertThat(ack.statusCode()).isEqualTo(200);
        JsonNode history =
            getJson(port, "/api/nines/v1/alerts/history?matchers=%7Balertname%3D%22DiskFull%22%7D");
        assertThat(history.path("data").findValuesAsText("event"))
            .contains("firing", "notified", "acked");
        JsonNode report = getJson(port, "/api/nines/v1/alerts/report");
        assertThat(report.path("data").path("alerts").get(0).path("acks").asLong()).isEqualTo(1);
        assertThat(
                send(port, "POST", "/api/nines/v1/alerts/groups/ack", "{\"groupKey\":\"x\"}")
                    .statusCode())
            .isEqualTo(404);
      }

      // Restart on the same data: the sender re-sends; nothing is notified again.
      try (NinesServer nines = NotifyTestSupport.start(data, am)) {
        int port = nines.port();
        assertThat(send(port, "POST", "/api/v2/alerts", ALERT).statusCode()).isEqualTo(200);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(hook.payloads).hasSize(1);
        assertThat(getJson(port, "/api/v2/silence/" + silenceId).path("id").asText())
            .isEqualTo(silenceId);
        assertThat(getJson(port, "/api/v2/alerts").get(0).path("fingerprint").asText())
            .isEqualTo(fingerprint);

        // Expire the silence; resolve the alert: the resolve is sent.
        assertThat(send(port, "DELETE", "/api/v2/silence/" + silenceId, null).statusCode())
            .isEqualTo(200);
        assertThat(
                getJson(port, "/api/v2/silence/" + silenceId).path("status").path("state").asText())
            .isEqualTo("expired");
        Instant now = Instant.now();
        String resolved =
            "[{\"labels\":{\"alertname\":\"DiskFull\",\"instance\":\"db1\"},\"startsAt\":\""
                + now.minusSeconds(600)
                + "\",\"endsAt\":\""
                + now.minusSeconds(1)
                + "\"}]";
        assertThat(send(port, "POST", "/api/v2/alerts", resolved).statusCode()).isEqualTo(200);
        await()
            .untilAsserted(
                () -> {
                  assertThat(hook.payloads).hasSize(2);
                  assertThat(hook.payloads.get(1).path("status").asText()).isEqualTo("resolved");
                });
      }
    }
  }

  @Test
  void invalidAlertsAndSilencesAreRefusedWith400(@TempDir Path dir) throws Exception {
    try (NotifyTestSupport.Webhook hook = new NotifyTestSupport.Webhook()) {
      Path am = NotifyTestSupport.alertmanagerConfig(dir, hook, "1h");
      try (NinesServer nines = NotifyTestSupport.start(dir.resolve("data"), am)) {
        int port = nines.port();
        assertThat(send(port, "POST", "/api/v2/alerts", "{}").statusCode()).isEqualTo(400);
        var bad = send(port, "POST", "/api/v2/alerts", "[{\"labels\":{\"bad-name\":\"x\"}}]");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("bad-name");
        assertThat(send(port, "POST", "/api/v2/silences", "{\"matchers\":[]}").statusCode())
            .isEqualTo(400);
      }
    }
  }
}
