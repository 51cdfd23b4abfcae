package dev.nines.notify.template;

import dev.nines.common.gotemplate.GoObject;
import java.util.AbstractList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's {@code template.Alerts}: a list of alerts with {@code Firing} and {@code
 * Resolved}.
 */
public final class AlertList extends AbstractList<AlertData> implements GoObject {
  private final List<AlertData> alerts;

  /** A copy of {@code alerts}. */
  public AlertList(List<AlertData> alerts) {
    this.alerts = List.copyOf(alerts);
  }

  @Override
  public AlertData get(int index) {
    return alerts.get(index);
  }

  @Override
  public int size() {
    return alerts.size();
  }

  /** The firing alerts. */
  public AlertList firing() {
    return new AlertList(alerts.stream().filter(a -> a.status().equals("firing")).toList());
  }

  /** The resolved alerts. */
  public AlertList resolved() {
    return new AlertList(alerts.stream().filter(a -> a.status().equals("resolved")).toList());
  }

  @Override
  public @Nullable Object field(String name, List<@Nullable Object> args) {
    return switch (name) {
      case "Firing" -> firing();
      case "Resolved" -> resolved();
      default -> NO_SUCH_FIELD;
    };
  }

  @Override
  public String goTypeName() {
    return "template.Alerts";
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
