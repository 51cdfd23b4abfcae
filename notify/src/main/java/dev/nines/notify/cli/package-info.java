/** The {@code nines notify} commands. */
@NullMarked
package dev.nines.notify.cli;

import org.jspecify.annotations.NullMarked;
