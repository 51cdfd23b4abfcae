package dev.nines.promql.parser;

/**
 * A PromQL expression: the closed set of AST nodes the parser produces. {@code toString()} on every
 * node prints canonical PromQL (see {@link Printer}).
 */
public sealed interface Expr
    permits NumberLiteral,
        StringLiteral,
        VectorSelector,
        MatrixSelector,
        SubqueryExpr,
        ParenExpr,
        UnaryExpr,
        BinaryExpr,
        AggregateExpr,
        Call {

  /** The type this expression evaluates to. */
  ValueType type();
}
