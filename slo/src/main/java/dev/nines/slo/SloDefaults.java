package dev.nines.slo;

/**
 * Settings neither spec format carries, applied to every loaded SLO unless an OpenSLO annotation
 * ({@code nines.dev/min-events}, {@code nines.dev/budget-policy}) overrides them.
 *
 * @param tiers the alert tiers, for their base window; each SLO gets them scaled to its own
 * @param minEvents the minimum-events guard of burn-rate alerts; 0 turns it off
 * @param policy the budget policy
 * @param slothWindow the window of Sloth SLOs, which have none in their spec (Sloth's default is 30
 *     days)
 */
public record SloDefaults(
    AlertTiers tiers, long minEvents, BudgetPolicy policy, java.time.Duration slothWindow) {

  /** Workbook tiers, no minimum-events guard, the default policy, 30-day Sloth windows. */
  public static final SloDefaults DEFAULTS =
      new SloDefaults(AlertTiers.DEFAULTS, 0, BudgetPolicy.DEFAULT, java.time.Duration.ofDays(30));

  /** Creates defaults; {@code minEvents} must not be negative. */
  public SloDefaults {
    if (minEvents < 0) {
      throw new IllegalArgumentException("minEvents must not be negative: " + minEvents);
    }
  }
}
