/**
 * SLO specifications as Nines models them: {@link dev.nines.slo.Slo} and its parts, read from
 * OpenSLO v1 and Sloth {@code prometheus/v1} files by {@link dev.nines.slo.spec.SpecLoader}, turned
 * into Prometheus rules by {@link dev.nines.slo.rules.RuleGenerator}, and measured by the pure
 * functions of {@link dev.nines.slo.budget}. See {@code docs/slo.md}.
 */
@NullMarked
package dev.nines.slo;

import org.jspecify.annotations.NullMarked;
