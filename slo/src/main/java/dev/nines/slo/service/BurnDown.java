package dev.nines.slo.service;

/**
 * The budget remaining of one SLO over time, for charts: at each step, the budget remaining over
 * the SLO's window ending there (for a calendar window, the calendar window holding the step, up to
 * it).
 *
 * @param sloId the SLO
 * @param times step times, milliseconds
 * @param remaining budget remaining at each step: 1 untouched, 0 spent, negative overspent
 * @param errorRatio the error ratio over the window at each step (0 without traffic)
 */
public record BurnDown(String sloId, long[] times, double[] remaining, double[] errorRatio) {}
