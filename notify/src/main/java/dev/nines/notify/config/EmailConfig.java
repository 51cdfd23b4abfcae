package dev.nines.notify.config;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@code email_configs} entry, with the global SMTP defaults already applied. {@code to},
 * {@code from}, header values, {@code html} and {@code text} are templates.
 *
 * @param sendResolved {@code send_resolved} (default false)
 * @param to {@code to}: one or more addresses, comma-separated
 * @param from {@code from}, or {@code smtp_from}
 * @param hello {@code hello}, or {@code smtp_hello}
 * @param smarthostHost the host of {@code smarthost}
 * @param smarthostPort the port of {@code smarthost}
 * @param authUsername {@code auth_username}; with a password, AUTH PLAIN or LOGIN is used
 * @param authPassword {@code auth_password}
 * @param authSecret {@code auth_secret} (CRAM-MD5; accepted, used only by servers that need it)
 * @param authIdentity {@code auth_identity}
 * @param headers the headers, names in canonical form, with {@code Subject}, {@code To} and {@code
 *     From} filled in as Alertmanager does
 * @param html {@code html} (default {@code {{ template "email.default.html" . }}})
 * @param text {@code text}, or null for no text part
 * @param requireTls {@code require_tls}, or {@code smtp_require_tls}: STARTTLS is required
 * @param insecureSkipVerify {@code tls_config.insecure_skip_verify}
 */
public record EmailConfig(
    boolean sendResolved,
    String to,
    String from,
    String hello,
    String smarthostHost,
    int smarthostPort,
    @Nullable String authUsername,
    @Nullable String authPassword,
    @Nullable String authSecret,
    @Nullable String authIdentity,
    Map<String, String> headers,
    @Nullable String html,
    @Nullable String text,
    boolean requireTls,
    boolean insecureSkipVerify) {

  /** Copies the headers, keeping their order. */
  public EmailConfig {
    headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
  }
}
