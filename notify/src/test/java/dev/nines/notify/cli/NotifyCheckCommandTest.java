package dev.nines.notify.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NotifyCheckCommandTest {
  static final List<String> VALID = List.of("full.yml", "minimal.yml");
  static final List<String> INVALID =
      List.of("invalid.yml", "invalid-root-matchers.yml", "invalid-time-interval.yml");

  static Path fixture(String name) {
    try {
      return Path.of(NotifyCheckCommandTest.class.getResource("/config/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new NotifyCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void validFilePrintsSummaryAndExitsZero() {
    Path f = fixture("full.yml");
    Run r = run("check", f.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .startsWith("Checking '" + f + "'  SUCCESS\nFound:\n - global config\n - route\n")
        .contains(" - 2 inhibit rules\n - 5 receivers\n")
        .contains("   - team-x-pager: 0 webhook, 0 slack, 0 email, 1 pagerduty\n")
        .contains(" - 2 time intervals\n - 1 templates\n");
  }

  @Test
  void invalidFileNamesFileAndLineAndExitsOne() {
    Path good = fixture("minimal.yml");
    Path bad = fixture("invalid.yml");
    Run r = run("check", good.toString(), bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("Checking '" + bad + "'  FAILED:");
    assertThat(r.err())
        .contains(bad + ":2: route.receiver: undefined receiver \"nobody\" used in route")
        .contains(bad + ":3: route.group_wait: \"5x\" is not a duration")
        .contains("nines: error: failed to validate 1 file(s)");
  }

  @Test
  void pagesRoutedToASilentReceiverAreAHygieneFinding(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("am.yml");
    Files.writeString(
        f,
        """
        route:
          receiver: team-mail
          routes:
            - matchers: ['severity="page"']
              receiver: blackhole
        receivers:
          - name: team-mail
            webhook_configs:
              - url: http://127.0.0.1:1/hook
          - name: blackhole
        """);
    Run warn = run("check", f.toString());
    assertThat(warn.code()).isZero();
    assertThat(warn.out())
        .contains(
            "  WARNING: "
                + f
                + ":10: receivers.blackhole: alerts with severity=page are routed (route"
                + " {}/{severity=\"page\"}) to receiver \"blackhole\", which has no integrations")
        .doesNotContain("severity=critical");

    Run refuse = run("check", "--hygiene=refuse", f.toString());
    assertThat(refuse.code()).isEqualTo(1);
    assertThat(refuse.out()).contains("FAILED (alert hygiene):");
    assertThat(refuse.err()).contains("receivers.blackhole");

    var findings =
        dev.nines.notify.config.RouteHygiene.findings(
            dev.nines.notify.config.NotifyConfigLoader.load(f), java.util.Set.of("page"));
    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).severity()).isEqualTo("page");
    assertThat(findings.get(0).route()).isEqualTo("{}/{severity=\"page\"}");
    assertThat(findings.get(0).receiver()).isEqualTo("blackhole");
    assertThat(findings.get(0).problem().line()).isEqualTo(10);

    assertThat(run("check", "--hygiene=off", f.toString()).out()).doesNotContain("WARNING");
    assertThat(run("check", "--hygiene=loud", f.toString()).err())
        .contains("--hygiene: \"loud\" is not a hygiene mode");
  }

  /** The real amtool (Debian's prometheus-alertmanager) agrees on every fixture. */
  @Test
  void amtoolAgrees() throws Exception {
    assumeTrue(amtoolInstalled(), "amtool is not installed");
    for (String f : VALID) {
      assertThat(amtool(fixture(f))).as("amtool check-config " + f).isZero();
      assertThat(run("check", fixture(f).toString()).code()).isZero();
    }
    for (String f : INVALID) {
      assertThat(amtool(fixture(f))).as("amtool check-config " + f).isNotZero();
      assertThat(run("check", fixture(f).toString()).code()).isNotZero();
    }
  }

  static boolean amtoolInstalled() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "amtool"))) {
        return true;
      }
    }
    if (System.getenv("CI") != null) {
      throw new AssertionError(
          "amtool is required in CI: .ci/run installs prometheus-alertmanager");
    }
    return false;
  }

  static int amtool(Path file) throws Exception {
    Process p =
        new ProcessBuilder("amtool", "check-config", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("amtool did not finish");
    }
    return p.exitValue();
  }
}
