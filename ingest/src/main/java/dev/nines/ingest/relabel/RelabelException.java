package dev.nines.ingest.relabel;

/** A relabel configuration that Prometheus would refuse; the message names the field at fault. */
public final class RelabelException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /** A refusal of {@code field} (a relabel config key such as {@code modulus}). */
  public RelabelException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The relabel config key at fault ({@code regex}, {@code target_label}, ...). */
  public String field() {
    return field;
  }
}
