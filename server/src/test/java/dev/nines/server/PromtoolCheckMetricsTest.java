package dev.nines.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nines.server.config.NinesConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nines's own /metrics must pass Prometheus's linter, run from Debian's prometheus package. */
class PromtoolCheckMetricsTest {

  @Test
  void selfMetricsPassPromtoolCheckMetrics(@TempDir Path dir) throws Exception {
    assumeTrue(
        PeerTools.installed("promtool"), "promtool not installed (apt-get install prometheus)");
    NinesConfig config =
        NinesConfig.defaults().withFlags("127.0.0.1:0", dir, null, null).validate();
    try (NinesServer server = NinesServer.start(config, () -> config)) {
      // One request first, so that the HTTP histograms have series to lint.
      NinesProcess.get(server.port(), "/-/healthy");
      String exposition = NinesProcess.get(server.port(), "/metrics").body();
      assertThat(exposition).contains("nines_http_request_duration_seconds_bucket");

      Process promtool =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = promtool.getOutputStream()) {
        in.write(exposition.getBytes(StandardCharsets.UTF_8));
      }
      String report = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(promtool.exitValue()).as("promtool said:\n%s", report).isZero();
      assertThat(report).isBlank();
    }
  }
}
