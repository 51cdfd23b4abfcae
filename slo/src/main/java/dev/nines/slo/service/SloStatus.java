package dev.nines.slo.service;

import dev.nines.slo.Slo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One SLO's error budget now.
 *
 * @param slo the SLO
 * @param at when the figures were computed
 * @param windowStart the start of the window the budget is counted over (exclusive)
 * @param good good events (or good slices) in the window
 * @param total all events (or slices) in the window
 * @param errorRatio bad / total over the window; 0 without traffic
 * @param remaining budget remaining: 1 untouched (or no traffic yet), 0 spent, negative overspent
 * @param burnRates the burn rate over each alert window, shortest window first
 * @param currentBurnRate the burn rate time to exhaustion uses: over the page tier's first long
 *     window (1h for a 30-day SLO), or over 5 minutes when that is not recorded; null without data
 * @param timeToExhaustion how long the remaining budget lasts at {@code currentBurnRate}: empty
 *     when not burning, zero when spent
 * @param policy the budget policy's state
 */
public record SloStatus(
    Slo slo,
    Instant at,
    Instant windowStart,
    double good,
    double total,
    double errorRatio,
    double remaining,
    List<WindowBurn> burnRates,
    @Nullable Double currentBurnRate,
    Optional<Duration> timeToExhaustion,
    PolicyState policy) {

  /** Creates a status; the list is copied. */
  public SloStatus {
    burnRates = List.copyOf(burnRates);
  }

  /**
   * The burn rate over one window.
   *
   * @param window the window
   * @param burnRate error ratio over the window / (1 - objective); null when the SLI has no data
   */
  public record WindowBurn(Duration window, @Nullable Double burnRate) {}
}
