package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoObject;
import dev.nines.notify.Notification;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The data notification templates are executed with, as Alertmanager's {@code template.Data}:
 * {@code .Receiver}, {@code .Status}, {@code .Alerts} (with {@code .Firing} and {@code .Resolved}),
 * {@code .GroupLabels}, {@code .CommonLabels}, {@code .CommonAnnotations} and {@code .ExternalURL}.
 * As in Alertmanager, {@code .Receiver} is the receiver's name with regular-expression
 * metacharacters escaped (it is meant for a link's filter).
 *
 * @param receiver the receiver's name, regex-quoted
 * @param status {@code firing} or {@code resolved}
 * @param alerts all alerts of the notification
 * @param groupLabels the group's labels
 * @param commonLabels labels every alert has with the same value
 * @param commonAnnotations annotations every alert has with the same value
 * @param externalUrl the external URL
 */
public record TemplateData(
    String receiver,
    String status,
    AlertList alerts,
    KV groupLabels,
    KV commonLabels,
    KV commonAnnotations,
    String externalUrl)
    implements GoObject {

  /** The data of a notification. */
  public static TemplateData of(Notification n) {
    Map<String, String> group = new TreeMap<>();
    n.groupLabels().forEach(group::put);
    return new TemplateData(
        quoteMeta(n.receiver()),
        n.status(),
        new AlertList(n.alerts().stream().map(a -> AlertData.of(a, n.now())).toList()),
        new KV(group),
        new KV(n.commonLabels()),
        new KV(n.commonAnnotations()),
        n.externalUrl());
  }

  /** Go's {@code regexp.QuoteMeta}. */
  static String quoteMeta(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) {
    return switch (name) {
      case "Receiver" -> receiver;
      case "Status" -> status;
      case "Alerts" -> alerts;
      case "GroupLabels" -> groupLabels;
      case "CommonLabels" -> commonLabels;
      case "CommonAnnotations" -> commonAnnotations;
      case "ExternalURL" -> externalUrl;
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "template.Data";
  }
}
