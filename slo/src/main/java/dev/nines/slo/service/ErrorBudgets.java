package dev.nines.slo.service;

import java.util.List;
import java.util.Optional;

/**
 * The error budgets of the SLOs Nines runs, as later modules read them: deploy gates ask whether a
 * service is frozen, the console lists budgets, reports chart burn-down. Figures are computed from
 * the recorded 5-minute event buckets at the time of the call.
 */
public interface ErrorBudgets {

  /** The status of every loaded SLO, in load order. */
  List<SloStatus> statuses();

  /** The status of the SLO {@code id}, or empty when no SLO has that id. */
  Optional<SloStatus> status(String id);

  /**
   * Budget remaining of the SLO {@code id} at each step from {@code fromMillis} to {@code toMillis}
   * (both included), each point over the SLO's window ending at that step; empty when no SLO has
   * that id.
   *
   * @throws IllegalArgumentException when the step is not positive or the range is reversed
   */
  Optional<BurnDown> burnDown(String id, long fromMillis, long toMillis, long stepMillis);

  /**
   * The budget-policy state of a service: the union of the actions active on its SLOs ({@code
   * freeze} when any of them has spent its budget under the default policy).
   */
  PolicyState servicePolicy(String service);
}
