package dev.nines.slo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What to do as an SLO's error budget runs out: steps of budget remaining, each with an action. A
 * step is active while the budget remaining is at or below its threshold, so with the default
 * policy ({@code 25% → notify, 0% → freeze}) 30% remaining needs nothing, 10% notifies, and an
 * exhausted budget both notifies and freezes deploys.
 *
 * @param steps the steps, highest threshold first
 */
public record BudgetPolicy(List<Step> steps) {

  /** Notify at 25% of the budget remaining; freeze deploys when it is spent. */
  public static final BudgetPolicy DEFAULT =
      new BudgetPolicy(List.of(new Step(0.25, Action.NOTIFY), new Step(0, Action.FREEZE)));

  /** Creates a policy; the steps are sorted by threshold, highest first. */
  public BudgetPolicy {
    List<Step> sorted = new ArrayList<>(steps);
    sorted.sort(Comparator.comparingDouble(Step::remainingAtMost).reversed());
    steps = List.copyOf(sorted);
  }

  /** An action a policy can take. */
  public enum Action {
    /** Tell the owners; the budget is running low. */
    NOTIFY,
    /** Stop deploys (deploy gates read this) until the budget recovers. */
    FREEZE;

    /** The action's name in specs: {@code notify} or {@code freeze}. */
    public String specName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One step of a policy.
   *
   * @param remainingAtMost the step is active while budget remaining is at or below this ratio
   * @param action what to do
   */
  public record Step(double remainingAtMost, Action action) {}

  /** The actions active at {@code remaining} budget (a ratio; may be negative when overspent). */
  public Set<Action> actionsAt(double remaining) {
    Set<Action> out = EnumSet.noneOf(Action.class);
    for (Step s : steps) {
      if (remaining <= s.remainingAtMost()) {
        out.add(s.action());
      }
    }
    return out;
  }

  /**
   * Parses the compact form used in the {@code nines.dev/budget-policy} annotation and on the
   * command line: {@code 25%:notify,0%:freeze}.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static BudgetPolicy parse(String text) {
    List<Step> steps = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      int colon = p.indexOf(':');
      if (colon < 0 || !p.substring(0, colon).endsWith("%")) {
        throw new IllegalArgumentException(
            "\"" + p + "\" is not a step; expected PERCENT%:ACTION, e.g. 25%:notify");
      }
      double percent;
      try {
        percent = Double.parseDouble(p.substring(0, colon - 1).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + p + "\" does not start with a percentage", e);
      }
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException("\"" + p + "\": percentage must be in [0, 100]");
      }
      String action = p.substring(colon + 1).strip();
      Action a =
          switch (action) {
            case "notify" -> Action.NOTIFY;
            case "freeze" -> Action.FREEZE;
            default ->
                throw new IllegalArgumentException(
                    "\"" + action + "\" is not an action; known actions: freeze, notify");
          };
      steps.add(new Step(percent / 100, a));
    }
    return new BudgetPolicy(steps);
  }
}
