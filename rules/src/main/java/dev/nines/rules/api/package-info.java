/**
 * The response objects of {@code GET /api/v1/rules} and {@code GET /api/v1/alerts} in Prometheus's
 * JSON shape (the {@code data} member); the server wraps them in {@code {"status":"success"}} and
 * serialises them with Jackson.
 */
@NullMarked
package dev.nines.rules.api;

import org.jspecify.annotations.NullMarked;
