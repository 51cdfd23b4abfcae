package dev.nines.slo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.slo.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SloCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new SloCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void validateCountsSlos() {
    Run r =
        run(
            "validate",
            Fixtures.path("sloth/payments.yml").toString(),
            Fixtures.path("openslo/web-shop.yml").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("OK: 3 SLOs" + System.lineSeparator());
    assertThat(r.err()).isEmpty();
  }

  @Test
  void validatePrintsEveryProblemAndFails() {
    String file = Fixtures.path("invalid/sloth-bad.yml").toString();
    Run r = run("validate", file);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains(file + ":7: slos[0].objective: 100.5 is not a percentage in (0, 100)")
        .contains(file + ":29: slos[2].colour: unknown field")
        .contains("10 problems found");
  }

  @Test
  void validateMissingFile(@TempDir Path dir) {
    Run r = run("validate", dir.resolve("nope.yml").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("nope.yml: no such file");
  }

  @Test
  void generateToStdoutAndToFile(@TempDir Path dir) throws Exception {
    String spec = Fixtures.path("sloth/raw.yml").toString();
    Run stdout = run("generate", spec);
    assertThat(stdout.exit()).as(stdout.err()).isZero();
    assertThat(stdout.out()).startsWith("groups:\n  - name: \"slo-search-query-errors-sli\"\n");

    Path target = dir.resolve("rules.yml");
    Run file = run("generate", "--min-events", "10", spec, "-o", target.toString());
    assertThat(file.exit()).as(file.err()).isZero();
    assertThat(Files.readString(target)).isEqualTo(stdout.out());
    assertThat(file.out()).startsWith("OK: 1 SLOs, ").contains("rules written to " + target);
  }

  @Test
  void generateRefusesBadSpecsAndWritesNothing(@TempDir Path dir) {
    Path target = dir.resolve("rules.yml");
    Run r =
        run(
            "generate",
            Fixtures.path("invalid/openslo-bad.yml").toString(),
            "-o",
            target.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(target).doesNotExist();
    assertThat(r.err()).contains("12 problems found");
  }

  @Test
  void badOptionIsAUsageError() {
    Run r =
        run("generate", "--budget-policy", "10%:panic", Fixtures.path("sloth/raw.yml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--budget-policy: \"panic\" is not an action");
  }
}
