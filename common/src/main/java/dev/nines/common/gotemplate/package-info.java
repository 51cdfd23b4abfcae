/**
 * Go's {@code text/template}, the subset that Prometheus rule templates and Alertmanager
 * notification templates use: a hand-written lexer and parser, {@code define}/{@code
 * template}/{@code block} namespaces ({@link dev.nines.common.gotemplate.TemplateSet}), an executor
 * ({@link dev.nines.common.gotemplate.GoTemplate}) with pluggable functions ({@link
 * dev.nines.common.gotemplate.FunctionTable}), and Go's {@code fmt} formatting ({@link
 * dev.nines.common.gotemplate.GoFormat}).
 */
@NullMarked
package dev.nines.common.gotemplate;

import org.jspecify.annotations.NullMarked;
