package dev.nines.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code nines rules check} against {@code promtool check rules}: every file under {@code
 * rulefiles/valid} is accepted by both, every file under {@code rulefiles/invalid} rejected by
 * both, ours naming file, line and field. Without promtool the promtool half is skipped, unless
 * {@code CI} is set, when its absence fails the test.
 */
class RulesCheckCommandTest {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  /** The file:line: field each invalid file must be reported at. */
  static final Map<String, String> EXPECTED =
      Map.ofEntries(
          Map.entry("bad-duration.yml", ":3: groups[0].interval: not a valid duration"),
          Map.entry("bad-expr.yml", ":7: groups[0].rules[1].expr: could not parse expression"),
          Map.entry("bad-label-name.yml", ":7: groups[0].rules[0].labels.bad-name: invalid label"),
          Map.entry("bad-record-name.yml", ":4: groups[0].rules[0].record: invalid recording"),
          Map.entry("bad-template.yml", ":7: groups[0].rules[0].annotations.summary: template:"),
          Map.entry("both-record-and-alert.yml", ":4: groups[0].rules[0]: only one of"),
          Map.entry("duplicate-group.yml", ":6: groups[1].name: groupname: \"g\" is repeated"),
          Map.entry("for-on-record.yml", ":6: groups[0].rules[0].for: invalid field 'for'"),
          Map.entry("missing-expr.yml", ":4: groups[0].rules[0].expr: field 'expr' must be set"),
          Map.entry("name-label.yml", ":7: groups[0].rules[0].labels.__name__: invalid label"),
          Map.entry("no-group-name.yml", ":2: groups[0].name: groupname must not be empty"),
          Map.entry("unknown-field.yml", ":6: groups[0].rules[0].severity: unknown field"),
          Map.entry(
              "unknown-function.yml",
              ":7: groups[0].rules[0].annotations.summary: template: __alert_A:1: function"
                  + " \"nosuchfunc\" not defined"));

  static Path dir(String name) throws URISyntaxException {
    return Path.of(RulesCheckCommandTest.class.getResource("/rulefiles/" + name).toURI());
  }

  static Stream<Path> files(String name) throws IOException, URISyntaxException {
    try (Stream<Path> s = Files.list(dir(name))) {
      return s.sorted().toList().stream();
    }
  }

  static Stream<Path> valid() throws Exception {
    return files("valid");
  }

  static Stream<Path> invalid() throws Exception {
    return files("invalid");
  }

  record Run(int code, String out, String err) {}

  static Run nines(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new RulesCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static boolean promtoolAccepts(Path file) throws Exception {
    if (!Files.isExecutable(PROMTOOL)) {
      assumeTrue(System.getenv("CI") == null || fail("promtool is required when CI is set"));
      assumeTrue(false, "promtool not installed");
    }
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 0;
  }

  private static boolean fail(String message) {
    throw new AssertionError(message);
  }

  @ParameterizedTest
  @MethodSource("valid")
  void validFilesPassBothCheckers(Path file) throws Exception {
    Run r = nines("check", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Checking " + file + "\n  SUCCESS: ").contains(" rules found");
    assertThat(promtoolAccepts(file)).as("promtool accepts " + file).isTrue();
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void invalidFilesFailBothCheckers(Path file) throws Exception {
    Run r = nines("check", file.toString());
    assertThat(r.code()).isEqualTo(1);
    String expected = EXPECTED.get(file.getFileName().toString());
    assertThat(expected).as("expectation for " + file).isNotNull();
    assertThat(r.err()).contains(file + expected);
    assertThat(promtoolAccepts(file)).as("promtool rejects " + file).isFalse();
  }

  @Test
  void countsRulesLikePromtool() throws Exception {
    Path f = dir("valid").resolve("recording.yml");
    assertThat(nines("check", f.toString()).out())
        .isEqualTo("Checking " + f + "\n  SUCCESS: 4 rules found\n\n");
  }

  @Test
  void anyBadFileFailsTheRun() throws Exception {
    Run r =
        nines(
            "check",
            dir("valid").resolve("recording.yml").toString(),
            dir("invalid").resolve("bad-expr.yml").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("SUCCESS: 4 rules found");
    assertThat(r.err()).contains("FAILED:");
  }

  @Test
  void nineOnlyFieldsAreAccepted() throws Exception {
    for (Path f : files("nines-only").toList()) {
      assertThat(nines("check", f.toString()).code()).isZero();
    }
  }

  @Test
  void missingFile() {
    Run r = nines("check", "/nonexistent.yml");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("/nonexistent.yml:0: no such file");
    assertThat(List.of(r.out())).isNotEmpty();
  }
}
