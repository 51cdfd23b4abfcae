/**
 * The PromQL front end: lexer, recursive-descent parser, typed AST, type checker and canonical
 * printer, following Prometheus 3.x syntax and parse-time semantics.
 *
 * <p>Entry points: {@link dev.nines.promql.parser.Parser#parse(String)} and {@link
 * dev.nines.promql.parser.Printer#print(Expr)}. Everything in this package is non-null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.promql.parser;

import org.jspecify.annotations.NullMarked;
