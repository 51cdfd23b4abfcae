/** The alert store: alerts by fingerprint, with Alertmanager's merge and resolve semantics. */
@NullMarked
package dev.nines.notify.alert;

import org.jspecify.annotations.NullMarked;
