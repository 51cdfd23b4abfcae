package dev.nines.notify.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotifyConfigLoaderTest {

  static Path fixture(String name) {
    try {
      return Path.of(NotifyConfigLoaderTest.class.getResource("/config/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static NotifyConfig parse(String yaml) throws NotifyConfigException {
    return NotifyConfigLoader.parse(yaml, "alertmanager.yml");
  }

  private static List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (NotifyConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("expected problems");
  }

  @Test
  void fullFixtureLoadsWithInheritanceKeysAndDefaults() throws Exception {
    NotifyConfig c = NotifyConfigLoader.load(fixture("full.yml"));
    assertThat(c.global().resolveTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.global().smtpHello()).isEqualTo("localhost");
    assertThat(c.global().pagerdutyUrl()).isEqualTo("https://events.pagerduty.com/v2/enqueue");
    assertThat(c.original()).contains("team-x-mails");

    Route root = c.route();
    assertThat(root.key()).isEqualTo("{}");
    assertThat(root.options().groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(root.options().groupBy()).containsExactly("alertname", "cluster");

    Route mails = root.routes().get(0);
    assertThat(mails.key()).isEqualTo("{}/{service=~\"foo1|foo2|baz\"}");
    assertThat(mails.options().receiver()).isEqualTo("team-x-mails");
    assertThat(mails.options().groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(mails.options().groupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(mails.options().repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(mails.options().groupBy()).containsExactly("alertname", "cluster");
    Route pager = mails.routes().get(0);
    assertThat(pager.key()).isEqualTo("{}/{service=~\"foo1|foo2|baz\"}/{severity=\"critical\"}");

    Route files = root.routes().get(1);
    assertThat(files.key()).isEqualTo("{}/{env=~\"prod|staging\",service=\"files\"}");
    assertThat(files.options().groupByAll()).isTrue();
    assertThat(files.options().groupBy()).isEmpty();
    assertThat(files.options().repeatInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(files.continueMatching()).isTrue();
    assertThat(files.options().muteTimeIntervals()).containsExactly("offhours");

    Route db = root.routes().get(2);
    assertThat(db.key()).isEqualTo("{}/{owner=\"sre\",severity!=\"info\",team=\"db\"}");
    assertThat(db.options().activeTimeIntervals()).containsExactly("business");

    Labels crit = Labels.of("service", "foo1", "severity", "critical");
    assertThat(root.match(crit)).containsExactly(pager);
    Labels both = Labels.of("service", "files", "env", "prod", "team", "db", "owner", "sre");
    assertThat(root.match(both)).containsExactly(files, db);
    assertThat(root.match(Labels.of("service", "files", "env", "production")))
        .containsExactly(root);

    assertThat(c.inhibitRules()).hasSize(2);
    InhibitRule old = c.inhibitRules().get(1);
    assertThat(old.sourceMatches(Labels.of("severity", "page"))).isTrue();
    assertThat(old.targetMatches(Labels.of("severity", "warning"))).isTrue();
    assertThat(old.targetMatches(Labels.of("severity", "awarning"))).isFalse();

    assertThat(c.timeIntervals()).containsOnlyKeys("business", "offhours");
    assertThat(c.receivers())
        .containsOnlyKeys("team-x", "team-x-mails", "team-x-pager", "team-y", "team-db");
    assertThat(c.receiver("team-x").webhookConfigs().get(0).sendResolved()).isTrue();
    assertThat(c.receiver("team-x").webhookConfigs().get(0).maxAlerts()).isEqualTo(10);
    assertThat(c.receiver("team-x").webhookConfigs().get(0).httpConfig().authorizationHeader())
        .isEqualTo("Basic dTpw");

    EmailConfig email = c.receiver("team-x-mails").emailConfigs().get(0);
    assertThat(email.sendResolved()).isFalse();
    assertThat(email.from()).isEqualTo("alertmanager@example.org");
    assertThat(email.smarthostHost()).isEqualTo("localhost");
    assertThat(email.smarthostPort()).isEqualTo(2525);
    assertThat(email.requireTls()).isFalse();
    assertThat(email.authUsername()).isEqualTo("am");
    assertThat(email.headers())
        .containsKeys("X-Custom", "Subject", "To", "From")
        .containsEntry("To", "team-x@example.org");

    PagerdutyConfig pd = c.receiver("team-x-pager").pagerdutyConfigs().get(0);
    assertThat(pd.sendResolved()).isTrue();
    assertThat(pd.severity()).isEqualTo("critical");
    assertThat(pd.details())
        .containsKeys("runbook", "firing", "resolved", "num_firing", "num_resolved");
    assertThat(pd.links()).containsExactly(new PagerdutyConfig.Link("http://example.org", "home"));

    SlackConfig slack = c.receiver("team-y").slackConfigs().get(0);
    assertThat(slack.apiUrl()).isEqualTo("http://localhost:9999/slack");
    assertThat(slack.sendResolved()).isTrue();
    assertThat(slack.title()).isEqualTo("{{ template \"slack.default.title\" . }}");
    assertThat(slack.mrkdwnIn()).containsExactly("fallback", "pretext", "text");
    assertThat(slack.fields().get(0).isShort()).isTrue();

    assertThat(c.templateFiles()).hasSize(1);
    assertThat(c.templateFiles().get(0).getFileName().toString()).isEqualTo("extra.tmpl");
  }

  @Test
  void timeIntervalsMatchAsAlertmanagerDoes() throws Exception {
    NotifyConfig c = NotifyConfigLoader.load(fixture("full.yml"));
    TimeInterval business = c.timeIntervals().get("business");
    // 2026-11-23 is a Monday; 09:00 in Berlin (CET) is 08:00 UTC.
    assertThat(business.contains(Instant.parse("2026-11-23T08:00:00Z"))).isTrue();
    assertThat(business.contains(Instant.parse("2026-11-23T07:59:00Z"))).isFalse();
    assertThat(business.contains(Instant.parse("2026-11-23T16:00:00Z"))).isFalse();
    assertThat(business.contains(Instant.parse("2026-11-22T10:00:00Z"))).isFalse();

    TimeInterval off = c.timeIntervals().get("offhours");
    assertThat(off.contains(Instant.parse("2026-11-22T10:00:00Z"))).isTrue(); // Sunday
    assertThat(off.contains(Instant.parse("2026-12-30T10:00:00Z"))).isTrue(); // Wed, -2 of Dec
    assertThat(off.contains(Instant.parse("2026-12-28T10:00:00Z"))).isFalse(); // Mon, -4
    assertThat(off.contains(Instant.parse("2027-02-26T10:00:00Z"))).isTrue(); // Fri, -3 of Feb
    assertThat(off.contains(Instant.parse("2027-01-01T10:00:00Z"))).isTrue(); // Fri, the 1st
    assertThat(off.contains(Instant.parse("2031-01-01T10:00:00Z"))).isFalse(); // Wed, 2031
  }

  @Test
  void minimalConfigHasAlertmanagerDefaults() throws Exception {
    NotifyConfig c = NotifyConfigLoader.load(fixture("minimal.yml"));
    RouteOptions o = c.route().options();
    assertThat(o.receiver()).isEqualTo("default");
    assertThat(o.groupWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.groupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(o.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(o.groupBy()).isEmpty();
    assertThat(o.groupByAll()).isFalse();
    assertThat(c.global().resolveTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void errorsNameFileLineAndFieldPath() {
    assertThat(
            problems(
                """
                route:
                  receiver: default
                  routes:
                    - receiver: default
                      group_wait: 5x
                receivers:
                  - name: default
                """))
        .containsExactly(
            "alertmanager.yml:5: route.routes[0].group_wait: \"5x\" is not a duration");
  }

  @Test
  void everyProblemIsReported() {
    assertThat(
            problems(
                """
                route:
                  matchers: [a="b"]
                  routes:
                    - receiver: nobody
                      mute_time_intervals: [never]
                      group_by: [a, a, '1x']
                receivers:
                  - name: default
                  - name: default
                  - name: other
                    opsgenie_configs: []
                    webhook_configs:
                      - url_file: /x
                      - {url: 'ftp://x/y', bogus: 1}
                """))
        .containsExactlyInAnyOrder(
            "alertmanager.yml:9: receivers[1].name: notification config name \"default\" is not unique",
            "alertmanager.yml:11: receivers[2].opsgenie_configs: not supported by Nines (see docs/compatibility.md)",
            "alertmanager.yml:13: receivers[2].webhook_configs[0].url_file: not supported by Nines (see docs/compatibility.md)",
            "alertmanager.yml:13: receivers[2].webhook_configs[0]: one of url or url_file must be configured",
            "alertmanager.yml:14: receivers[2].webhook_configs[1].bogus: unknown field; known fields here: http_config, max_alerts, send_resolved, url",
            "alertmanager.yml:14: receivers[2].webhook_configs[1].url: unsupported scheme \"ftp\" for URL",
            "alertmanager.yml:2: route: root route must specify a default receiver",
            "alertmanager.yml:2: route.matchers: root route must not have any matchers",
            "alertmanager.yml:4: route.routes[0].receiver: undefined receiver \"nobody\" used in route",
            "alertmanager.yml:6: route.routes[0].group_by[1]: duplicated label \"a\" in group_by",
            "alertmanager.yml:6: route.routes[0].group_by[2]: invalid label name \"1x\" in group_by list",
            "alertmanager.yml:5: route.routes[0].mute_time_intervals[0]: undefined time interval \"never\" used in route");
  }

  @Test
  void matchersInAlertmanagerSyntax() {
    assertThat(Matchers.parse("{foo=\"bar\", baz=~\"a|b\",qux!=unquoted , x!~\"y\\\"z\"}"))
        .containsExactly(
            LabelMatcher.of(LabelMatcher.Type.EQUAL, "foo", "bar"),
            LabelMatcher.of(LabelMatcher.Type.REGEX, "baz", "a|b"),
            LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "qux", "unquoted"),
            LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "x", "y\"z"));
    assertThat(Matchers.parse("a=\"1,2\""))
        .containsExactly(LabelMatcher.of(LabelMatcher.Type.EQUAL, "a", "1,2"));
    assertThat(Matchers.parseOne("a=~\"x.*\"").matches("xyz")).isTrue();
    assertThat(Matchers.parseOne("a=~\"x.*\"").matches("axyz")).isFalse();
    assertThatThrownBy(() -> Matchers.parse("a=\"b"))
        .hasMessageContaining("unescaped double quote");
    assertThatThrownBy(() -> Matchers.parse("1a=b")).hasMessage("bad matcher format: 1a=b");
    assertThatThrownBy(() -> Matchers.parse("a=~\"(\""))
        .hasMessageContaining("error parsing regexp");
  }

  @Test
  void timeIntervalErrorsAreLocated() {
    assertThat(
            problems(
                """
                route: {receiver: r}
                receivers: [{name: r}]
                time_intervals:
                  - name: t
                    time_intervals:
                      - times: [{start_time: '10:00', end_time: '25:00'}]
                        weekdays: ['friday:monday', 'funday']
                        days_of_month: ['0', '-1:5']
                        months: ['13']
                        location: Mars/Olympus
                  - name: t
                """))
        .containsExactlyInAnyOrder(
            "alertmanager.yml:6: time_intervals[0].time_intervals[0].times[0].end_time: invalid time of day: 25:00",
            "alertmanager.yml:7: time_intervals[0].time_intervals[0].weekdays[0]: start weekday cannot be after end weekday: friday:monday",
            "alertmanager.yml:7: time_intervals[0].time_intervals[0].weekdays[1]: invalid weekday range: funday",
            "alertmanager.yml:8: time_intervals[0].time_intervals[0].days_of_month[0]: day of month out of range (1..31 or -31..-1): 0",
            "alertmanager.yml:8: time_intervals[0].time_intervals[0].days_of_month[1]: a negative start day needs a negative end day: -1:5",
            "alertmanager.yml:9: time_intervals[0].time_intervals[0].months[0]: month out of range: 13",
            "alertmanager.yml:10: time_intervals[0].time_intervals[0].location: unknown time zone Mars/Olympus",
            "alertmanager.yml:11: time_intervals[1].name: time interval \"t\" is not unique");
  }

  @Test
  void receiversNeedTheirGlobals() {
    assertThat(
            problems(
                """
                route: {receiver: r}
                receivers:
                  - name: r
                    slack_configs: [{channel: x}]
                    email_configs: [{to: a@b.c}]
                    pagerduty_configs: [{service_key: k}]
                """))
        .containsExactlyInAnyOrder(
            "alertmanager.yml:4: receivers[0].slack_configs[0]: no global Slack API URL set",
            "alertmanager.yml:5: receivers[0].email_configs[0]: no global SMTP from set",
            "alertmanager.yml:5: receivers[0].email_configs[0]: no global SMTP smarthost set",
            "alertmanager.yml:6: receivers[0].pagerduty_configs[0].service_key: not supported by Nines (see docs/compatibility.md)",
            "alertmanager.yml:6: receivers[0].pagerduty_configs[0]: missing service or routing key in PagerDuty config");
  }

  @Test
  void yamlSyntaxAndEmptyFile() {
    assertThat(problems("route: [\n")).singleElement().asString().startsWith("alertmanager.yml:");
    assertThat(problems(""))
        .containsExactly("alertmanager.yml:1: route: no route provided in config");
  }

  @Test
  void fieldTemplatesAreParsedAtLoad() {
    assertThat(
            problems(
                """
                route: {receiver: r}
                receivers:
                  - name: r
                    slack_configs:
                      - api_url: http://x/
                        title: '{{ .Status | nope }}'
                """))
        .containsExactly(
            "alertmanager.yml:6: receivers[0].slack_configs[0].title: template:"
                + " receivers[0].slack_configs[0].title:1: function \"nope\" not defined");
  }

  @Test
  void templateFileThatDoesNotParseIsAnErrorWithItsLocation(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("a.tmpl"), "{{ define \"x\" }}\n{{ if }}{{ end }}");
    java.nio.file.Files.writeString(
        dir.resolve("am.yml"),
        "templates: ['*.tmpl']\nroute: {receiver: r}\nreceivers: [{name: r}]\n");
    assertThatThrownBy(() -> NotifyConfigLoader.load(dir.resolve("am.yml")))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessage(
            dir.resolve("a.tmpl")
                + ":2: template: "
                + dir.resolve("a.tmpl")
                + ":2: missing value for command");
  }
}
