/**
 * The subset of Go's {@code text/template} that Prometheus uses in alert labels and annotations: a
 * hand-written lexer and parser ({@link dev.nines.rules.template.Template#parse}) and an evaluator
 * with Prometheus's template functions. See {@code docs/rules.md} for the subset.
 */
@NullMarked
package dev.nines.rules.template;

import org.jspecify.annotations.NullMarked;
