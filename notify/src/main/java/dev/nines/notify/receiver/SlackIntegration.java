package dev.nines.notify.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import dev.nines.notify.config.SlackConfig;
import dev.nines.notify.template.NotifyTemplates;
import dev.nines.notify.template.TemplateData;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code slack_configs}: POSTs an incoming-webhook message with one attachment, shaped as
 * Alertmanager sends it: {@code channel}, {@code username}, {@code icon_emoji}, {@code icon_url},
 * {@code link_names}, and {@code attachments[0]} with {@code title} (at most 1024 characters),
 * {@code title_link}, {@code pretext}, {@code text}, {@code fallback}, {@code callback_id}, {@code
 * fields}, {@code actions}, {@code image_url}, {@code thumb_url}, {@code footer}, {@code color} and
 * {@code mrkdwn_in}. Empty optional values are left out, as Go's {@code omitempty} leaves them.
 */
public final class SlackIntegration extends ConfiguredIntegration {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TITLE_RUNES = 1024;

  private final SlackConfig config;
  private final HttpSender http;
  private final Rendered fields;

  /**
   * An integration for {@code config}.
   *
   * @throws TemplateException when a field's template does not parse
   */
  public SlackIntegration(
      SlackConfig config, int index, NotifyTemplates templates, Duration timeout, String owner)
      throws TemplateException {
    super("slack", index, config.sendResolved());
    this.config = config;
    this.http = new HttpSender(config.httpConfig(), timeout);
    Map<String, String> t = new LinkedHashMap<>();
    t.put("channel", config.channel());
    t.put("username", config.username());
    t.put("icon_emoji", config.iconEmoji());
    t.put("icon_url", config.iconUrl());
    t.put("title", config.title());
    t.put("title_link", config.titleLink());
    t.put("pretext", config.pretext());
    t.put("text", config.text());
    t.put("fallback", config.fallback());
    t.put("callback_id", config.callbackId());
    t.put("image_url", config.imageUrl());
    t.put("thumb_url", config.thumbUrl());
    t.put("footer", config.footer());
    t.put("color", config.color());
    for (int i = 0; i < config.fields().size(); i++) {
      SlackConfig.Field f = config.fields().get(i);
      t.put("fields[" + i + "].title", f.title());
      t.put("fields[" + i + "].value", f.value());
    }
    for (int i = 0; i < config.actions().size(); i++) {
      SlackConfig.Action a = config.actions().get(i);
      String p = "actions[" + i + "].";
      t.put(p + "type", a.type());
      t.put(p + "text", a.text());
      t.put(p + "url", a.url());
      t.put(p + "style", a.style());
      t.put(p + "name", a.name());
      t.put(p + "value", a.value());
      if (a.confirm() != null) {
        t.put(p + "confirm.title", a.confirm().title());
        t.put(p + "confirm.text", a.confirm().text());
        t.put(p + "confirm.ok_text", a.confirm().okText());
        t.put(p + "confirm.dismiss_text", a.confirm().dismissText());
      }
    }
    this.fields = new Rendered(owner, templates, t);
  }

  @Override
  public SendResult send(Notification notification) throws InterruptedException {
    String body;
    try {
      body = payload(TemplateData.of(notification));
    } catch (TemplateException e) {
      return SendResult.fail("slack: " + e.getMessage());
    }
    return http.postJson(config.apiUrl(), body, "slack");
  }

  /**
   * The message for {@code d}.
   *
   * @throws TemplateException when a template fails
   */
  public String payload(TemplateData d) throws TemplateException {
    ObjectNode root = JSON.createObjectNode();
    putIfNotEmpty(root, "channel", fields.render("channel", d));
    putIfNotEmpty(root, "username", fields.render("username", d));
    putIfNotEmpty(root, "icon_emoji", fields.render("icon_emoji", d));
    putIfNotEmpty(root, "icon_url", fields.render("icon_url", d));
    if (config.linkNames()) {
      root.put("link_names", true);
    }
    ArrayNode atts = root.putArray("attachments");
    ObjectNode att = atts.addObject();
    putIfNotEmpty(att, "title", Rendered.truncate(fields.render("title", d), MAX_TITLE_RUNES));
    putIfNotEmpty(att, "title_link", fields.render("title_link", d));
    putIfNotEmpty(att, "pretext", fields.render("pretext", d));
    att.put("text", fields.render("text", d));
    att.put("fallback", fields.render("fallback", d));
    att.put("callback_id", fields.render("callback_id", d));
    if (!config.fields().isEmpty()) {
      ArrayNode fs = att.putArray("fields");
      for (int i = 0; i < config.fields().size(); i++) {
        SlackConfig.Field f = config.fields().get(i);
        ObjectNode o = fs.addObject();
        o.put("title", fields.render("fields[" + i + "].title", d));
        o.put("value", fields.render("fields[" + i + "].value", d));
        o.put("short", f.isShort() != null ? f.isShort() : config.shortFields());
      }
    }
    if (!config.actions().isEmpty()) {
      ArrayNode as = att.putArray("actions");
      for (int i = 0; i < config.actions().size(); i++) {
        SlackConfig.Action a = config.actions().get(i);
        String p = "actions[" + i + "].";
        ObjectNode o = as.addObject();
        o.put("type", fields.render(p + "type", d));
        o.put("text", fields.render(p + "text", d));
        putIfNotEmpty(o, "url", fields.render(p + "url", d));
        putIfNotEmpty(o, "style", fields.render(p + "style", d));
        putIfNotEmpty(o, "name", fields.render(p + "name", d));
        putIfNotEmpty(o, "value", fields.render(p + "value", d));
        if (a.confirm() != null) {
          ObjectNode c = o.putObject("confirm");
          putIfNotEmpty(c, "title", fields.render(p + "confirm.title", d));
          c.put("text", fields.render(p + "confirm.text", d));
          putIfNotEmpty(c, "ok_text", fields.render(p + "confirm.ok_text", d));
          putIfNotEmpty(c, "dismiss_text", fields.render(p + "confirm.dismiss_text", d));
        }
      }
    }
    putIfNotEmpty(att, "image_url", fields.render("image_url", d));
    putIfNotEmpty(att, "thumb_url", fields.render("thumb_url", d));
    att.put("footer", fields.render("footer", d));
    putIfNotEmpty(att, "color", fields.render("color", d));
    ArrayNode md = att.putArray("mrkdwn_in");
    config.mrkdwnIn().forEach(md::add);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write Slack JSON", e);
    }
  }

  private static void putIfNotEmpty(ObjectNode o, String key, String value) {
    if (!value.isEmpty()) {
      o.put(key, value);
    }
  }
}
