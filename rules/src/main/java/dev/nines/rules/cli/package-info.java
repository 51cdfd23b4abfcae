/** The {@code nines rules} commands; the server module only registers them. */
@NullMarked
package dev.nines.rules.cli;

import org.jspecify.annotations.NullMarked;
