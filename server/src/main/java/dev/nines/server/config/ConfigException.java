package dev.nines.server.config;

/**
 * A configuration that cannot be used, with the place at fault: the file, the line (0 when not
 * known) and the dotted field path (empty for the file as a whole).
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String field;
  private final String problem;

  public ConfigException(String file, int line, String field, String problem) {
    super(render(file, line, field, problem));
    this.file = file;
    this.line = line;
    this.field = field;
    this.problem = problem;
  }

  private static String render(String file, int line, String field, String problem) {
    StringBuilder out = new StringBuilder(file);
    if (line > 0) {
      out.append(':').append(line);
    }
    out.append(": ");
    if (!field.isEmpty()) {
      out.append(field).append(": ");
    }
    return out.append(problem).toString();
  }

  /** The file the configuration came from, or a flag name such as {@code --listen}. */
  public String file() {
    return file;
  }

  /** The 1-based line of the fault, or 0 when it is not tied to a line. */
  public int line() {
    return line;
  }

  /** The dotted path of the field at fault, such as {@code server.listen}; empty when none. */
  public String field() {
    return field;
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
