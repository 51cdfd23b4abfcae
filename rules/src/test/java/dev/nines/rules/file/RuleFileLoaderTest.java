package dev.nines.rules.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleFileLoaderTest {
  static List<String> problems(String yaml) {
    return RuleFileLoader.parse("r.yml", yaml).problems().stream()
        .map(RuleProblem::toString)
        .toList();
  }

  @Test
  void loadsGroupsAndRules() {
    RuleFileLoader.Result r =
        RuleFileLoader.parse(
            "r.yml",
            """
            groups:
              - name: g
                interval: 30s
                limit: 10
                query_offset: 1m
                labels: {team: sre}
                rules:
                  - record: a:b
                    expr: sum(up)
                    labels: {x: "1"}
                  - alert: Down
                    expr: up == 0
                    for: 5m
                    keep_firing_for: 1m
                    labels: {severity: page}
                    annotations: {summary: "{{ $labels.instance }}"}
            """);
    assertThat(r.problems()).isEmpty();
    GroupSpec g = r.file().groups().get(0);
    assertThat(g.name()).isEqualTo("g");
    assertThat(g.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(g.limit()).isEqualTo(10);
    assertThat(g.queryOffset()).isEqualTo(Duration.ofMinutes(1));
    assertThat(g.labels()).containsEntry("team", "sre");
    assertThat(g.rules().get(0))
        .isEqualTo(new RuleSpec.Recording("a:b", "sum(up)", java.util.Map.of("x", "1"), 8));
    RuleSpec.Alerting a = (RuleSpec.Alerting) g.rules().get(1);
    assertThat(a.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(a.keepFiringFor()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.ruleCount()).isEqualTo(2);
  }

  @Test
  void emptyFileHasNoGroups() {
    assertThat(RuleFileLoader.parse("r.yml", "").ruleCount()).isZero();
    assertThat(RuleFileLoader.parse("r.yml", "").ok()).isTrue();
  }

  @Test
  void reportsEveryProblemWithLineAndField() {
    assertThat(
            problems(
                """
                groups:
                  - name: g
                    interval: nope
                    rules:
                      - record: ok
                        expr: up
                      - record: bad name
                        expr: sum(
                        for: 1m
                      - alert: A
                        expr: rate(x[5m])[5m:]
                        labels:
                          "a-b": x
                        annotations:
                          s: "{{ .Labels.x "
                      - expr: up
                        extra: 1
                  - name: g
                    rules: []
                """))
        .containsExactly(
            "r.yml:3: groups[0].interval: not a valid duration string: \"nope\"",
            "r.yml:8: groups[0].rules[1].expr: could not parse expression: 1:5: parse error:"
                + " unclosed left parenthesis",
            "r.yml:9: groups[0].rules[1].for: invalid field 'for' in recording rule",
            "r.yml:7: groups[0].rules[1].record: invalid recording rule name: bad name",
            "r.yml:11: groups[0].rules[2].expr: rule expression must return an instant vector or"
                + " a scalar, got range vector",
            "r.yml:13: groups[0].rules[2].labels.a-b: invalid label name: a-b",
            "r.yml:15: groups[0].rules[2].annotations.s: template: __alert_A:1: unclosed action",
            "r.yml:17: groups[0].rules[3].extra: unknown field; known fields here: alert,"
                + " annotations, expr, for, keep_firing_for, labels, record",
            "r.yml:16: groups[0].rules[3]: one of 'record' or 'alert' must be set",
            "r.yml:18: groups[1].name: groupname: \"g\" is repeated in the same file");
  }

  @Test
  void yamlSyntaxErrorHasALine() {
    assertThat(problems("groups:\n  - name: g\n    rules: [\n"))
        .singleElement()
        .asString()
        .startsWith("r.yml:")
        .contains("YAML syntax error");
  }

  @Test
  void multiLineExpressionErrorPointsAtTheLine() {
    assertThat(
            problems(
                """
                groups:
                  - name: g
                    rules:
                      - record: r
                        expr: |
                          sum(
                            rate(x[5m]) +
                          )
                """))
        .singleElement()
        .asString()
        .startsWith("r.yml:8: groups[0].rules[0].expr: could not parse expression: 3:1:");
  }
}
