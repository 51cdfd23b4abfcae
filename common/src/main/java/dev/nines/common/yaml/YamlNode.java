package dev.nines.common.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a YAML document, with the 1-based line it starts on. Spec and rule-file readers walk
 * these rather than binding to classes, so that they can report every problem of a file with its
 * line, not only the first one a binder meets.
 */
public sealed interface YamlNode {

  /** The 1-based line the node starts on. */
  int line();

  /** A short name of the node's kind for messages: "a map", "a list", "a string"... */
  String describe();

  /** A mapping; keys keep their order and their own lines. */
  record YMap(int line, Map<String, Entry> entries) implements YamlNode {
    public YMap {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    @Override
    public String describe() {
      return "a map";
    }
  }

  /** One key of a mapping: the key's line and the value. */
  record Entry(int keyLine, YamlNode value) {}

  /** A sequence. */
  record YList(int line, List<YamlNode> items) implements YamlNode {
    public YList {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A scalar: its text as written and the type YAML gives it. */
  record YScalar(int line, String text, ScalarType type) implements YamlNode {
    @Override
    public String describe() {
      return switch (type) {
        case STRING -> "a string";
        case INTEGER, FLOAT -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "null";
      };
    }
  }

  /** The YAML type of a scalar. */
  enum ScalarType {
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }
}
