package dev.nines.notify.config;

import java.util.List;

/**
 * One entry of {@code receivers}: a name and its integrations of each supported kind.
 *
 * @param name the receiver's name, unique in the file
 * @param webhookConfigs {@code webhook_configs}
 * @param slackConfigs {@code slack_configs}
 * @param emailConfigs {@code email_configs}
 * @param pagerdutyConfigs {@code pagerduty_configs}
 */
public record ReceiverConfig(
    String name,
    List<WebhookConfig> webhookConfigs,
    List<SlackConfig> slackConfigs,
    List<EmailConfig> emailConfigs,
    List<PagerdutyConfig> pagerdutyConfigs) {

  /** Copies the lists. */
  public ReceiverConfig {
    webhookConfigs = List.copyOf(webhookConfigs);
    slackConfigs = List.copyOf(slackConfigs);
    emailConfigs = List.copyOf(emailConfigs);
    pagerdutyConfigs = List.copyOf(pagerdutyConfigs);
  }

  /** The number of integrations; 0 means notifications to this receiver are dropped. */
  public int integrationCount() {
    return webhookConfigs.size()
        + slackConfigs.size()
        + emailConfigs.size()
        + pagerdutyConfigs.size();
  }
}
