package dev.nines.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The multi-window, multi-burn-rate alert tiers of the SRE workbook (chapter 5), defined for a base
 * window and scaled to each SLO's window.
 *
 * <p>Defaults, for a 30-day window: page when the burn rate is above 14.4 over 1h and 5m, or above
 * 6 over 6h and 30m; ticket when above 3 over 1d and 2h, or above 1 over 3d and 6h. Each pair
 * spends a fixed share of the budget before it fires (14.4 over 1h of 30 days is 2%).
 *
 * <p>Scaling keeps that share: for an SLO window {@code W}, every long and short window is
 * multiplied by {@code W / baseWindow} and rounded to whole minutes (at least one minute), and the
 * burn-rate factors stay as they are. A 7-day SLO therefore pages at 14.4x over 14m and 1m. Keeping
 * the windows and scaling the factors instead would give factors below 1 for short SLO windows,
 * which alert on a budget that is not running out.
 *
 * @param baseWindow the SLO window the tiers are written for
 * @param page the page tier: any pair firing fires the page alert
 * @param ticket the ticket tier
 * @param noDataFor how long the SLI must be absent before the no-data alert fires
 */
public record AlertTiers(
    Duration baseWindow,
    List<BurnRateWindow> page,
    List<BurnRateWindow> ticket,
    Duration noDataFor) {

  /** The SRE workbook's tiers for a 30-day window, and a 10-minute no-data delay. */
  public static final AlertTiers DEFAULTS =
      new AlertTiers(
          Duration.ofDays(30),
          List.of(
              new BurnRateWindow(14.4, Duration.ofHours(1), Duration.ofMinutes(5)),
              new BurnRateWindow(6, Duration.ofHours(6), Duration.ofMinutes(30))),
          List.of(
              new BurnRateWindow(3, Duration.ofDays(1), Duration.ofHours(2)),
              new BurnRateWindow(1, Duration.ofDays(3), Duration.ofHours(6))),
          Duration.ofMinutes(10));

  /** Creates tiers; lists are copied. */
  public AlertTiers {
    page = List.copyOf(page);
    ticket = List.copyOf(ticket);
  }

  /**
   * One pair of windows: the alert condition holds when the burn rate is above {@code factor} over
   * both the long and the short window.
   *
   * @param factor the burn-rate threshold, positive
   * @param longWindow the window that measures how much budget was spent
   * @param shortWindow the window that makes the alert reset quickly once the burn stops
   */
  public record BurnRateWindow(double factor, Duration longWindow, Duration shortWindow) {
    /** Creates a pair; the factor must be positive and the short window within the long one. */
    public BurnRateWindow {
      if (!(factor > 0)) {
        throw new IllegalArgumentException("burn-rate factor must be positive: " + factor);
      }
      if (shortWindow.compareTo(longWindow) > 0) {
        throw new IllegalArgumentException("short window is longer than the long window");
      }
    }
  }

  /** These tiers for an SLO window of {@code window}, scaled as the class comment describes. */
  public AlertTiers scaledTo(Duration window) {
    if (window.equals(baseWindow)) {
      return this;
    }
    return new AlertTiers(window, scale(page, window), scale(ticket, window), noDataFor);
  }

  private List<BurnRateWindow> scale(List<BurnRateWindow> pairs, Duration window) {
    List<BurnRateWindow> out = new ArrayList<>(pairs.size());
    for (BurnRateWindow p : pairs) {
      out.add(
          new BurnRateWindow(
              p.factor(), scale(p.longWindow(), window), scale(p.shortWindow(), window)));
    }
    return out;
  }

  /** {@code d * window / baseWindow}, rounded to whole minutes, at least one minute. */
  Duration scale(Duration d, Duration window) {
    double scaled = (double) d.toMillis() * window.toMillis() / baseWindow.toMillis();
    long minutes = Math.max(1, Math.round(scaled / 60_000.0));
    return Duration.ofMinutes(minutes);
  }

  /** Every window a tier uses, shortest first. */
  public SortedSet<Duration> windows() {
    SortedSet<Duration> all = new TreeSet<>();
    for (List<BurnRateWindow> tier : List.of(page, ticket)) {
      for (BurnRateWindow p : tier) {
        all.add(p.longWindow());
        all.add(p.shortWindow());
      }
    }
    return all;
  }
}
