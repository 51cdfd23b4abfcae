package dev.nines.notify.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.nines.notify.Integration;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.NotifyConfigLoader;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmailIntegrationTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig().withUser("am@example.org", "am", "s3cret"))
          .withPerMethodLifecycle(true);

  private Integration email(int port, String password) throws Exception {
    String yaml =
        """
        global:
          smtp_smarthost: 127.0.0.1:%d
          smtp_from: 'Nines <nines@example.org>'
          smtp_auth_username: am
          smtp_auth_password: %s
          smtp_hello: nines.test
        route: {receiver: team-a}
        receivers:
          - name: team-a
            email_configs:
              - to: 'oncall@example.org, lead@example.org'
                require_tls: true
                tls_config: {insecure_skip_verify: true}
                headers:
                  X-Alert-Status: '{{ .Status }}'
                text: '{{ template "__text_alert_list" .Alerts.Firing }}'
        """
            .formatted(port, password);
    return Integrations.build(NotifyConfigLoader.parse(yaml, "am.yml")).get("team-a").get(0);
  }

  @Test
  void sendsOverStartTlsWithAuthHeadersAndBothParts() throws Exception {
    try (StartTlsRelay relay = new StartTlsRelay(MAIL.getSmtp().getPort())) {
      Integration email = email(relay.port(), "s3cret");
      assertThat(email.sendResolved()).isFalse();
      SendResult r = email.send(HttpReceiversTest.notification(true));
      assertThat(r).isEqualTo(SendResult.success());
      assertThat(relay.upgrades.get()).isEqualTo(1);
    }
    MimeMessage[] got = MAIL.getReceivedMessages();
    assertThat(got).hasSize(2); // one copy per recipient mailbox
    MimeMessage m = got[0];
    assertThat(m.getSubject()).isEqualTo("[FIRING:1] HighLatency (api page)");
    assertThat(m.getHeader("To", ",")).isEqualTo("oncall@example.org, lead@example.org");
    assertThat(m.getHeader("From", ",")).isEqualTo("Nines <nines@example.org>");
    assertThat(m.getHeader("X-Alert-Status", ",")).isEqualTo("firing");
    Multipart parts = (Multipart) m.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"))
        .isEqualTo(
            "Labels:\n - alertname = HighLatency\n - instance = a\n - job = api\n - severity = page\n"
                + "Annotations:\n - runbook_url = http://rb/latency\n - summary = slow\n"
                + "Source: http://prom/graph\n");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("<title>[FIRING:1] HighLatency (api page)</title>")
        .contains("summary = slow")
        .contains("href=\"http://nines:9595/#/alerts?receiver=team-a\"");
    assertThat(GreenMailUtil.getBody(m)).isNotEmpty();
  }

  @Test
  void wrongPasswordIsNotRetried() throws Exception {
    try (StartTlsRelay relay = new StartTlsRelay(MAIL.getSmtp().getPort())) {
      SendResult r = email(relay.port(), "wrong").send(HttpReceiversTest.notification(true));
      assertThat(r.ok()).isFalse();
      assertThat(r.retryable()).isFalse();
      assertThat(r.error()).startsWith("email: authentication failed");
    }
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  void serverWithoutStartTlsIsRefusedWhenTlsIsRequired() throws Exception {
    SendResult r =
        email(MAIL.getSmtp().getPort(), "s3cret").send(HttpReceiversTest.notification(true));
    assertThat(r.ok()).isFalse();
    assertThat(MAIL.getReceivedMessages()).isEmpty();
  }
}
