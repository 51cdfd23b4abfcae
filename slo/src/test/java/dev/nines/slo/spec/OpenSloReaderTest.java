package dev.nines.slo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.slo.Alerting;
import dev.nines.slo.BudgetPolicy;
import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.Fixtures;
import dev.nines.slo.Sli;
import dev.nines.slo.SliQuery;
import dev.nines.slo.Slo;
import dev.nines.slo.TimeWindow;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenSloReaderTest {

  @Test
  void resolvesReferencesAcrossDocuments() {
    SpecLoader.Result r = Fixtures.loadNamed("openslo/web-shop.yml");
    assertThat(r.problems()).isEmpty();
    assertThat(r.slos()).hasSize(1);
    Slo s = r.slos().get(0);
    assertThat(s.id()).isEqualTo("checkout-availability");
    assertThat(s.service()).isEqualTo("web-shop");
    assertThat(s.description()).isEqualTo("Checkouts succeed");
    assertThat(s.objective()).isEqualTo(0.995);
    assertThat(s.window())
        .isEqualTo(
            new TimeWindow.Calendar(
                TimeWindow.CalendarUnit.MONTH,
                1,
                LocalDateTime.of(2024, 1, 1, 0, 0),
                ZoneId.of("Europe/Berlin")));
    assertThat(s.sli())
        .isEqualTo(
            new Sli.Ratio(
                new SliQuery(
                    "sum(shop_checkout_requests_total{code!~\"5..\"})", SliQuery.Form.COUNTER),
                true,
                new SliQuery("sum(shop_checkout_requests_total)", SliQuery.Form.COUNTER)));
    assertThat(s.labels()).isEqualTo(Map.of("team", "shop", "tags", "checkout,revenue"));
    assertThat(s.minEvents()).isEqualTo(50);
    assertThat(s.policy()).isEqualTo(BudgetPolicy.parse("50%:notify,0%:freeze"));
    assertThat(s.alerting().page().disabled()).isTrue();
    assertThat(s.alerting().policies())
        .containsExactly(
            new Alerting.PolicyAlert(
                "checkout-fast-burn",
                "page",
                Sli.Op.GT,
                10,
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                Map.of("notification_targets", "shop-oncall"),
                Map.of("description", "Burn rate above 10 over one hour")));
  }

  @Test
  void counterQueriesGetTheirWindowAroundEverySelector() {
    SliQuery q = new SliQuery("sum(a_total{x=\"1\"}) - sum(b_total)", SliQuery.Form.COUNTER);
    assertThat(q.render(Duration.ofMinutes(5)))
        .isEqualTo("sum(increase(a_total{x=\"1\"}[5m])) - sum(increase(b_total[5m]))");
    SliQuery g = new SliQuery("sum(requests_in_last_scrape)", SliQuery.Form.GAUGE);
    assertThat(g.render(Duration.ofHours(1)))
        .isEqualTo("sum(sum_over_time(requests_in_last_scrape[1h]))");
  }

  @Test
  void oneSloPerObjectiveWithTimeslices() {
    SpecLoader.Result r = Fixtures.loadNamed("openslo/timeslices.yml");
    assertThat(r.problems()).isEmpty();
    List<Slo> slos = r.slos();
    assertThat(slos)
        .extracting(Slo::id)
        .containsExactly("uplink-availability-internal", "uplink-availability-sla");
    assertThat(slos.get(0).budgeting())
        .isEqualTo(new BudgetingMethod.Timeslices(0.99, Duration.ofMinutes(1)));
    assertThat(slos.get(1).budgeting())
        .isEqualTo(new BudgetingMethod.Timeslices(0.95, Duration.ofMinutes(5)));
    assertThat(slos.get(1).objective()).isEqualTo(0.99);
    assertThat(slos.get(0).window().nominalLength()).isEqualTo(Duration.ofDays(7));
    // Tiers scaled to 7 days: 1h -> 14m, 5m -> 1m.
    assertThat(slos.get(0).tiers().page().get(0).longWindow()).isEqualTo(Duration.ofMinutes(14));
    assertThat(slos.get(0).tiers().page().get(0).shortWindow()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void thresholdMetricTakesOpAndValueFromItsObjective() {
    SpecLoader.Result r = Fixtures.loadNamed("openslo/threshold.yml");
    assertThat(r.problems()).isEmpty();
    Slo s = r.slos().get(0);
    assertThat(s.sli()).isInstanceOf(Sli.Threshold.class);
    Sli.Threshold t = (Sli.Threshold) s.sli();
    assertThat(t.op()).isEqualTo(Sli.Op.LTE);
    assertThat(t.value()).isEqualTo(0.25);
    assertThat(s.budgeting()).isEqualTo(new BudgetingMethod.RatioTimeslices(Duration.ofMinutes(5)));
    assertThat(s.window()).isEqualTo(new TimeWindow.Rolling(Duration.ofDays(7)));
  }

  @Test
  void referencesResolveAcrossFiles() {
    SpecLoader.Result r = Fixtures.loadNamed("openslo/split-sli.yml", "openslo/split-slo.yml");
    assertThat(r.problems()).isEmpty();
    Slo s = r.slos().get(0);
    assertThat(s.id()).isEqualTo("login-availability");
    assertThat(s.objective()).isEqualTo(0.9995);
    assertThat(s.sli()).isInstanceOf(Sli.Ratio.class);
    assertThat(((Sli.Ratio) s.sli()).numeratorIsGood()).isFalse();
    assertThat(((Sli.Ratio) s.sli()).total().form()).isEqualTo(SliQuery.Form.TEMPLATE);

    SpecLoader.Result alone = Fixtures.loadNamed("openslo/split-slo.yml");
    assertThat(alone.problems())
        .extracting(Object::toString)
        .containsExactly(
            "openslo/split-slo.yml:7: spec.indicatorRef: no SLI named \"login-errors\" in the"
                + " files given");
  }

  @Test
  void rawRatioWithSuccessType() {
    String yaml =
        """
        apiVersion: openslo/v1
        kind: SLO
        metadata:
          name: api-success
        spec:
          service: api
          indicator:
            metadata:
              name: api-success-ratio
            spec:
              ratioMetric:
                rawType: success
                raw:
                  metricSource:
                    type: Prometheus
                    spec:
                      query: api:success:ratio
          timeWindow:
            - duration: 4w
              isRolling: true
          budgetingMethod: Occurrences
          objectives:
            - target: 0.99
        """;
    SpecLoader.Result r = Fixtures.loadText("api.yml", yaml);
    assertThat(r.problems()).isEmpty();
    assertThat(r.slos().get(0).sli())
        .isEqualTo(
            new Sli.RawRatio(new SliQuery("api:success:ratio", SliQuery.Form.INSTANT), true));
  }
}
