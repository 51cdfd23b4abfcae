package dev.nines.common.gotemplate;

/**
 * A template that does not parse, or that fails while it is executed. The message reads like Go's
 * {@code text/template} errors: {@code template: NAME:LINE: problem}.
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;

  /** A failure at a 1-based line of the template text. */
  public TemplateException(String name, int line, String problem) {
    super("template: " + name + ":" + line + ": " + problem, null, false, false);
    this.line = line;
  }

  /** The 1-based line of the template text at fault. */
  public int line() {
    return line;
  }
}
