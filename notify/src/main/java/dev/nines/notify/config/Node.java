package dev.nines.notify.config;

import dev.nines.common.PromDuration;
import dev.nines.common.yaml.YamlNode;
import dev.nines.common.yaml.YamlNode.Entry;
import dev.nines.common.yaml.YamlNode.ScalarType;
import dev.nines.common.yaml.YamlNode.YList;
import dev.nines.common.yaml.YamlNode.YMap;
import dev.nines.common.yaml.YamlNode.YScalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A YAML mapping being read, with its field path: typed getters that report a problem (with line
 * and path) and return null rather than throw, so that one pass finds every problem.
 */
final class Node {
  /** Where problems go. */
  static final class Problems {
    final String file;
    final List<ConfigProblem> list = new ArrayList<>();

    /** Fields written as templates, checked once the template files are loaded. */
    final List<TemplateField> templates = new ArrayList<>();

    Problems(String file) {
      this.file = file;
    }

    void add(int line, String field, String message) {
      list.add(new ConfigProblem(file, line, field, message));
    }
  }

  /** A field holding a template: where it is and its text. */
  record TemplateField(int line, String path, String text) {}

  final Problems problems;
  final String path;
  final YMap map;

  private Node(Problems problems, String path, YMap map) {
    this.problems = problems;
    this.path = path;
    this.map = map;
  }

  /**
   * Reads {@code value} as a map at {@code path}, reporting unknown keys; {@code unsupported} keys
   * are Alertmanager's but not Nines's and are reported as such. Null when it is not a map.
   */
  static @Nullable Node of(
      Problems problems, String path, YamlNode value, Set<String> known, Set<String> unsupported) {
    if (!(value instanceof YMap m)) {
      if (!isNull(value)) {
        problems.add(value.line(), path, "expected a map, got " + value.describe());
      }
      return null;
    }
    Node n = new Node(problems, path, m);
    for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
      String k = e.getKey();
      if (unsupported.contains(k)) {
        problems.add(
            e.getValue().keyLine(),
            n.path(k),
            "not supported by Nines (see docs/compatibility.md)");
      } else if (!known.contains(k)) {
        problems.add(
            e.getValue().keyLine(),
            n.path(k),
            "unknown field; known fields here: " + String.join(", ", new TreeSet<>(known)));
      }
    }
    return n;
  }

  static boolean isNull(YamlNode n) {
    return n instanceof YScalar s && s.type() == ScalarType.NULL;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    Entry e = map.entries().get(key);
    return e != null && !isNull(e.value());
  }

  int line(String key) {
    Entry e = map.entries().get(key);
    return e == null ? map.line() : e.keyLine();
  }

  void add(String key, String message) {
    problems.add(line(key), path(key), message);
  }

  @Nullable YamlNode value(String key) {
    Entry e = map.entries().get(key);
    return e == null || isNull(e.value()) ? null : e.value();
  }

  /** A scalar as text (numbers and booleans as written), or null when absent. */
  @Nullable String string(String key) {
    YamlNode v = value(key);
    if (v == null) {
      return null;
    }
    if (v instanceof YScalar s) {
      return s.text();
    }
    add(key, "expected a string, got " + v.describe());
    return null;
  }

  String string(String key, String dflt) {
    String s = string(key);
    return s == null ? dflt : s;
  }

  /** A field that is a template: its text, or {@code dflt}; a given text is checked later. */
  String tpl(String key, String dflt) {
    String s = string(key);
    if (s == null) {
      return dflt;
    }
    problems.templates.add(new TemplateField(line(key), path(key), s));
    return s;
  }

  @Nullable Duration duration(String key) {
    String s = string(key);
    if (s == null) {
      return null;
    }
    try {
      return PromDuration.parse(s);
    } catch (IllegalArgumentException e) {
      add(key, "\"" + s + "\" is not a duration");
      return null;
    }
  }

  @Nullable Boolean bool(String key) {
    YamlNode v = value(key);
    if (v == null) {
      return null;
    }
    if (v instanceof YScalar s && s.type() == ScalarType.BOOLEAN) {
      return Boolean.parseBoolean(s.text());
    }
    add(key, "expected true or false, got " + v.describe());
    return null;
  }

  boolean bool(String key, boolean dflt) {
    Boolean b = bool(key);
    return b == null ? dflt : b;
  }

  long nonNegativeLong(String key, long dflt) {
    YamlNode v = value(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof YScalar s && s.type() == ScalarType.INTEGER) {
      try {
        long l = Long.parseLong(s.text());
        if (l >= 0) {
          return l;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    add(key, "expected a whole number of 0 or more, got " + describe(v));
    return dflt;
  }

  /** A list of scalars as text; each item's line is in {@code lines} when given. */
  List<String> strings(String key, @Nullable List<Integer> lines) {
    List<String> out = new ArrayList<>();
    YamlNode v = value(key);
    if (v == null) {
      return out;
    }
    if (!(v instanceof YList l)) {
      add(key, "expected a list, got " + v.describe());
      return out;
    }
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      if (item instanceof YScalar s && s.type() != ScalarType.NULL) {
        out.add(s.text());
        if (lines != null) {
          lines.add(item.line());
        }
      } else {
        problems.add(
            item.line(), path(key) + "[" + i + "]", "expected a string, got " + item.describe());
      }
    }
    return out;
  }

  /** A map of scalars as text, in file order; each key's line is in {@code lines} when given. */
  Map<String, String> stringMap(String key, @Nullable Map<String, Integer> lines) {
    Map<String, String> out = new LinkedHashMap<>();
    YamlNode v = value(key);
    if (v == null) {
      return out;
    }
    if (!(v instanceof YMap m)) {
      add(key, "expected a map, got " + v.describe());
      return out;
    }
    for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
      YamlNode item = e.getValue().value();
      if (item instanceof YScalar s && s.type() != ScalarType.NULL) {
        out.put(e.getKey(), s.text());
        if (lines != null) {
          lines.put(e.getKey(), e.getValue().keyLine());
        }
      } else {
        problems.add(
            e.getValue().keyLine(),
            path(key) + "." + e.getKey(),
            "expected a string, got " + item.describe());
      }
    }
    return out;
  }

  /** A nested map, or null when absent or not a map (reported). */
  @Nullable Node child(String key, Set<String> known, Set<String> unsupported) {
    YamlNode v = value(key);
    return v == null ? null : of(problems, path(key), v, known, unsupported);
  }

  /** The items of a list; an absent key is an empty list. */
  List<YamlNode> items(String key) {
    YamlNode v = value(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof YList l) {
      return l.items();
    }
    add(key, "expected a list, got " + v.describe());
    return List.of();
  }

  private static String describe(YamlNode v) {
    return v instanceof YScalar s && s.type() != ScalarType.NULL
        ? "\"" + s.text() + "\""
        : v.describe();
  }
}
