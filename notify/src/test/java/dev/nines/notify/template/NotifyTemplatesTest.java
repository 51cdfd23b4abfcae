package dev.nines.notify.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.notify.Alert;
import dev.nines.notify.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyTemplatesTest {
  static final Instant NOW = Instant.parse("2026-11-23T22:00:00Z");

  static Alert alert(String instance, Instant endsAt, String... annotations) {
    Map<String, String> ann = new java.util.TreeMap<>();
    for (int i = 0; i < annotations.length; i += 2) {
      ann.put(annotations[i], annotations[i + 1]);
    }
    return new Alert(
        Labels.of(
            "alertname", "HighLatency", "job", "api", "severity", "page", "instance", instance),
        ann,
        Instant.parse("2026-11-23T21:00:00Z"),
        endsAt,
        "http://prom/graph?g0.expr=up",
        NOW,
        false);
  }

  static Notification notification() {
    return new Notification(
        "team-a",
        "{}:{alertname=\"HighLatency\"}",
        Labels.of("alertname", "HighLatency"),
        List.of(
            alert("a", NOW.plusSeconds(300), "summary", "slow"),
            alert("b", NOW.minusSeconds(60), "summary", "slow")),
        "http://nines:9595",
        NOW);
  }

  private static String render(String text) throws TemplateException {
    return NotifyTemplates.defaultsOnly().render("t", text, TemplateData.of(notification()));
  }

  @Test
  void defaultSubjectAndTextMatchAlertmanager() throws Exception {
    assertThat(render("{{ template \"__subject\" . }}"))
        .isEqualTo("[FIRING:1] HighLatency (api page)");
    assertThat(render("{{ template \"slack.default.fallback\" . }}"))
        .isEqualTo(
            "[FIRING:1] HighLatency (api page) | http://nines:9595/#/alerts?receiver=team-a");
    assertThat(render("{{ template \"__text_alert_list\" .Alerts.Firing }}"))
        .isEqualTo(
            """
            Labels:
             - alertname = HighLatency
             - instance = a
             - job = api
             - severity = page
            Annotations:
             - summary = slow
            Source: http://prom/graph?g0.expr=up
            """);
    assertThat(render("{{ template \"pagerduty.default.description\" . }}"))
        .isEqualTo("[FIRING:1] HighLatency (api page)");
    assertThat(render("{{ template \"slack.default.text\" . }}")).isEmpty();
  }

  @Test
  void resolvedSubjectHasNoCount() throws Exception {
    Notification n =
        new Notification(
            "r",
            "k",
            Labels.of("alertname", "HighLatency"),
            List.of(alert("b", NOW.minusSeconds(1))),
            "http://x",
            NOW);
    assertThat(
            NotifyTemplates.defaultsOnly()
                .render("t", "{{ template \"email.default.subject\" . }}", TemplateData.of(n)))
        .isEqualTo("[RESOLVED] HighLatency (b api page)");
  }

  @Test
  void dataFieldsAndFunctions() throws Exception {
    assertThat(render("{{ .Receiver }} {{ .Status }} {{ len .Alerts }} {{ len .Alerts.Resolved }}"))
        .isEqualTo("team-a firing 2 1");
    assertThat(
            render(
                "{{ range .Alerts }}{{ .Status }}:{{ .Labels.instance }}:{{ .EndsAt }};{{ end }}"))
        .isEqualTo(
            "firing:a:0001-01-01 00:00:00 +0000 UTC;resolved:b:2026-11-23 21:59:00 +0000 UTC;");
    assertThat(
            render("{{ .CommonLabels.Names | join \",\" }}|{{ .GroupLabels.alertname | toLower }}"))
        .isEqualTo("alertname,job,severity|highlatency");
    assertThat(render("{{ (index .Alerts 0).Fingerprint | len }} {{ title \"hello world\" }}"))
        .isEqualTo("16 Hello World");
    assertThat(
            render(
                "{{ reReplaceAll \"(a)\" \"<$1>\" \"banana\" }} {{ match \"^ban\" \"banana\" }}"))
        .isEqualTo("b<a>n<a>n<a> true");
    assertThat(render("{{ range stringSlice \"x\" \"y\" }}{{ . }}{{ end }} {{ safeHtml \"<b>\" }}"))
        .isEqualTo("xy <b>");
    assertThat(render("{{ (index .Alerts 0).StartsAt | date \"2006-01-02 15:04\" }}"))
        .isEqualTo("2026-11-23 21:00");
  }

  @Test
  void userTemplatesOverrideAndReportErrors() throws Exception {
    NotifyTemplates t =
        NotifyTemplates.of(Map.of("my.tmpl", "{{ define \"__alertmanager\" }}Nines{{ end }}"));
    assertThat(
            t.render(
                "x",
                "{{ template \"slack.default.username\" . }}",
                TemplateData.of(notification())))
        .isEqualTo("Nines");
    assertThatThrownBy(() -> NotifyTemplates.of(Map.of("bad.tmpl", "\n{{ define \"x\" }}{{ .Foo")))
        .isInstanceOf(TemplateException.class)
        .hasMessageStartingWith("template: bad.tmpl:2:");
  }
}
