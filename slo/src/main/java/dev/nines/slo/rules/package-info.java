/**
 * SLOs into Prometheus rules: {@link dev.nines.slo.rules.RuleGenerator} builds them in the rules
 * module's file model ({@code dev.nines.rules.file}), which the rule manager runs as it is, and
 * {@link dev.nines.slo.rules.RuleFileWriter} prints that model as YAML. The naming scheme is
 * documented in {@code docs/slo.md}.
 */
@NullMarked
package dev.nines.slo.rules;

import org.jspecify.annotations.NullMarked;
