package dev.nines.ingest.scrape;

/**
 * A scrape configuration that cannot be used, with the path of the field at fault ({@code
 * scrape_configs[0].kubernetes_sd_configs}) and the problem.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  /** A problem with the field at {@code field} (a dotted path with list indexes). */
  public ConfigException(String field, String problem) {
    super(field.isEmpty() ? problem : field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The path of the field at fault, such as {@code scrape_configs[1].scrape_timeout}. */
  public String field() {
    return field;
  }

  /** The problem, without the path. */
  public String problem() {
    return problem;
  }
}
