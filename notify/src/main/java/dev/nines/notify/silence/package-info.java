/** Silences: persisted, cached, matched and expired on time. */
@NullMarked
package dev.nines.notify.silence;

import org.jspecify.annotations.NullMarked;
