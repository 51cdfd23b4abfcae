package dev.nines.notify.receiver;

import dev.nines.common.gotemplate.TemplateException;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.EmailConfig;
import dev.nines.notify.template.NotifyTemplates;
import dev.nines.notify.template.TemplateData;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code email_configs}: sends one message per notification over SMTP with Jakarta Mail. STARTTLS
 * is used when the server offers it and required with {@code require_tls} (port 465 uses TLS from
 * the start, as Alertmanager does); AUTH when {@code auth_username} is set. Headers (with {@code
 * Subject}, {@code To} and {@code From} defaulted) are templates; the body is {@code
 * multipart/alternative} with a text part when {@code text} is set and an HTML part when {@code
 * html} is. A failed login or a refused address is not worth retrying; other SMTP and network
 * failures are.
 */
public final class EmailIntegration extends ConfiguredIntegration {
  private final EmailConfig config;
  private final Duration timeout;
  private final Rendered fields;

  /**
   * An integration for {@code config}.
   *
   * @throws TemplateException when a field's template does not parse
   */
  public EmailIntegration(
      EmailConfig config, int index, NotifyTemplates templates, Duration timeout, String owner)
      throws TemplateException {
    super("email", index, config.sendResolved());
    this.config = config;
    this.timeout = timeout;
    Map<String, String> t = new LinkedHashMap<>();
    t.put("to", config.to());
    t.put("from", config.from());
    config.headers().forEach((k, v) -> t.put("headers." + k, v));
    if (config.html() != null) {
      t.put("html", config.html());
    }
    if (config.text() != null) {
      t.put("text", config.text());
    }
    this.fields = new Rendered(owner, templates, t);
  }

  @Override
  public SendResult send(Notification notification) throws InterruptedException {
    TemplateData d = TemplateData.of(notification);
    MimeMessage msg;
    Session session = session();
    try {
      msg = message(session, d);
    } catch (TemplateException e) {
      return SendResult.fail("email: " + e.getMessage());
    } catch (AddressException e) {
      return SendResult.fail("email: bad address: " + e.getMessage());
    } catch (MessagingException e) {
      return SendResult.fail("email: cannot build message: " + e.getMessage());
    }
    try (Transport transport =
        session.getTransport(config.smarthostPort() == 465 ? "smtps" : "smtp")) {
      transport.connect(
          config.smarthostHost(),
          config.smarthostPort(),
          config.authUsername(),
          config.authPassword());
      transport.sendMessage(msg, msg.getAllRecipients());
      return SendResult.success();
    } catch (AuthenticationFailedException e) {
      return SendResult.fail("email: authentication failed: " + e.getMessage());
    } catch (SendFailedException e) {
      return SendResult.fail("email: " + e.getMessage());
    } catch (MessagingException e) {
      return SendResult.retry("email: " + e.getMessage());
    }
  }

  private Session session() {
    Properties p = new Properties();
    String prefix = config.smarthostPort() == 465 ? "mail.smtps." : "mail.smtp.";
    p.put(prefix + "host", config.smarthostHost());
    p.put(prefix + "port", Integer.toString(config.smarthostPort()));
    p.put(prefix + "localhost", config.hello());
    p.put(prefix + "connectiontimeout", Long.toString(timeout.toMillis()));
    p.put(prefix + "timeout", Long.toString(timeout.toMillis()));
    p.put(prefix + "writetimeout", Long.toString(timeout.toMillis()));
    p.put(prefix + "starttls.enable", "true");
    p.put(prefix + "starttls.required", Boolean.toString(config.requireTls()));
    p.put(prefix + "auth", Boolean.toString(config.authUsername() != null));
    if (config.insecureSkipVerify()) {
      p.put(prefix + "ssl.trust", "*");
      p.put(prefix + "ssl.checkserveridentity", "false");
    } else {
      p.put(prefix + "ssl.checkserveridentity", "true");
    }
    return Session.getInstance(p);
  }

  /**
   * The message for {@code d}.
   *
   * @throws TemplateException when a template fails
   * @throws MessagingException when an address or header is malformed
   */
  MimeMessage message(Session session, TemplateData d)
      throws TemplateException, MessagingException {
    MimeMessage msg = new MimeMessage(session);
    for (String name : config.headers().keySet()) {
      String value = fields.render("headers." + name, d);
      switch (name) {
        case "To" -> msg.setRecipients(Message.RecipientType.TO, InternetAddress.parse(value));
        case "From" -> msg.setFrom(new InternetAddress(value, true));
        case "Subject" -> msg.setSubject(value, "UTF-8");
        default -> msg.setHeader(name, value);
      }
    }
    if (msg.getAllRecipients() == null || msg.getAllRecipients().length == 0) {
      msg.setRecipients(Message.RecipientType.TO, InternetAddress.parse(fields.render("to", d)));
    }
    if (msg.getFrom() == null) {
      msg.setFrom(new InternetAddress(fields.render("from", d), true));
    }
    msg.setSentDate(new Date());
    MimeMultipart alt = new MimeMultipart("alternative");
    if (config.text() != null) {
      String text = fields.render("text", d);
      if (!text.isEmpty()) {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, "UTF-8", "plain");
        alt.addBodyPart(part);
      }
    }
    if (config.html() != null) {
      String html = fields.render("html", d);
      if (!html.isEmpty()) {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(html, "UTF-8", "html");
        alt.addBodyPart(part);
      }
    }
    msg.setContent(alt);
    msg.saveChanges();
    return msg;
  }
}
