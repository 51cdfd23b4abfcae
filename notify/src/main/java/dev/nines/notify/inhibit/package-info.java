/** Inhibition: alerts muted while a matching source alert fires. */
@NullMarked
package dev.nines.notify.inhibit;

import org.jspecify.annotations.NullMarked;
