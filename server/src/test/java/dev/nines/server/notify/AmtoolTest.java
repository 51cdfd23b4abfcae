package dev.nines.server.notify;

import static dev.nines.server.notify.NotifyTestSupport.getJson;
import static dev.nines.server.notify.NotifyTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nines.server.NinesServer;
import dev.nines.server.PeerTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's amtool (Alertmanager 0.25) against a running Nines: silences and alert queries. */
class AmtoolTest {
  private record Result(int exit, String out) {}

  private static Path errors;

  private static Result amtool(int port, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("amtool");
    cmd.add("--alertmanager.url=http://127.0.0.1:" + port);
    cmd.addAll(List.of(args));
    // stderr apart: amtool warns there that its version differs from the server's.
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("amtool timed out: " + cmd);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      out += java.nio.file.Files.readString(errors);
    }
    return new Result(p.exitValue(), out);
  }

  @Test
  void silenceAddQueryExpireAndAlertQuery(@TempDir Path dir) throws Exception {
    assumeTrue(PeerTools.installed("amtool"), "amtool not installed");
    errors = dir.resolve("amtool.err");
    try (NotifyTestSupport.Webhook hook = new NotifyTestSupport.Webhook()) {
      Path am = NotifyTestSupport.alertmanagerConfig(dir, hook, "1h");
      try (NinesServer nines = NotifyTestSupport.start(dir.resolve("data"), am)) {
        int port = nines.port();
        assertThat(
                send(
                        port,
                        "POST",
                        "/api/v2/alerts",
                        "[{\"labels\":{\"alertname\":\"HighLatency\",\"job\":\"api\"}},"
                            + "{\"labels\":{\"alertname\":\"DiskFull\",\"job\":\"db\"}}]")
                    .statusCode())
            .isEqualTo(200);

        Result add =
            amtool(
                port,
                "silence",
                "add",
                "alertname=DiskFull",
                "job=~\"d.*\"",
                "--author=alice",
                "--comment=disk replacement",
                "--duration=2h");
        assertThat(add.exit()).as(add.out()).isZero();
        String id = add.out().trim();
        assertThat(id).matches("[0-9a-f-]{36}");
        JsonNode stored = getJson(port, "/api/v2/silence/" + id);
        assertThat(stored.path("createdBy").asText()).isEqualTo("alice");
        assertThat(stored.path("matchers")).hasSize(2);

        Result query = amtool(port, "silence", "query");
        assertThat(query.exit()).as(query.out()).isZero();
        assertThat(query.out()).contains(id).contains("alice").contains("disk replacement");

        Result json = amtool(port, "silence", "query", "-o", "json");
        assertThat(json.exit()).as(json.out()).isZero();
        JsonNode silences = NotifyTestSupport.JSON.readTree(json.out());
        assertThat(silences.get(0).path("id").asText()).isEqualTo(id);
        assertThat(silences.get(0).path("status").path("state").asText()).isEqualTo("active");

        Result filtered = amtool(port, "silence", "query", "alertname=DiskFull");
        assertThat(filtered.out()).contains(id);

        // amtool alert query hides silenced alerts by default.
        Result alerts = amtool(port, "alert", "query");
        assertThat(alerts.exit()).as(alerts.out()).isZero();
        assertThat(alerts.out()).contains("HighLatency").doesNotContain("DiskFull");
        Result silenced = amtool(port, "alert", "query", "--silenced");
        assertThat(silenced.out()).contains("DiskFull");
        Result jsonAlerts = amtool(port, "alert", "query", "-o", "json", "alertname=HighLatency");
        assertThat(jsonAlerts.exit()).as(jsonAlerts.out()).isZero();
        assertThat(NotifyTestSupport.JSON.readTree(jsonAlerts.out()).get(0).path("labels"))
            .isNotNull();

        Result expire = amtool(port, "silence", "expire", id);
        assertThat(expire.exit()).as(expire.out()).isZero();
        assertThat(getJson(port, "/api/v2/silence/" + id).path("status").path("state").asText())
            .isEqualTo("expired");
        assertThat(amtool(port, "silence", "query").out()).doesNotContain(id);
        assertThat(amtool(port, "silence", "query", "--expired").out()).contains(id);
      }
    }
  }
}
