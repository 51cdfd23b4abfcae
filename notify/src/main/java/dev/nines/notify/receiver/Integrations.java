package dev.nines.notify.receiver;

import dev.nines.common.gotemplate.TemplateException;
import dev.nines.notify.Integration;
import dev.nines.notify.config.ConfigProblem;
import dev.nines.notify.config.NotifyConfig;
import dev.nines.notify.config.NotifyConfigException;
import dev.nines.notify.config.ReceiverConfig;
import dev.nines.notify.template.NotifyTemplates;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds every receiver's {@link Integration}s from a validated configuration. */
public final class Integrations {
  /** The time one attempt may take (connect, send, answer) unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Integrations() {}

  /**
   * The integrations of every receiver, by receiver name in file order; within a receiver, webhook,
   * then Slack, email and PagerDuty integrations, each in file order. A receiver without
   * integrations maps to an empty list. The config's template files are loaded here.
   *
   * @throws NotifyConfigException when a template file cannot be read or a template does not parse
   *     (both were checked at load, so only a file changed since then fails here)
   */
  public static Map<String, List<Integration>> build(NotifyConfig config)
      throws NotifyConfigException {
    NotifyTemplates templates;
    try {
      templates = NotifyTemplates.load(config.templateFiles());
    } catch (TemplateException | IOException e) {
      throw new NotifyConfigException(
          List.of(new ConfigProblem(config.source(), 0, "templates", e.getMessage())));
    }
    return build(config, templates, DEFAULT_TIMEOUT);
  }

  /**
   * The integrations of every receiver, with the given templates and per-attempt timeout.
   *
   * @throws NotifyConfigException when a field's template does not parse
   */
  public static Map<String, List<Integration>> build(
      NotifyConfig config, NotifyTemplates templates, Duration timeout)
      throws NotifyConfigException {
    Map<String, List<Integration>> out = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    int r = 0;
    for (ReceiverConfig rc : config.receivers().values()) {
      String base = "receivers[" + r++ + "]";
      List<Integration> list = new ArrayList<>();
      for (int i = 0; i < rc.webhookConfigs().size(); i++) {
        list.add(new WebhookIntegration(rc.webhookConfigs().get(i), i, timeout));
      }
      try {
        for (int i = 0; i < rc.slackConfigs().size(); i++) {
          list.add(
              new SlackIntegration(
                  rc.slackConfigs().get(i),
                  i,
                  templates,
                  timeout,
                  base + ".slack_configs[" + i + "]"));
        }
        for (int i = 0; i < rc.emailConfigs().size(); i++) {
          list.add(
              new EmailIntegration(
                  rc.emailConfigs().get(i),
                  i,
                  templates,
                  timeout,
                  base + ".email_configs[" + i + "]"));
        }
        for (int i = 0; i < rc.pagerdutyConfigs().size(); i++) {
          list.add(
              new PagerdutyIntegration(
                  rc.pagerdutyConfigs().get(i),
                  i,
                  templates,
                  timeout,
                  base + ".pagerduty_configs[" + i + "]"));
        }
      } catch (TemplateException e) {
        problems.add(new ConfigProblem(config.source(), 0, base, e.getMessage()));
      }
      out.put(rc.name(), List.copyOf(list));
    }
    if (!problems.isEmpty()) {
      throw new NotifyConfigException(problems);
    }
    return Collections.unmodifiableMap(out);
  }
}
