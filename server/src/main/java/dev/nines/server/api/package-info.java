/**
 * The Prometheus HTTP query API at Prometheus's own paths and JSON shapes: {@link
 * dev.nines.server.api.PromApiRoutes} registers {@code /api/v1/query}, {@code query_range}, {@code
 * series}, {@code labels}, {@code label/<name>/values}, {@code metadata}, {@code parse_query},
 * {@code format_query} and the status endpoints, over the PromQL engine and the storage seam.
 *
 * <p>Everything in this package is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.server.api;

import org.jspecify.annotations.NullMarked;
