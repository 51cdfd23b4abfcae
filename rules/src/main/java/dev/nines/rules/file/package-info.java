/**
 * Prometheus rule files: the model ({@link dev.nines.rules.file.RuleFile}, {@link
 * dev.nines.rules.file.GroupSpec}, {@link dev.nines.rules.file.RuleSpec}) and the strict loader
 * ({@link dev.nines.rules.file.RuleFileLoader}) that reports every problem with file, line and
 * field.
 */
@NullMarked
package dev.nines.rules.file;

import org.jspecify.annotations.NullMarked;
