package dev.nines.server.notify;

import static dev.nines.server.notify.NotifyTestSupport.JSON;
import static dev.nines.server.notify.NotifyTestSupport.getJson;
import static dev.nines.server.notify.NotifyTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.NinesServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incident links over HTTP: an ack carrying an incident, a link made after the alert resolved, a
 * group ack with an incident, refused input, the history event, the noise report's figure, and the
 * links surviving a restart.
 */
class IncidentApiTest {
  static String alert(String name, String instance) {
    return "[{\"labels\":{\"alertname\":\""
        + name
        + "\",\"instance\":\""
        + instance
        + "\"},\"annotations\":{\"summary\":\"disk full\"}}]";
  }

  static JsonNode data(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("data");
  }

  static String error(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return JSON.readTree(r.body()).path("error").asText();
  }

  static JsonNode reportLine(int port, String alertname, Instant from) throws Exception {
    JsonNode alerts =
        getJson(
                port,
                "/api/nines/v1/alerts/report?from="
                    + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8))
            .path("data")
            .path("alerts");
    for (JsonNode l : alerts) {
      if (l.path("alertname").asText().equals(alertname)) {
        return l;
      }
    }
    throw new AssertionError("no report line for " + alertname + " in " + alerts);
  }

  @Test
  void acksCarryIncidentsLinksComeLaterAndTheReportCountsThem(@TempDir Path dir) throws Exception {
    Instant from = Instant.now().minusSeconds(1);
    try (NotifyTestSupport.Webhook hook = new NotifyTestSupport.Webhook()) {
      Path am = NotifyTestSupport.alertmanagerConfig(dir, hook, "1h");
      Path data = dir.resolve("data");
      String diskFull;
      try (NinesServer nines = NotifyTestSupport.start(data, am)) {
        int port = nines.port();
        assertThat(send(port, "POST", "/api/v2/alerts", alert("DiskFull", "db1")).statusCode())
            .isEqualTo(200);
        await().untilAsserted(() -> assertThat(hook.payloads).hasSize(1));
        diskFull = getJson(port, "/api/v2/alerts").get(0).path("fingerprint").asText();
        String ackPath = "/api/nines/v1/alerts/" + diskFull + "/ack";

        // Refused before anything is written.
        assertThat(error(send(port, "POST", ackPath, "{\"incident\":42}"), 400))
            .isEqualTo("incident: must be a string (an incident id or URL)");
        assertThat(error(send(port, "POST", ackPath, "{\"incident\":\"ftp://inc/1\"}"), 400))
            .contains("is not an absolute http(s) URL");
        assertThat(getJson(port, "/api/nines/v1/alerts/report").toString())
            .doesNotContain("\"acks\":1");

        // The ack names the incident it opened.
        JsonNode acked =
            data(
                send(
                    port,
                    "POST",
                    ackPath,
                    "{\"ackedBy\":\"bob\",\"comment\":\"on it\",\"incident\":\"INC-42\"}"));
        assertThat(acked.path("ackedBy").asText()).isEqualTo("bob");
        JsonNode link = acked.path("incident");
        assertThat(link.path("incident").asText()).isEqualTo("INC-42");
        assertThat(link.path("fingerprint").asText()).isEqualTo(diskFull);
        assertThat(link.path("alertname").asText()).isEqualTo("DiskFull");
        assertThat(link.path("linkedBy").asText()).isEqualTo("bob");
        assertThat(link.path("alertStartsAt").asText())
            .isEqualTo(acked.path("alertStartsAt").asText());

        // An ack without an incident answers incident: null, as before.
        assertThat(
                data(send(port, "POST", ackPath, "{\"ackedBy\":\"bob\",\"incident\":\"\"}"))
                    .path("incident")
                    .isNull())
            .isTrue();

        JsonNode events =
            getJson(port, "/api/nines/v1/alerts/history?matchers=%7Balertname%3D%22DiskFull%22%7D")
                .path("data");
        JsonNode incidentEvent = null;
        for (JsonNode e : events) {
          if (e.path("event").asText().equals("incident")) {
            incidentEvent = e;
          }
        }
        assertThat(incidentEvent).isNotNull();
        assertThat(incidentEvent.path("detail").asText()).isEqualTo("INC-42");
        assertThat(incidentEvent.path("source").asText()).isEqualTo("user");

        JsonNode line = reportLine(port, "DiskFull", from);
        assertThat(line.path("notifications").asLong()).isEqualTo(1);
        assertThat(line.path("ledToIncident").asLong()).isEqualTo(1);

        // A second alert resolves unacked; the incident review links it afterwards.
        assertThat(send(port, "POST", "/api/v2/alerts", alert("CpuHot", "web1")).statusCode())
            .isEqualTo(200);
        await().untilAsserted(() -> assertThat(hook.payloads).hasSize(2));
        assertThat(reportLine(port, "CpuHot", from).path("ledToIncident").asLong()).isZero();
        String cpu = null;
        for (JsonNode a : getJson(port, "/api/v2/alerts")) {
          if (a.path("labels").path("alertname").asText().equals("CpuHot")) {
            cpu = a.path("fingerprint").asText();
          }
        }
        Instant now = Instant.now();
        String resolved =
            "[{\"labels\":{\"alertname\":\"CpuHot\",\"instance\":\"web1\"},\"startsAt\":\""
                + now.minusSeconds(600)
                + "\",\"endsAt\":\""
                + now.minusSeconds(1)
                + "\"}]";
        assertThat(send(port, "POST", "/api/v2/alerts", resolved).statusCode()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(hook.payloads).hasSize(3));
        String linkPath = "/api/nines/v1/alerts/" + cpu + "/incident";
        assertThat(error(send(port, "POST", linkPath, "{}"), 400))
            .isEqualTo("incident: required (an incident id or URL)");
        assertThat(error(send(port, "POST", linkPath, "{\"incident\":\"INC\\u0000\"}"), 400))
            .contains("control character U+0000");
        assertThat(
                error(
                    send(
                        port,
                        "POST",
                        "/api/nines/v1/alerts/00000000000000ff/incident",
                        "{\"incident\":\"INC-1\"}"),
                    404))
            .contains("00000000000000ff");
        assertThat(
                error(
                    send(port, "POST", "/api/nines/v1/alerts/zz/incident", "{\"incident\":\"I\"}"),
                    400))
            .contains("fingerprint");
        JsonNode later =
            data(
                send(
                    port,
                    "POST",
                    linkPath,
                    "{\"incident\":\"https://incidents.example.com/INC-43\",\"linkedBy\":\"carol\"}"));
        assertThat(later.path("incident").asText())
            .isEqualTo("https://incidents.example.com/INC-43");
        assertThat(later.path("linkedBy").asText()).isEqualTo("carol");
        JsonNode cpuLine = reportLine(port, "CpuHot", from);
        assertThat(cpuLine.path("notifications").asLong()).isEqualTo(2); // firing and resolved
        assertThat(cpuLine.path("ledToIncident").asLong()).isEqualTo(2);
        assertThat(cpuLine.path("acks").asLong()).isZero();

        // A group ack with an incident links every alert it acks.
        assertThat(send(port, "POST", "/api/v2/alerts", alert("DiskFull", "db2")).statusCode())
            .isEqualTo(200);
        await().untilAsserted(() -> assertThat(hook.payloads).hasSize(4));
        String groupKey = hook.payloads.get(3).path("groupKey").asText();
        JsonNode group =
            data(
                send(
                    port,
                    "POST",
                    "/api/nines/v1/alerts/groups/ack",
                    JSON.createObjectNode()
                        .put("groupKey", groupKey)
                        .put("ackedBy", "dave")
                        .put("incident", "INC-44")
                        .toString()));
        assertThat(group).hasSize(2);
        assertThat(group)
            .allSatisfy(
                a -> assertThat(a.path("incident").path("incident").asText()).isEqualTo("INC-44"));
        assertThat(
                error(
                    send(
                        port,
                        "POST",
                        "/api/nines/v1/alerts/groups/ack",
                        "{\"groupKey\":\"" + groupKey.replace("\"", "\\\"") + "\",\"incident\":7}"),
                    400))
            .startsWith("incident:");
        assertThat(nines.store().incidentLinks().listByIncident("INC-44")).hasSize(2);
      }

      // Links are in the store, so a restart keeps them and the report's figure.
      try (NinesServer nines = NotifyTestSupport.start(data, am)) {
        assertThat(nines.store().incidentLinks().list())
            .extracting(l -> l.incident())
            .containsExactlyInAnyOrder("INC-44", "https://incidents.example.com/INC-43", "INC-44");
        assertThat(reportLine(nines.port(), "CpuHot", from).path("ledToIncident").asLong())
            .isEqualTo(2);
      }
    }
  }
}
