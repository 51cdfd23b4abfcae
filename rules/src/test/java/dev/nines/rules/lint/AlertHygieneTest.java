package dev.nines.rules.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.HygieneMode;
import dev.nines.rules.cli.RulesCommand;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleFileLoader;
import dev.nines.rules.file.RuleProblem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AlertHygieneTest {
  static final String FILE =
      """
      groups:
        - name: g
          labels:
            team: payments
          rules:
            - alert: NoSeverity
              expr: up == 0
            - alert: PageWithoutRunbook
              expr: up == 0
              labels:
                severity: page
            - alert: CriticalWithoutTeam
              expr: up == 0
              labels:
                severity: critical
                team: ""
              annotations:
                runbook_url: https://runbooks/x
            - alert: TicketIsFine
              expr: up == 0
              labels:
                severity: ticket
            - alert: GoodPage
              expr: up == 0
              labels:
                severity: page
              annotations:
                runbook_url: https://runbooks/y
            - record: job:up:sum
              expr: sum by (job) (up)
      """;

  static RuleFile load(String text) {
    RuleFileLoader.Result r = RuleFileLoader.parse("r.yml", text);
    assertThat(r.problems()).isEmpty();
    return r.file();
  }

  @Test
  void findsMissingSeverityOwnerAndRunbookAtTheirRules() {
    List<String> found =
        AlertHygiene.check(load(FILE), AlertHygiene.Options.DEFAULTS).stream()
            .map(RuleProblem::toString)
            .toList();
    assertThat(found)
        .containsExactly(
            "r.yml:6: groups[0].rules[0].labels: alert NoSeverity has no severity label",
            "r.yml:8: groups[0].rules[1].annotations: alert PageWithoutRunbook pages"
                + " (severity=page) but has no runbook_url annotation",
            "r.yml:12: groups[0].rules[2].labels: alert CriticalWithoutTeam pages"
                + " (severity=critical) but has no team label naming its owner");
  }

  @Test
  void findingsNameTheGroupAndAlertOfEachProblem() {
    List<AlertHygiene.Finding> found =
        AlertHygiene.findings(load(FILE), AlertHygiene.Options.DEFAULTS);
    assertThat(found)
        .extracting(AlertHygiene.Finding::group, AlertHygiene.Finding::alert)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("g", "NoSeverity"),
            org.assertj.core.groups.Tuple.tuple("g", "PageWithoutRunbook"),
            org.assertj.core.groups.Tuple.tuple("g", "CriticalWithoutTeam"));
    assertThat(found)
        .extracting(AlertHygiene.Finding::problem)
        .isEqualTo(AlertHygiene.check(load(FILE), AlertHygiene.Options.DEFAULTS));
  }

  @Test
  void templatedSeverityMayPageSoItNeedsOwnerAndRunbook() {
    String text =
        """
        groups:
          - name: g
            rules:
              - alert: Dyn
                expr: up == 0
                labels:
                  severity: '{{ if gt $value 1.0 }}page{{ else }}ticket{{ end }}'
        """;
    assertThat(AlertHygiene.check(load(text), AlertHygiene.Options.DEFAULTS)).hasSize(2);
  }

  @Test
  void offFindsNothingAndPagingSeveritiesAreConfigurable() {
    RuleFile f = load(FILE);
    assertThat(AlertHygiene.check(f, AlertHygiene.Options.DEFAULTS.withMode(HygieneMode.OFF)))
        .isEmpty();
    var onlyPage =
        new AlertHygiene.Options(HygieneMode.WARN, java.util.Set.of("page"), "team", "runbook_url");
    assertThat(AlertHygiene.check(f, onlyPage)).hasSize(2);
  }

  @Test
  void modeParsingNamesTheAcceptedValues() {
    assertThat(HygieneMode.parse("Refuse")).isEqualTo(HygieneMode.REFUSE);
    assertThatThrownBy(() -> HygieneMode.parse("strict"))
        .hasMessage("\"strict\" is not a hygiene mode (one of off, warn, refuse)");
  }

  @Test
  void rulesCheckWarnsByDefaultAndRefusesWhenAsked(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("r.yml");
    Files.writeString(f, FILE);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new RulesCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("check", f.toString())).isZero();
    assertThat(out.toString())
        .contains("SUCCESS: 6 rules found")
        .contains("  WARNING: " + f + ":6: groups[0].rules[0].labels: alert NoSeverity");

    StringWriter err2 = new StringWriter();
    cmd.setErr(new PrintWriter(err2));
    assertThat(cmd.execute("check", "--hygiene=refuse", f.toString())).isEqualTo(1);
    assertThat(err2.toString()).contains("FAILED (alert hygiene):").contains("PageWithoutRunbook");

    assertThat(cmd.execute("check", "--hygiene=off", f.toString())).isZero();
  }
}
