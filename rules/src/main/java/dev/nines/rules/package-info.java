/**
 * Rule evaluation: {@link dev.nines.rules.RuleManager} owns the rule groups read from Prometheus
 * rule files ({@link dev.nines.rules.file}), evaluates each group on its own schedule, writes
 * recording-rule results and the {@code ALERTS}/{@code ALERTS_FOR_STATE} series through the storage
 * seam, keeps alert state, and hands alerts to an {@link dev.nines.rules.AlertSink}. See {@code
 * docs/rules.md}.
 */
@NullMarked
package dev.nines.rules;

import org.jspecify.annotations.NullMarked;
