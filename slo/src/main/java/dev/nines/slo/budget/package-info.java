/**
 * Error-budget maths as pure functions over event buckets, following the SRE workbook's
 * definitions: {@link dev.nines.slo.budget.BudgetMath} for ratios, burn rates, budget remaining and
 * time to exhaustion; {@link dev.nines.slo.budget.Timeslices} for time-slice budgets; {@link
 * dev.nines.slo.budget.CalendarWindows} for calendar-aligned windows in a time zone.
 */
@NullMarked
package dev.nines.slo.budget;

import org.jspecify.annotations.NullMarked;
