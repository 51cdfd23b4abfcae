package dev.nines.slo.service;

import dev.nines.slo.BudgetPolicy;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The actions a budget policy takes now.
 *
 * @param policy the policy in force
 * @param active the actions whose threshold the budget remaining is at or below
 */
public record PolicyState(BudgetPolicy policy, Set<BudgetPolicy.Action> active) {
  /** Creates a state; the set is copied. */
  public PolicyState {
    active =
        Collections.unmodifiableSet(
            active.isEmpty() ? EnumSet.noneOf(BudgetPolicy.Action.class) : EnumSet.copyOf(active));
  }

  /** The state of {@code policy} at {@code remaining} budget. */
  public static PolicyState at(BudgetPolicy policy, double remaining) {
    return new PolicyState(policy, policy.actionsAt(remaining));
  }

  /** Whether deploys are frozen. */
  public boolean frozen() {
    return active.contains(BudgetPolicy.Action.FREEZE);
  }
}
