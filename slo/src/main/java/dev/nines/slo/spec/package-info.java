/**
 * Reading SLO specification files: common's line-keeping YAML reader ({@link
 * dev.nines.common.yaml.YamlReader}), the Sloth and OpenSLO readers, and {@link
 * dev.nines.slo.spec.SpecLoader}, which reads a set of files and reports every problem in them.
 */
@NullMarked
package dev.nines.slo.spec;

import org.jspecify.annotations.NullMarked;
