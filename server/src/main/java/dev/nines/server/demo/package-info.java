/**
 * {@code nines demo}: a synthetic service that Nines scrapes, with an SLO, alerting rules and an
 * error burst, so that a newcomer sees the whole flow in one command.
 */
@NullMarked
package dev.nines.server.demo;

import org.jspecify.annotations.NullMarked;
