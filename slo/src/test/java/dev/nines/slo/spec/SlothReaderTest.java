package dev.nines.slo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.slo.BudgetingMethod;
import dev.nines.slo.Fixtures;
import dev.nines.slo.Sli;
import dev.nines.slo.SliQuery;
import dev.nines.slo.Slo;
import dev.nines.slo.TimeWindow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlothReaderTest {

  @Test
  void readsTheTwoSloExampleAsSlothDoes() {
    SpecLoader.Result r = Fixtures.loadNamed("sloth/payments.yml");
    assertThat(r.problems()).isEmpty();
    List<Slo> slos = r.slos();
    assertThat(slos).hasSize(2);

    Slo availability = slos.get(0);
    assertThat(availability.id()).isEqualTo("payments-api-requests-availability");
    assertThat(availability.service()).isEqualTo("payments-api");
    assertThat(availability.name()).isEqualTo("requests-availability");
    assertThat(availability.objective()).isEqualTo(0.999);
    assertThat(availability.errorBudget())
        .isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(availability.window()).isEqualTo(new TimeWindow.Rolling(Duration.ofDays(30)));
    assertThat(availability.budgeting()).isEqualTo(new BudgetingMethod.Occurrences());
    assertThat(availability.labels())
        .isEqualTo(Map.of("team", "payments", "tier", "1", "category", "availability"));
    assertThat(availability.sli())
        .isEqualTo(
            new Sli.Ratio(
                new SliQuery(
                    "sum(rate(http_requests_total{job=\"payments\",code=~\"(5..|429)\"}[{{.window}}]))",
                    SliQuery.Form.TEMPLATE),
                false,
                new SliQuery(
                    "sum(rate(http_requests_total{job=\"payments\"}[{{.window}}]))",
                    SliQuery.Form.TEMPLATE)));
    assertThat(availability.alerting().page().name()).isEqualTo("PaymentsAvailabilityBurn");
    assertThat(availability.alerting().page().labels()).isEqualTo(Map.of("route", "pager"));
    assertThat(availability.alerting().ticket().labels()).isEqualTo(Map.of("route", "tickets"));
    assertThat(availability.alerting().runbookUrl())
        .isEqualTo("https://runbooks.example.org/payments/availability");
    assertThat(availability.source()).isEqualTo("sloth/payments.yml:9");

    Slo latency = slos.get(1);
    assertThat(latency.id()).isEqualTo("payments-api-requests-latency");
    assertThat(latency.objective()).isEqualTo(0.99);
    assertThat(latency.labels()).isEqualTo(Map.of("team", "payments", "tier", "1"));
    assertThat(latency.alerting().ticket().disabled()).isTrue();
    assertThat(latency.alerting().page().disabled()).isFalse();
  }

  @Test
  void rawErrorRatioQuery() {
    SpecLoader.Result r = Fixtures.loadNamed("sloth/raw.yml");
    assertThat(r.problems()).isEmpty();
    Slo s = r.slos().get(0);
    assertThat(s.id()).isEqualTo("search-query-errors");
    assertThat(s.objective()).isEqualTo(0.995);
    assertThat(s.sli()).isInstanceOf(Sli.RawRatio.class);
    assertThat(((Sli.RawRatio) s.sli()).isSuccessRatio()).isFalse();
    assertThat(s.alerting().page().disabled()).isTrue();
  }

  @Test
  void windowPlaceholderIsReplacedByEachWindow() {
    SliQuery q =
        new SliQuery(
            "sum(rate(x[{{ .window }}])) / sum(rate(y[{{.window}}]))", SliQuery.Form.TEMPLATE);
    assertThat(q.render(Duration.ofHours(6))).isEqualTo("sum(rate(x[6h])) / sum(rate(y[6h]))");
    assertThat(q.isPerSecond()).isTrue();
  }

  @Test
  void theSlothWindowComesFromTheDefaults() {
    var defaults =
        new dev.nines.slo.SloDefaults(
            dev.nines.slo.AlertTiers.DEFAULTS,
            0,
            dev.nines.slo.BudgetPolicy.DEFAULT,
            Duration.ofDays(28));
    SpecLoader.Result r =
        SpecLoader.loadTexts(Map.of("raw.yml", Fixtures.text("sloth/raw.yml")), defaults);
    assertThat(r.slos().get(0).window().nominalLength()).isEqualTo(Duration.ofDays(28));
    assertThat(r.slos().get(0).tiers().page().get(0).longWindow())
        .isEqualTo(Duration.ofMinutes(56));
  }
}
