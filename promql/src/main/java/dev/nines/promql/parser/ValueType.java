package dev.nines.promql.parser;

/** The type a PromQL expression evaluates to, with the names Prometheus uses for it. */
public enum ValueType {
  SCALAR("scalar", "scalar"),
  VECTOR("instant vector", "vector"),
  MATRIX("range vector", "matrix"),
  STRING("string", "string");

  private final String documentedName;
  private final String internalName;

  ValueType(String documentedName, String internalName) {
    this.documentedName = documentedName;
    this.internalName = internalName;
  }

  /** The name the documentation and most error messages use, such as {@code instant vector}. */
  public String documentedName() {
    return documentedName;
  }

  /** The short name Prometheus uses in API results and a few messages, such as {@code matrix}. */
  public String internalName() {
    return internalName;
  }
}
