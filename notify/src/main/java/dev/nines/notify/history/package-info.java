/** Alert history: every state change of every alert, and the noise report. */
@NullMarked
package dev.nines.notify.history;

import org.jspecify.annotations.NullMarked;
