/**
 * The alert-hygiene lint over what the server runs: the rule files it loaded (with the
 * SLO-generated groups) and the Alertmanager configuration in force, as the console and {@code
 * /api/nines/v1/hygiene} show it.
 */
@NullMarked
package dev.nines.server.hygiene;

import org.jspecify.annotations.NullMarked;
