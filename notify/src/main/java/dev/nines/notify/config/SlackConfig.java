package dev.nines.notify.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code slack_configs} entry. Text fields are Go templates, rendered per notification; their
 * defaults are Alertmanager's ({@code {{ template "slack.default.title" . }}} and so on).
 *
 * @param sendResolved {@code send_resolved} (default false)
 * @param httpConfig {@code http_config}, or the global one
 * @param apiUrl the incoming-webhook URL ({@code api_url}, or the global {@code slack_api_url})
 * @param channel {@code channel}
 * @param username {@code username}
 * @param color {@code color}
 * @param title {@code title}
 * @param titleLink {@code title_link}
 * @param pretext {@code pretext}
 * @param text {@code text}
 * @param fields {@code fields}
 * @param shortFields {@code short_fields}: the default of each field's {@code short}
 * @param footer {@code footer}
 * @param fallback {@code fallback}
 * @param callbackId {@code callback_id}
 * @param iconEmoji {@code icon_emoji}
 * @param iconUrl {@code icon_url}
 * @param imageUrl {@code image_url}
 * @param thumbUrl {@code thumb_url}
 * @param linkNames {@code link_names}
 * @param mrkdwnIn {@code mrkdwn_in} (default {@code [fallback, pretext, text]})
 * @param actions {@code actions}
 */
public record SlackConfig(
    boolean sendResolved,
    HttpConfig httpConfig,
    String apiUrl,
    String channel,
    String username,
    String color,
    String title,
    String titleLink,
    String pretext,
    String text,
    List<Field> fields,
    boolean shortFields,
    String footer,
    String fallback,
    String callbackId,
    String iconEmoji,
    String iconUrl,
    String imageUrl,
    String thumbUrl,
    boolean linkNames,
    List<String> mrkdwnIn,
    List<Action> actions) {

  /** Copies the lists. */
  public SlackConfig {
    fields = List.copyOf(fields);
    mrkdwnIn = List.copyOf(mrkdwnIn);
    actions = List.copyOf(actions);
  }

  /**
   * An attachment field; {@code title} and {@code value} are templates.
   *
   * @param title the field's title
   * @param value the field's value
   * @param isShort {@code short}, or null to take {@code short_fields}
   */
  public record Field(String title, String value, @Nullable Boolean isShort) {}

  /**
   * An attachment action (a button); text fields are templates.
   *
   * @param type {@code type}, e.g. {@code button}
   * @param text {@code text}
   * @param url {@code url}
   * @param style {@code style}
   * @param name {@code name}
   * @param value {@code value}
   * @param confirm {@code confirm}, or null
   */
  public record Action(
      String type,
      String text,
      String url,
      String style,
      String name,
      String value,
      @Nullable Confirm confirm) {}

  /**
   * An action's confirmation dialog.
   *
   * @param title {@code title}
   * @param text {@code text}
   * @param okText {@code ok_text}
   * @param dismissText {@code dismiss_text}
   */
  public record Confirm(String title, String text, String okText, String dismissText) {}
}
