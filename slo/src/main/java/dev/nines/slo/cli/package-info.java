/** The {@code nines slo} command line: {@code validate} and {@code generate}. */
@NullMarked
package dev.nines.slo.cli;

import org.jspecify.annotations.NullMarked;
