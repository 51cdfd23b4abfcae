package dev.nines.notify.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.WebhookConfig;
import dev.nines.notify.template.AlertData;
import dev.nines.notify.template.KV;
import dev.nines.notify.template.TemplateData;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code webhook_configs}: POSTs Alertmanager's webhook payload, version 4, to the configured URL.
 * The payload is Alertmanager's {@code template.Data} plus {@code version}, {@code groupKey} and
 * {@code truncatedAlerts}; with {@code max_alerts} set, only the first alerts are sent and the rest
 * are counted in {@code truncatedAlerts}.
 */
public final class WebhookIntegration extends ConfiguredIntegration {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookConfig config;
  private final HttpSender http;

  /** An integration for {@code config}, the {@code index}th webhook of its receiver. */
  public WebhookIntegration(WebhookConfig config, int index, Duration timeout) {
    super("webhook", index, config.sendResolved());
    this.config = config;
    this.http = new HttpSender(config.httpConfig(), timeout);
  }

  @Override
  public SendResult send(Notification notification) throws InterruptedException {
    return http.postJson(config.url(), payload(notification, config.maxAlerts()), "webhook");
  }

  /** The webhook payload for {@code n}, keeping at most {@code maxAlerts} alerts (0: all). */
  public static String payload(Notification n, long maxAlerts) {
    TemplateData d = TemplateData.of(n);
    List<AlertData> alerts = d.alerts();
    long truncated = 0;
    if (maxAlerts > 0 && alerts.size() > maxAlerts) {
      truncated = alerts.size() - maxAlerts;
      alerts = alerts.subList(0, (int) maxAlerts);
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("receiver", d.receiver());
    root.put("status", d.status());
    ArrayNode list = root.putArray("alerts");
    for (AlertData a : alerts) {
      ObjectNode o = list.addObject();
      o.put("status", a.status());
      o.set("labels", kv(a.labels()));
      o.set("annotations", kv(a.annotations()));
      o.put("startsAt", a.startsAt().rfc3339());
      o.put("endsAt", a.endsAt().rfc3339());
      o.put("generatorURL", a.generatorUrl());
      o.put("fingerprint", a.fingerprint());
    }
    root.set("groupLabels", kv(d.groupLabels()));
    root.set("commonLabels", kv(d.commonLabels()));
    root.set("commonAnnotations", kv(d.commonAnnotations()));
    root.put("externalURL", d.externalUrl());
    root.put("version", "4");
    root.put("groupKey", n.groupKey());
    root.put("truncatedAlerts", truncated);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write webhook JSON", e);
    }
  }

  static ObjectNode kv(KV kv) {
    ObjectNode o = JSON.createObjectNode();
    for (Map.Entry<String, String> e : kv.entrySet()) {
      o.put(e.getKey(), e.getValue());
    }
    return o;
  }
}
