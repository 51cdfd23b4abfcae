package dev.nines.notify.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.PagerdutyConfig;
import dev.nines.notify.template.NotifyTemplates;
import dev.nines.notify.template.TemplateData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pagerduty_configs}: sends a PagerDuty Events API v2 event as Alertmanager does: {@code
 * event_action} {@code trigger} while any alert fires and {@code resolve} after, {@code dedup_key}
 * the SHA-256 hex of the group key (so that trigger and resolve meet on PagerDuty's side), and on
 * trigger a {@code payload} with {@code summary} (at most 1024 characters), {@code source}, {@code
 * severity}, {@code class}, {@code component}, {@code group} and {@code custom_details}; {@code
 * client}, {@code client_url}, {@code images} and {@code links} beside it. A resolve carries {@code
 * "payload": null}, as Alertmanager's does.
 */
public final class PagerdutyIntegration extends ConfiguredIntegration {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_SUMMARY_RUNES = 1024;

  private final PagerdutyConfig config;
  private final HttpSender http;
  private final Rendered fields;

  /**
   * An integration for {@code config}.
   *
   * @throws TemplateException when a field's template does not parse
   */
  public PagerdutyIntegration(
      PagerdutyConfig config, int index, NotifyTemplates templates, Duration timeout, String owner)
      throws TemplateException {
    super("pagerduty", index, config.sendResolved());
    this.config = config;
    this.http = new HttpSender(config.httpConfig(), timeout);
    Map<String, String> t = new LinkedHashMap<>();
    t.put("routing_key", config.routingKey());
    t.put("client", config.client());
    t.put("client_url", config.clientUrl());
    t.put("description", config.description());
    t.put("source", config.source());
    t.put("severity", config.severity());
    t.put("class", config.eventClass());
    t.put("component", config.component());
    t.put("group", config.group());
    config.details().forEach((k, v) -> t.put("details." + k, v));
    for (int i = 0; i < config.images().size(); i++) {
      PagerdutyConfig.Image im = config.images().get(i);
      t.put("images[" + i + "].src", im.src());
      t.put("images[" + i + "].alt", im.alt());
      t.put("images[" + i + "].href", im.href());
    }
    for (int i = 0; i < config.links().size(); i++) {
      PagerdutyConfig.Link l = config.links().get(i);
      t.put("links[" + i + "].href", l.href());
      t.put("links[" + i + "].text", l.text());
    }
    this.fields = new Rendered(owner, templates, t);
  }

  @Override
  public SendResult send(Notification notification) throws InterruptedException {
    String body;
    try {
      body = payload(notification);
    } catch (TemplateException e) {
      return SendResult.fail("pagerduty: " + e.getMessage());
    }
    return http.postJson(config.url(), body, "pagerduty");
  }

  /** The dedup key of a group: the SHA-256 hex of its key, as Alertmanager's {@code Key.Hash}. */
  public static String dedupKey(String groupKey) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(groupKey.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * The event for {@code n}.
   *
   * @throws TemplateException when a template fails
   */
  public String payload(Notification n) throws TemplateException {
    TemplateData d = TemplateData.of(n);
    boolean trigger = d.status().equals("firing");
    ObjectNode root = JSON.createObjectNode();
    root.put("routing_key", fields.render("routing_key", d));
    root.put("dedup_key", dedupKey(n.groupKey()));
    root.put("event_action", trigger ? "trigger" : "resolve");
    if (trigger) {
      ObjectNode p = root.putObject("payload");
      p.put("summary", Rendered.truncate(fields.render("description", d), MAX_SUMMARY_RUNES));
      p.put("source", fields.render("source", d));
      p.put("severity", fields.render("severity", d));
      putIfNotEmpty(p, "class", fields.render("class", d));
      putIfNotEmpty(p, "component", fields.render("component", d));
      putIfNotEmpty(p, "group", fields.render("group", d));
      if (!config.details().isEmpty()) {
        ObjectNode cd = p.putObject("custom_details");
        for (String k : config.details().keySet()) {
          cd.put(k, fields.render("details." + k, d));
        }
      }
    } else {
      root.putNull("payload");
    }
    putIfNotEmpty(root, "client", fields.render("client", d));
    putIfNotEmpty(root, "client_url", fields.render("client_url", d));
    ArrayNode images = JSON.createArrayNode();
    for (int i = 0; i < config.images().size(); i++) {
      String src = fields.render("images[" + i + "].src", d);
      if (src.isEmpty()) {
        continue;
      }
      ObjectNode o = images.addObject();
      o.put("src", src);
      putIfNotEmpty(o, "href", fields.render("images[" + i + "].href", d));
      putIfNotEmpty(o, "alt", fields.render("images[" + i + "].alt", d));
    }
    if (!images.isEmpty()) {
      root.set("images", images);
    }
    ArrayNode links = JSON.createArrayNode();
    for (int i = 0; i < config.links().size(); i++) {
      String href = fields.render("links[" + i + "].href", d);
      if (href.isEmpty()) {
        continue;
      }
      ObjectNode o = links.addObject();
      o.put("href", href);
      putIfNotEmpty(o, "text", fields.render("links[" + i + "].text", d));
    }
    if (!links.isEmpty()) {
      root.set("links", links);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write PagerDuty JSON", e);
    }
  }

  private static void putIfNotEmpty(ObjectNode o, String key, String value) {
    if (!value.isEmpty()) {
      o.put(key, value);
    }
  }
}
