/**
 * Prometheus rule files: a small record model ({@link dev.nines.slo.rules.RuleFile}), the writer
 * that prints one as YAML, and {@link dev.nines.slo.rules.RuleGenerator}, which turns SLOs into
 * recording and alerting rules. The naming scheme is documented in {@code docs/slo.md}.
 */
@NullMarked
package dev.nines.slo.rules;

import org.jspecify.annotations.NullMarked;
