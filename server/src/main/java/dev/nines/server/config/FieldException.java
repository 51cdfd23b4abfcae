package dev.nines.server.config;

/**
 * A field's value that validation refused; the loader turns it into a {@link ConfigException} with
 * the file and line where the field stands.
 */
public final class FieldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public FieldException(String field, String problem) {
    super(problem);
    this.field = field;
  }

  /** The dotted path of the field at fault. */
  public String field() {
    return field;
  }
}
