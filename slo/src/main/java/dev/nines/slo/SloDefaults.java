package dev.nines.slo;

import java.time.Duration;
import java.util.Map;

/**
 * Settings neither spec format carries, applied to every loaded SLO unless an OpenSLO annotation
 * ({@code nines.dev/min-events}, {@code nines.dev/budget-policy}) overrides them.
 *
 * @param tiers the alert tiers, for their base window; each SLO gets them scaled to its own
 * @param minEvents the minimum-events guard of burn-rate alerts; 0 turns it off
 * @param policy the budget policy of SLOs whose service has none of its own
 * @param slothWindow the window of Sloth SLOs, which have none in their spec (Sloth's default is 30
 *     days)
 * @param servicePolicies budget policies per service name; an SLO's own {@code
 *     nines.dev/budget-policy} annotation wins over its service's
 */
public record SloDefaults(
    AlertTiers tiers,
    long minEvents,
    BudgetPolicy policy,
    Duration slothWindow,
    Map<String, BudgetPolicy> servicePolicies) {

  /** Workbook tiers, no minimum-events guard, the default policy, 30-day Sloth windows. */
  public static final SloDefaults DEFAULTS =
      new SloDefaults(AlertTiers.DEFAULTS, 0, BudgetPolicy.DEFAULT, Duration.ofDays(30));

  /** Creates defaults; {@code minEvents} must not be negative; the map is copied. */
  public SloDefaults {
    if (minEvents < 0) {
      throw new IllegalArgumentException("minEvents must not be negative: " + minEvents);
    }
    servicePolicies = Map.copyOf(servicePolicies);
  }

  /** Defaults without per-service policies. */
  public SloDefaults(AlertTiers tiers, long minEvents, BudgetPolicy policy, Duration slothWindow) {
    this(tiers, minEvents, policy, slothWindow, Map.of());
  }

  /** The policy of SLOs of {@code service} that set none themselves. */
  public BudgetPolicy policyFor(String service) {
    return servicePolicies.getOrDefault(service, policy);
  }
}
