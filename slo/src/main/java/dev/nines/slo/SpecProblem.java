package dev.nines.slo;

/**
 * One thing wrong with an SLO file, located: {@code checkout.yml:14: slos[0].objective: 100.5 is
 * not a percentage in (0, 100)}.
 *
 * @param file the file as the user named it
 * @param line 1-based line, or 0 when the problem belongs to the whole file
 * @param field the dotted path of the field at fault, e.g. {@code slos[0].objective}; empty when
 *     none applies
 * @param message what is wrong
 */
public record SpecProblem(String file, int line, String field, String message) {
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(file);
    if (line > 0) {
      out.append(':').append(line);
    }
    out.append(": ");
    if (!field.isEmpty()) {
      out.append(field).append(": ");
    }
    return out.append(message).toString();
  }
}
