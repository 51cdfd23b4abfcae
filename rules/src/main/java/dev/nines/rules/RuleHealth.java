package dev.nines.rules;

import java.util.Locale;

/** The outcome of a rule's last evaluation: ok, err, or unknown before the first. */
public enum RuleHealth {
  UNKNOWN,
  OK,
  ERR;

  /** The name Prometheus's API uses: {@code ok}, {@code err}, {@code unknown}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
