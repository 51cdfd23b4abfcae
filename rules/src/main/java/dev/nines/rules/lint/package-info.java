/**
 * Alert hygiene: a lint on alerting rules from the SRE practice Nines is built on (every alert has
 * a severity; every paging alert has an owner and a runbook). See {@code docs/rules.md}.
 */
@NullMarked
package dev.nines.rules.lint;

import org.jspecify.annotations.NullMarked;
