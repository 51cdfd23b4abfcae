package dev.nines.rules;

import java.util.Locale;

/** The state of an alert or an alerting rule, as Prometheus names them. */
public enum AlertState {
  INACTIVE,
  PENDING,
  FIRING;

  /** The lower-case name the API and the {@code alertstate} label use. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
