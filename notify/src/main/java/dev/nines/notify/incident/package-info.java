/**
 * Incident links: which incident an alert occurrence led to, given with an acknowledgement or
 * later, and read by the noise report.
 */
@NullMarked
package dev.nines.notify.incident;

import org.jspecify.annotations.NullMarked;
