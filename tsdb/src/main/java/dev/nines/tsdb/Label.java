package dev.nines.tsdb;

import java.util.Objects;

/** One label of a series: a name and a value, both UTF-8 text. */
public record Label(String name, String value) {
  /** Creates a label; neither part may be null. */
  public Label {
    Objects.requireNonNull(name, "label name");
    Objects.requireNonNull(value, "label value");
  }
}
