/**
 * Reading SLO specification files: a YAML tree that keeps line numbers ({@link
 * dev.nines.slo.spec.YamlTree}), the Sloth and OpenSLO readers, and {@link
 * dev.nines.slo.spec.SpecLoader}, which reads a set of files and reports every problem in them.
 */
@NullMarked
package dev.nines.slo.spec;

import org.jspecify.annotations.NullMarked;
