package dev.nines.slo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.slo.Fixtures;
import org.junit.jupiter.api.Test;

/** Every problem of a file is reported, each with file, line and field. */
class ValidationTest {

  @Test
  void slothFileReportsEveryProblem() {
    SpecLoader.Result r = Fixtures.loadNamed("invalid/sloth-bad.yml");
    assertThat(r.slos()).isEmpty();
    assertThat(r.problems())
        .extracting(Object::toString)
        .containsExactly(
            "invalid/sloth-bad.yml:4: labels.bad-label: \"bad-label\" is not a valid label name"
                + " ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)",
            "invalid/sloth-bad.yml:7: slos[0].objective: 100.5 is not a percentage in (0, 100)",
            "invalid/sloth-bad.yml:10: slos[0].sli.events.error_query: query does not parse:"
                + " 1:47: parse error: unclosed left parenthesis",
            "invalid/sloth-bad.yml:11: slos[0].sli.events.total_query: must use {{.window}} as"
                + " its range, e.g. rate(x[{{.window}}])",
            "invalid/sloth-bad.yml:15: slos[0].alerting.page_alert.disabled: unknown field; known"
                + " fields here: annotations, disable, labels",
            "invalid/sloth-bad.yml:19: slos[1].sli.plugin: SLI plugins are not supported by Nines"
                + " (they are Go code run by Sloth); write the plugin's query as sli.events or"
                + " sli.raw",
            "invalid/sloth-bad.yml:23: slos[2].name: missing; this field is required",
            "invalid/sloth-bad.yml:23: slos[2].objective: expected a number, found a string",
            "invalid/sloth-bad.yml:26: slos[2].sli.raw.error_ratio_query: unknown template"
                + " {{.interval}}; only {{.window}} is supported",
            "invalid/sloth-bad.yml:29: slos[2].colour: unknown field; known fields here: alerting,"
                + " description, infoLabels, interval, labels, name, objective, sli");
  }

  @Test
  void openSloFileReportsEveryProblem() {
    SpecLoader.Result r = Fixtures.loadNamed("invalid/openslo-bad.yml");
    assertThat(r.slos()).isEmpty();
    assertThat(r.problems())
        .extracting(Object::toString)
        .containsExactly(
            "invalid/openslo-bad.yml:4: metadata.name: \"Bad_Name\" is not an RFC 1123 name"
                + " (lowercase letters, digits and '-', at most 63, starting and ending with a"
                + " letter or digit)",
            "invalid/openslo-bad.yml:7: spec.indicatorRef: no SLI named \"missing-sli\" in the"
                + " files given",
            "invalid/openslo-bad.yml:11: spec.budgetingMethod: \"Sometimes\" is not one of"
                + " Occurrences, Timeslices, RatioTimeslices",
            "invalid/openslo-bad.yml:13: spec.objectives[0].target: 1.5 is not a ratio in [0, 1)",
            "invalid/openslo-bad.yml:24: spec.ratioMetric.good.metricSource.type: metric source"
                + " type \"CloudWatch\" is not supported; Nines reads Prometheus sources",
            "invalid/openslo-bad.yml:32: spec.ratioMetric.total.metricSource.spec.region: unknown"
                + " field; known fields here: query",
            "invalid/openslo-bad.yml:39: spec.type: data source type \"Datadog\" is not"
                + " supported; Nines reads Prometheus sources",
            "invalid/openslo-bad.yml:68: spec.timeWindow[0].calendar.startTime: \"2024-13-01"
                + " 00:00:00\" is not a date and time like 2024-01-01 00:00:00",
            "invalid/openslo-bad.yml:69: spec.timeWindow[0].calendar.timeZone: \"Europe/Atlantis\""
                + " is not an IANA time zone name",
            "invalid/openslo-bad.yml:72: spec.objectives[0].timeSliceTarget: missing; this field"
                + " is required",
            "invalid/openslo-bad.yml:75: apiVersion: \"openslo/v2\" is not supported; expected"
                + " \"openslo/v1\"",
            "invalid/openslo-bad.yml:76: kind: \"Widget\" is not an OpenSLO v1 kind; known kinds:"
                + " AlertCondition, AlertNotificationTarget, AlertPolicy, DataSource, SLI, SLO,"
                + " Service");
  }

  @Test
  void yamlSyntaxErrorNamesItsLine() {
    SpecLoader.Result r =
        Fixtures.loadText("broken.yml", "version: \"prometheus/v1\"\nservice: [unclosed\n");
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).toString())
        .startsWith("broken.yml:2: YAML syntax error: while parsing a flow sequence; expected");
  }

  @Test
  void unknownFormatAndDuplicateKeys() {
    assertThat(Fixtures.loadText("x.yml", "foo: bar\n").problems())
        .extracting(Object::toString)
        .containsExactly(
            "x.yml:1: not an SLO specification: expected version: \"prometheus/v1\" (Sloth) or"
                + " apiVersion: openslo/v1 (OpenSLO)");
    String dup =
        """
        version: "prometheus/v1"
        service: a
        service: b
        slos: []
        """;
    assertThat(Fixtures.loadText("dup.yml", dup).problems())
        .extracting(Object::toString)
        .containsExactly(
            "dup.yml:3: service: duplicate key", "dup.yml:4: slos: at least one SLO is required");
  }

  @Test
  void duplicateIdsAcrossFilesAreRefused() {
    SpecLoader.Result r =
        SpecLoader.loadTexts(
            java.util.Map.of(
                "a.yml", Fixtures.text("sloth/raw.yml"), "b.yml", Fixtures.text("sloth/raw.yml")),
            dev.nines.slo.SloDefaults.DEFAULTS);
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).message())
        .startsWith("SLO id \"search-query-errors\" is already used by the SLO at ");
  }

  @Test
  void openSloRequiredFieldsAndExclusiveChoices() {
    String yaml =
        """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: x
        spec:
          indicator:
            metadata:
              name: y
            spec:
              ratioMetric:
                good:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(rate(ok[5m]))
                total:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: sum(all)
          timeWindow:
            - duration: 2x
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.9
              targetPercent: 90
              indicatorRef: other
        """;
    assertThat(Fixtures.loadText("x.yml", yaml).problems())
        .extracting(Object::toString)
        .containsExactly(
            "x.yml:5: spec.service: missing; this field is required",
            "x.yml:15: spec.indicator.spec.ratioMetric.good.metricSource.spec.query: a gauge query"
                + " must select series without a range (Nines adds the window); write the range"
                + " as [{{.window}}] to take the query as it is",
            "x.yml:22: spec.timeWindow[0].duration: \"2x\" is not a duration shorthand: a"
                + " positive number and one of m h d w M Q Y, e.g. 28d or 1M",
            "x.yml:27: spec.objectives[0].targetPercent: target and targetPercent are mutually"
                + " exclusive",
            "x.yml:28: spec.objectives[0].indicatorRef: composite SLOs (an indicator per"
                + " objective) are not supported");
  }
}
