package dev.nines.slo.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nines.promql.parser.Parser;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleFileLoader;
import dev.nines.rules.file.RuleSpec;
import dev.nines.slo.Fixtures;
import dev.nines.slo.Slo;
import dev.nines.slo.SloDefaults;
import dev.nines.slo.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleGeneratorTest {
  static final String[] ALL = {
    "sloth/payments.yml",
    "sloth/raw.yml",
    "openslo/web-shop.yml",
    "openslo/timeslices.yml",
    "openslo/threshold.yml",
    "openslo/split-sli.yml",
    "openslo/split-slo.yml"
  };

  static List<Slo> all() {
    SpecLoader.Result r = Fixtures.loadNamed(ALL);
    assertThat(r.problems()).isEmpty();
    return r.slos();
  }

  @Test
  void everyGeneratedExpressionParses() {
    RuleFile file = RuleGenerator.generate(all());
    assertThat(file.groups()).isNotEmpty();
    int n = 0;
    for (GroupSpec g : file.groups()) {
      for (RuleSpec r : g.rules()) {
        Parser.parse(r.expr());
        n++;
      }
    }
    assertThat(n).isGreaterThan(100);
    assertThat(file.groups().stream().map(GroupSpec::name).distinct().count())
        .isEqualTo(file.groups().size());
  }

  @Test
  void namingSchemeLabelsAndBuckets() {
    Slo payments = all().get(0);
    RuleFile file = RuleGenerator.generate(List.of(payments));
    assertThat(file.groups())
        .extracting(GroupSpec::name)
        .containsExactly(
            "slo-payments-api-requests-availability-sli",
            "slo-payments-api-requests-availability-buckets",
            "slo-payments-api-requests-availability-sli-long",
            "slo-payments-api-requests-availability-meta",
            "slo-payments-api-requests-availability-alerts");
    assertThat(file.groups().get(0).rules())
        .extracting(r -> ((RuleSpec.Recording) r).record())
        .containsExactly(
            "slo:sli_error:ratio_rate5m",
            "slo:sli_error:ratio_rate30m",
            "slo:sli_error:ratio_rate1h");
    RuleSpec.Recording first = (RuleSpec.Recording) file.groups().get(0).rules().get(0);
    assertThat(first.labels())
        .containsEntry("slo", "payments-api-requests-availability")
        .containsEntry("service", "payments-api")
        .containsEntry("team", "payments");
    // Zero traffic: the denominator is total + (total == bool 0), never 0.
    assertThat(first.expr())
        .isEqualTo(
            "((sum(rate(http_requests_total{job=\"payments\",code=~\"(5..|429)\"}[5m]))) or"
                + " (sum(rate(http_requests_total{job=\"payments\"}[5m]))) * 0) /"
                + " ((sum(rate(http_requests_total{job=\"payments\"}[5m]))) +"
                + " ((sum(rate(http_requests_total{job=\"payments\"}[5m]))) == bool 0))");

    GroupSpec buckets = file.groups().get(1);
    assertThat(buckets.interval()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(buckets.rules())
        .extracting(r -> ((RuleSpec.Recording) r).record())
        .containsExactly("slo:events_total:increase5m", "slo:events_error:increase5m");
    // Sloth's rate() queries are per second: the bucket multiplies by 300 to hold events.
    assertThat(buckets.rules().get(0).expr())
        .isEqualTo("(sum(rate(http_requests_total{job=\"payments\"}[5m]))) * 300");

    // Windows of 2 hours and more are sums of buckets, recomputed every minute.
    GroupSpec longWindows = file.groups().get(2);
    assertThat(longWindows.interval()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(longWindows.rules())
        .extracting(r -> ((RuleSpec.Recording) r).record())
        .containsExactly(
            "slo:sli_error:ratio_rate2h",
            "slo:sli_error:ratio_rate6h",
            "slo:sli_error:ratio_rate1d",
            "slo:sli_error:ratio_rate3d");
    String bucketSel = "{slo=\"payments-api-requests-availability\", service=\"payments-api\"}";
    assertThat(longWindows.rules().get(3).expr())
        .isEqualTo(
            "sum_over_time(slo:events_error:increase5m"
                + bucketSel
                + "[3d]) / (sum_over_time(slo:events_total:increase5m"
                + bucketSel
                + "[3d]) + (sum_over_time(slo:events_total:increase5m"
                + bucketSel
                + "[3d]) == bool 0))");

    GroupSpec meta = file.groups().get(3);
    assertThat(meta.interval()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(meta.rules())
        .extracting(r -> ((RuleSpec.Recording) r).record() + " = " + r.expr())
        .contains(
            "slo:objective:ratio = vector(0.999)",
            "slo:error_budget:ratio = vector(0.001)",
            "slo:time_window:seconds = vector(2592000)",
            "slo:period_error:ratio = sum(sum_over_time(slo:events_error:increase5m{slo=\"payments-api-requests-availability\", service=\"payments-api\"}[30d]))"
                + " / (sum(sum_over_time(slo:events_total:increase5m{slo=\"payments-api-requests-availability\", service=\"payments-api\"}[30d]))"
                + " + (sum(sum_over_time(slo:events_total:increase5m{slo=\"payments-api-requests-availability\", service=\"payments-api\"}[30d])) == bool 0))");

    List<RuleSpec> alerts = file.groups().get(4).rules();
    RuleSpec.Alerting page = (RuleSpec.Alerting) alerts.get(0);
    RuleSpec.Alerting ticket = (RuleSpec.Alerting) alerts.get(1);
    RuleSpec.Alerting noData = (RuleSpec.Alerting) alerts.get(2);
    String sel = "{slo=\"payments-api-requests-availability\", service=\"payments-api\"}";
    assertThat(page.alert()).isEqualTo("PaymentsAvailabilityBurn");
    assertThat(page.expr())
        .isEqualTo(
            "((slo:sli_error:ratio_rate1h"
                + sel
                + " > (14.4 * 0.001)) and (slo:sli_error:ratio_rate5m"
                + sel
                + " > (14.4 * 0.001))) or ((slo:sli_error:ratio_rate6h"
                + sel
                + " > (6 * 0.001)) and (slo:sli_error:ratio_rate30m"
                + sel
                + " > (6 * 0.001)))");
    assertThat(page.labels())
        .containsEntry("severity", "page")
        .containsEntry("route", "pager")
        .containsEntry("category", "availability");
    assertThat(page.annotations())
        .containsEntry("runbook_url", "https://runbooks.example.org/payments/availability");
    assertThat(ticket.labels()).containsEntry("severity", "ticket");
    assertThat(ticket.expr())
        .contains("ratio_rate1d", "ratio_rate2h", "(3 * 0.001)", "ratio_rate3d");
    assertThat(noData.alert()).isEqualTo("PaymentsAvailabilityBurnNoData");
    assertThat(noData.expr()).isEqualTo("absent(slo:sli_error:ratio_rate5m" + sel + ")");
    assertThat(noData.forDuration()).isEqualTo(java.time.Duration.ofMinutes(10));
  }

  @Test
  void minimumEventsGuardUsesTheBucketsOfTheLongWindow() {
    SpecLoader.Result r =
        SpecLoader.loadTexts(
            java.util.Map.of(
                "raw.yml",
                Fixtures.text("openslo/split-sli.yml"),
                "slo.yml",
                Fixtures.text("openslo/split-slo.yml")),
            new SloDefaults(
                dev.nines.slo.AlertTiers.DEFAULTS,
                100,
                dev.nines.slo.BudgetPolicy.DEFAULT,
                java.time.Duration.ofDays(30)));
    RuleFile file = RuleGenerator.generate(r.slos());
    RuleSpec page = group(file, "-alerts").rules().get(0);
    assertThat(page.expr())
        .contains(
            "and on () (sum(sum_over_time(slo:events_total:increase5m{slo=\"login-availability\","
                + " service=\"accounts\"}[56m])) >= 100)");
  }

  @Test
  void timeslicesAndThresholds() {
    List<Slo> slos = all();
    Slo uplink =
        slos.stream()
            .filter(s -> s.id().equals("uplink-availability-internal"))
            .findFirst()
            .orElseThrow();
    RuleFile file = RuleGenerator.generate(List.of(uplink));
    GroupSpec slices = group(file, "-timeslices");
    assertThat(slices.name()).isEqualTo("slo-uplink-availability-internal-timeslices");
    assertThat(slices.interval()).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(slices.rules().get(1).expr())
        .isEqualTo(
            "slo:timeslice_error:ratio{slo=\"uplink-availability-internal\", service=\"uplink\"} > bool 0.01");

    Slo latency =
        slos.stream().filter(s -> s.id().equals("search-latency")).findFirst().orElseThrow();
    RuleSpec first = RuleGenerator.generate(List.of(latency)).groups().get(0).rules().get(0);
    assertThat(((RuleSpec.Recording) first).record()).isEqualTo("slo:sli_threshold_good:bool");
    assertThat(first.expr())
        .isEqualTo(
            "(histogram_quantile(0.99, sum by (le) (rate(search_duration_seconds_bucket[5m]))))"
                + " <= bool 0.25");
  }

  /** The printed file reads back through the rules module's strict loader as the same model. */
  @Test
  void writtenRulesLoadBackThroughTheRulesLoader() {
    RuleFile generated = RuleGenerator.generate("gen.yml", all());
    RuleFileLoader.Result loaded = RuleFileLoader.parse("gen.yml", RuleFileWriter.write(generated));
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.file().groups()).hasSameSizeAs(generated.groups());
    for (int i = 0; i < generated.groups().size(); i++) {
      GroupSpec a = generated.groups().get(i);
      GroupSpec b = loaded.file().groups().get(i);
      assertThat(b.name()).isEqualTo(a.name());
      assertThat(b.interval()).isEqualTo(a.interval());
      assertThat(b.rules()).hasSameSizeAs(a.rules());
      for (int j = 0; j < a.rules().size(); j++) {
        assertThat(b.rules().get(j).expr()).isEqualTo(a.rules().get(j).expr());
        assertThat(b.rules().get(j).labels()).isEqualTo(a.rules().get(j).labels());
      }
    }
  }

  @Test
  void writerQuotesEverything() {
    String yaml =
        RuleFileWriter.write(
            new RuleFile(
                "f",
                List.of(
                    new GroupSpec(
                        "g",
                        null,
                        0,
                        null,
                        java.util.Map.of(),
                        List.of(
                            new RuleSpec.Recording(
                                "a:b", "x{y=\"z\\\\\"}\n", java.util.Map.of("k", "v: w"), 0)),
                        0))));
    assertThat(yaml)
        .isEqualTo(
            """
            groups:
              - name: "g"
                rules:
                  - record: "a:b"
                    expr: "x{y=\\"z\\\\\\\\\\"}\\n"
                    labels:
                      "k": "v: w"
            """);
  }

  /** The real promtool, from Debian's prometheus package, accepts the generated file. */
  @Test
  void promtoolChecksTheGeneratedRules(@TempDir Path dir) throws IOException, InterruptedException {
    Path promtool = Path.of("/usr/bin/promtool");
    if (System.getenv("CI") == null) {
      assumeTrue(Files.isExecutable(promtool), "promtool is not installed");
    }
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules, RuleFileWriter.write(RuleGenerator.generate(all())), StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "rules", rules.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  private static GroupSpec group(RuleFile file, String suffix) {
    return file.groups().stream().filter(g -> g.name().endsWith(suffix)).findFirst().orElseThrow();
  }
}
