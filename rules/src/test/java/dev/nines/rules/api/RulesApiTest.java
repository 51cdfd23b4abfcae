package dev.nines.rules.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nines.common.Labels;
import dev.nines.promql.engine.Sample;
import dev.nines.rules.AlertSink;
import dev.nines.rules.ManagerOptions;
import dev.nines.rules.RuleGroup;
import dev.nines.rules.RuleManager;
import dev.nines.rules.file.RuleFileLoader;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.SeriesSet;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulesApiTest {
  static final long T0 = 1_700_000_000_000L;

  static final Appender DISCARD =
      new Appender() {
        @Override
        public long append(long ref, Labels labels, long timestamp, double value) {
          return 0;
        }

        @Override
        public void commit() {}

        @Override
        public void rollback() {}
      };

  RuleManager manager() throws Exception {
    RuleManager m =
        new RuleManager(
            (expr, t) ->
                expr.startsWith("up")
                    ? List.of(new Sample(Labels.of("instance", "i1", "job", "node"), t, 0))
                    : List.of(new Sample(Labels.EMPTY, t, 1)),
            () -> DISCARD,
            (mint, maxt) ->
                new dev.nines.tsdb.storage.Querier() {
                  @Override
                  public SeriesSet select(
                      boolean sorted,
                      dev.nines.tsdb.storage.SelectHints hints,
                      List<dev.nines.common.LabelMatcher> matchers) {
                    return SeriesSet.empty();
                  }

                  @Override
                  public List<String> labelNames(List<dev.nines.common.LabelMatcher> matchers) {
                    return List.of();
                  }

                  @Override
                  public List<String> labelValues(
                      String name, List<dev.nines.common.LabelMatcher> matchers) {
                    return List.of();
                  }

                  @Override
                  public void close() {}
                },
            AlertSink.NONE,
            ManagerOptions.DEFAULTS,
            InstantSource.fixed(Instant.ofEpochMilli(T0)));
    m.updateFiles(
        List.of(
            RuleFileLoader.parse(
                    "r.yml",
                    """
                    groups:
                      - name: rec
                        rules:
                          - record: one
                            expr: vector(1)
                      - name: alerts
                        interval: 30s
                        rules:
                          - alert: Down
                            expr: up == 0
                            for: 1m
                            labels: {severity: page}
                            annotations: {summary: "{{ $labels.instance }} down"}
                    """)
                .file()));
    for (RuleGroup g : m.groups()) {
      m.evaluate(g, T0);
    }
    return m;
  }

  @Test
  void rulesResponseHasPrometheusShape() throws Exception {
    try (RuleManager m = manager()) {
      String json =
          new ObjectMapper().writeValueAsString(RulesApi.rules(m.groups(), RulesApi.Filter.NONE));
      assertThat(json)
          .startsWith(
              "{\"groups\":[{\"name\":\"rec\",\"file\":\"r.yml\",\"rules\":[{\"name\":\"one\"")
          .contains(
              "\"state\":\"pending\",\"name\":\"Down\",\"query\":\"up == 0\",\"duration\":60.0,"
                  + "\"keepFiringFor\":0.0,\"labels\":{\"severity\":\"page\"},"
                  + "\"annotations\":{\"summary\":\"{{ $labels.instance }} down\"},"
                  + "\"alerts\":[{\"labels\":{\"alertname\":\"Down\",\"instance\":\"i1\","
                  + "\"job\":\"node\",\"severity\":\"page\"},"
                  + "\"annotations\":{\"summary\":\"i1 down\"},\"state\":\"pending\","
                  + "\"activeAt\":\"2023-11-14T22:13:20Z\",\"value\":\"0e+00\"}],"
                  + "\"health\":\"ok\"")
          .contains("\"type\":\"recording\"")
          .contains("\"interval\":30.0,\"limit\":0")
          .contains("\"lastEvaluation\":\"2023-11-14T22:13:20Z\"");
    }
  }

  @Test
  void filters() throws Exception {
    try (RuleManager m = manager()) {
      assertThat(
              RulesApi.rules(
                      m.groups(), new RulesApi.Filter("alert", Set.of(), Set.of(), Set.of(), false))
                  .groups())
          .extracting(RulesApi.Group::name)
          .containsExactly("alerts");
      assertThat(
              RulesApi.rules(
                      m.groups(),
                      new RulesApi.Filter(null, Set.of("one"), Set.of(), Set.of(), false))
                  .groups())
          .extracting(RulesApi.Group::name)
          .containsExactly("rec");
      assertThat(
              RulesApi.rules(
                      m.groups(),
                      new RulesApi.Filter(null, Set.of(), Set.of("alerts"), Set.of("r.yml"), true))
                  .groups())
          .singleElement()
          .satisfies(
              g -> assertThat(((RulesApi.AlertingRuleView) g.rules().get(0)).alerts()).isNull());
    }
  }

  @Test
  void alertsResponse() throws Exception {
    try (RuleManager m = manager()) {
      assertThat(RulesApi.alerts(m.groups()).alerts())
          .singleElement()
          .satisfies(a -> assertThat(a.state()).isEqualTo("pending"));
    }
  }

  @Test
  void goFormats() {
    assertThat(RulesApi.goExp(1)).isEqualTo("1e+00");
    assertThat(RulesApi.goExp(1234.5)).isEqualTo("1.2345e+03");
    assertThat(RulesApi.goExp(0.001)).isEqualTo("1e-03");
    assertThat(RulesApi.time(Instant.parse("2026-01-02T03:04:05.120Z")))
        .isEqualTo("2026-01-02T03:04:05.12Z");
    assertThat(RulesApi.time(null)).isEqualTo("0001-01-01T00:00:00Z");
  }
}
