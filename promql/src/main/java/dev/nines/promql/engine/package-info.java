/**
 * The PromQL evaluation engine: {@link dev.nines.promql.engine.Engine} runs instant and range
 * queries against a {@link dev.nines.tsdb.storage.Queryable} with Prometheus 3.x semantics for
 * float samples, and returns a {@link dev.nines.promql.engine.Result} with Prometheus's warnings
 * and infos.
 *
 * <p>Everything in this package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.promql.engine;

import org.jspecify.annotations.NullMarked;
