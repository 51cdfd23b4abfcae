package dev.nines.notify.config;

/**
 * One problem in an Alertmanager configuration file, printed as {@code file:line: field: message},
 * e.g. {@code alertmanager.yml:12: route.routes[0].group_wait: "5x" is not a duration}.
 *
 * @param file the file name as given
 * @param line the 1-based line, or 0 when unknown
 * @param field the dotted field path, or empty for the whole file
 * @param message what is wrong
 */
public record ConfigProblem(String file, int line, String field, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
