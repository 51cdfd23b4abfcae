package dev.nines.notify.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code global} section: defaults that receivers take when they do not set their own.
 *
 * @param resolveTimeout how long after its last update an alert without {@code endsAt} is resolved
 *     (default 5m)
 * @param smtpFrom default {@code from} of email configs
 * @param smtpSmarthost default {@code smarthost} ({@code host:port})
 * @param smtpHello default {@code hello} (default {@code localhost})
 * @param smtpAuthUsername default {@code auth_username}
 * @param smtpAuthPassword default {@code auth_password}
 * @param smtpAuthIdentity default {@code auth_identity}
 * @param smtpAuthSecret default {@code auth_secret}
 * @param smtpRequireTls default {@code require_tls} (default true)
 * @param slackApiUrl default Slack {@code api_url}
 * @param pagerdutyUrl default PagerDuty {@code url} (default {@code
 *     https://events.pagerduty.com/v2/enqueue})
 * @param httpConfig default {@code http_config} of webhook, Slack and PagerDuty configs
 */
public record GlobalConfig(
    Duration resolveTimeout,
    @Nullable String smtpFrom,
    @Nullable String smtpSmarthost,
    String smtpHello,
    @Nullable String smtpAuthUsername,
    @Nullable String smtpAuthPassword,
    @Nullable String smtpAuthIdentity,
    @Nullable String smtpAuthSecret,
    boolean smtpRequireTls,
    @Nullable String slackApiUrl,
    String pagerdutyUrl,
    HttpConfig httpConfig) {

  /** The default PagerDuty Events API v2 endpoint. */
  public static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

  /** The defaults Alertmanager uses when there is no {@code global} section. */
  public static GlobalConfig defaults() {
    return new GlobalConfig(
        Duration.ofMinutes(5),
        null,
        null,
        "localhost",
        null,
        null,
        null,
        null,
        true,
        null,
        DEFAULT_PAGERDUTY_URL,
        HttpConfig.DEFAULT);
  }
}
