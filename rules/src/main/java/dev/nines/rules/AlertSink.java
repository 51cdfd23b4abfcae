package dev.nines.rules;

import java.util.List;

/**
 * Receives firing and resolved alerts after each evaluation of an alerting rule (Prometheus's
 * {@code NotifyFunc}). Implemented by the notify module; a failure is caught, logged and counted by
 * the caller and never stops evaluation.
 */
@FunctionalInterface
public interface AlertSink {
  /** Sends alerts; {@code expr} is the rule's expression. Called only with a non-empty list. */
  void send(String expr, List<OutgoingAlert> alerts);

  /** A sink that drops everything. */
  AlertSink NONE = (expr, alerts) -> {};
}
