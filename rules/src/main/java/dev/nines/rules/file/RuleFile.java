package dev.nines.rules.file;

import java.util.List;

/**
 * A loaded, valid rule file.
 *
 * @param path the file as named in configuration (used in errors and the rules API)
 * @param groups the groups, with unique names
 */
public record RuleFile(String path, List<GroupSpec> groups) {
  /** Creates a rule file; the list is copied. */
  public RuleFile {
    groups = List.copyOf(groups);
  }
}
