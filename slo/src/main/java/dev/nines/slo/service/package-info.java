/**
 * SLOs at run time: the loaded set, their budgets read from the recorded event buckets, budget
 * policy state, and the backfill of buckets for a new SLO. {@link
 * dev.nines.slo.service.ErrorBudgets} is the interface later modules (deploy gates, the console,
 * reports) read.
 */
@NullMarked
package dev.nines.slo.service;

import org.jspecify.annotations.NullMarked;
