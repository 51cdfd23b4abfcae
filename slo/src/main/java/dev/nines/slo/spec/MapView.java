package dev.nines.slo.spec;

import dev.nines.common.PromDuration;
import dev.nines.common.yaml.YamlNode;
import dev.nines.common.yaml.YamlNode.Entry;
import dev.nines.common.yaml.YamlNode.ScalarType;
import dev.nines.common.yaml.YamlNode.YList;
import dev.nines.common.yaml.YamlNode.YMap;
import dev.nines.common.yaml.YamlNode.YScalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A YAML mapping being read as part of a spec: typed getters that report a wrong or missing value
 * to {@link Problems} with the field's line and dotted path, and return null (or a default) so that
 * reading goes on and every problem of a file is found.
 */
final class MapView {
  private final Problems problems;
  private final String path;
  private final YMap map;
  private final int line;

  private MapView(Problems problems, String path, YMap map, int line) {
    this.problems = problems;
    this.path = path;
    this.map = map;
    this.line = line;
  }

  /** A view of {@code node}, or null (after reporting) when it is not a mapping. */
  static @Nullable MapView of(Problems problems, String path, YamlNode node) {
    return of(problems, path, node, node.line());
  }

  /**
   * A view of {@code node} that reports its own problems (a missing field) at {@code line}, the
   * line of the key that holds it.
   */
  static @Nullable MapView of(Problems problems, String path, YamlNode node, int line) {
    if (node instanceof YMap m) {
      return new MapView(problems, path, m, line);
    }
    problems.add(node.line(), path, "expected a map, found " + node.describe());
    return null;
  }

  String path() {
    return path;
  }

  int line() {
    return line;
  }

  Problems problems() {
    return problems;
  }

  /** Reports every key that is not one of {@code known}. */
  MapView known(String... known) {
    Set<String> k = new TreeSet<>(Arrays.asList(known));
    for (Map.Entry<String, Entry> e : map.entries().entrySet()) {
      if (!k.contains(e.getKey())) {
        problems.add(
            e.getValue().keyLine(),
            child(e.getKey()),
            "unknown field; known fields here: " + String.join(", ", k));
      }
    }
    return this;
  }

  boolean has(String key) {
    Entry e = map.entries().get(key);
    return e != null && !(e.value() instanceof YScalar s && s.type() == ScalarType.NULL);
  }

  Set<String> keys() {
    return map.entries().keySet();
  }

  /** The line of {@code key}, or of this map when the key is absent. */
  int line(String key) {
    Entry e = map.entries().get(key);
    return e == null ? line : e.keyLine();
  }

  String child(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  @Nullable YamlNode node(String key) {
    Entry e = map.entries().get(key);
    if (e == null || (e.value() instanceof YScalar s && s.type() == ScalarType.NULL)) {
      return null;
    }
    return e.value();
  }

  void missing(String key) {
    problems.add(line, child(key), "missing; this field is required");
  }

  void problem(String key, String message) {
    problems.add(line(key), child(key), message);
  }

  /** A scalar as text (numbers and booleans as written), or null. */
  @Nullable String string(String key, boolean required) {
    YamlNode n = node(key);
    if (n == null) {
      if (required) {
        missing(key);
      }
      return null;
    }
    if (n instanceof YScalar s) {
      if (required && s.text().isBlank()) {
        problem(key, "must not be empty");
        return null;
      }
      return s.text();
    }
    problem(key, "expected a string, found " + n.describe());
    return null;
  }

  /** A number, or null. */
  @Nullable Double number(String key, boolean required) {
    YamlNode n = node(key);
    if (n == null) {
      if (required) {
        missing(key);
      }
      return null;
    }
    if (n instanceof YScalar s
        && (s.type() == ScalarType.INTEGER || s.type() == ScalarType.FLOAT)) {
      try {
        return Double.parseDouble(s.text());
      } catch (NumberFormatException e) {
        problem(key, "\"" + s.text() + "\" is not a number");
        return null;
      }
    }
    problem(key, "expected a number, found " + n.describe());
    return null;
  }

  /** A boolean, or {@code absent} when the key is not there. */
  boolean bool(String key, boolean absent) {
    YamlNode n = node(key);
    if (n == null) {
      return absent;
    }
    if (n instanceof YScalar s && s.type() == ScalarType.BOOLEAN) {
      return Boolean.parseBoolean(s.text());
    }
    problem(key, "expected true or false, found " + n.describe());
    return absent;
  }

  /** A Prometheus duration such as {@code 5m}, or null. */
  @Nullable Duration promDuration(String key, boolean required) {
    String s = string(key, required);
    if (s == null) {
      return null;
    }
    try {
      Duration d = PromDuration.parse(s);
      if (d.isZero()) {
        problem(key, "must be positive");
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problem(key, "\"" + s + "\" is not a duration such as 5m or 1h30m");
      return null;
    }
  }

  /** A mapping of strings; entries that are not scalars are reported and left out. */
  Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    YamlNode n = node(key);
    if (n == null) {
      return out;
    }
    MapView m = of(problems, child(key), n, line(key));
    if (m == null) {
      return out;
    }
    for (String k : m.keys()) {
      String v = m.string(k, false);
      if (v != null) {
        out.put(k, v);
      } else if (m.node(k) == null) {
        out.put(k, "");
      }
    }
    return out;
  }

  /** A nested mapping, or null. */
  @Nullable MapView map(String key, boolean required) {
    YamlNode n = node(key);
    if (n == null) {
      if (required) {
        missing(key);
      }
      return null;
    }
    return of(problems, child(key), n, line(key));
  }

  /** The line of {@code sub} inside the mapping under {@code key}, or the line of {@code key}. */
  int lineOf(String key, String sub) {
    if (node(key) instanceof YMap m && m.entries().get(sub) != null) {
      return m.entries().get(sub).keyLine();
    }
    return line(key);
  }

  /** The items of a list, each with its path; empty when absent or not a list. */
  List<Item> list(String key, boolean required) {
    YamlNode n = node(key);
    List<Item> out = new ArrayList<>();
    if (n == null) {
      if (required) {
        missing(key);
      }
      return out;
    }
    if (!(n instanceof YList l)) {
      problem(key, "expected a list, found " + n.describe());
      return out;
    }
    for (int i = 0; i < l.items().size(); i++) {
      out.add(new Item(child(key) + "[" + i + "]", l.items().get(i)));
    }
    return out;
  }

  /** A list item and its path. */
  record Item(String path, YamlNode node) {}
}
