package dev.nines.rules.file;

/**
 * One problem in a rule file, printed as {@code file:line: field: message}, e.g. {@code
 * rules.yml:7: groups[0].rules[1].expr: could not parse expression: 1:5: parse error: ...}.
 *
 * @param file the file name
 * @param line the 1-based line, or 0 when unknown
 * @param field the dotted field path, or empty for the whole file
 * @param message what is wrong
 */
public record RuleProblem(String file, int line, String field, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
