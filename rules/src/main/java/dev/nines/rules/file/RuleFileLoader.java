package dev.nines.rules.file;

import dev.nines.common.PromDuration;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.common.yaml.YamlNode;
import dev.nines.common.yaml.YamlNode.Entry;
import dev.nines.common.yaml.YamlNode.ScalarType;
import dev.nines.common.yaml.YamlNode.YList;
import dev.nines.common.yaml.YamlNode.YMap;
import dev.nines.common.yaml.YamlNode.YScalar;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.ParseException;
import dev.nines.promql.parser.Parser;
import dev.nines.promql.parser.ValueType;
import dev.nines.rules.template.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads Prometheus rule files strictly and reports every problem, each with file, line and field
 * ({@code rules.yml:12: groups[0].rules[2].expr: could not parse expression: ...}).
 *
 * <p>The checks are those of Prometheus's {@code rulefmt} and {@code promtool check rules}: unknown
 * fields, missing or duplicate group names, exactly one of {@code record}/{@code alert}, {@code
 * expr} required and parsed, recording rule names valid metric names, label and annotation names
 * valid label names, {@code for}, {@code keep_firing_for} and {@code annotations} only on alerting
 * rules, and label and annotation templates parsed. Nines adds one check Prometheus leaves to
 * evaluation time: an expression must return an instant vector or a scalar (a range vector or
 * string can never be a rule's result).
 */
public final class RuleFileLoader {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> GROUP_FIELDS =
      Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
  private static final Set<String> RULE_FIELDS =
      Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

  private RuleFileLoader() {}

  /** The outcome of loading one file: the file when there is no problem, and the problems. */
  public record Result(@Nullable RuleFile file, List<RuleProblem> problems) {
    /** Creates a result; the list is copied. */
    public Result {
      problems = List.copyOf(problems);
    }

    /** Whether the file loaded without problems. */
    public boolean ok() {
      return problems.isEmpty();
    }

    /** The number of rules in the file (0 when it did not load). */
    public int ruleCount() {
      return file == null ? 0 : file.groups().stream().mapToInt(g -> g.rules().size()).sum();
    }
  }

  /** Loads and checks a file. */
  public static Result load(Path path) {
    String name = path.toString();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Result(null, List.of(new RuleProblem(name, 0, "", "no such file")));
    } catch (IOException e) {
      return new Result(
          null, List.of(new RuleProblem(name, 0, "", "cannot read: " + e.getMessage())));
    }
    return parse(name, text);
  }

  /**
   * Loads several files; any problem in any of them fails the whole set.
   *
   * @throws RuleFileException with every problem of every file
   */
  public static List<RuleFile> loadAll(List<Path> paths) throws RuleFileException {
    List<RuleFile> files = new ArrayList<>();
    List<RuleProblem> problems = new ArrayList<>();
    for (Path p : paths) {
      Result r = load(p);
      problems.addAll(r.problems());
      if (r.file() != null) {
        files.add(r.file());
      }
    }
    if (!problems.isEmpty()) {
      throw new RuleFileException(problems);
    }
    return files;
  }

  /** Parses and checks YAML text; {@code name} is used in problems and as the file's path. */
  public static Result parse(String name, String text) {
    Checker c = new Checker(name);
    List<YamlTree.Duplicate> duplicates = new ArrayList<>();
    List<YamlNode> docs;
    try {
      docs = YamlTree.parse(text, duplicates);
    } catch (YamlTree.SyntaxException e) {
      return new Result(null, List.of(new RuleProblem(name, e.line(), "", e.getMessage())));
    }
    for (YamlTree.Duplicate d : duplicates) {
      c.add(d.line(), d.key(), "duplicate key");
    }
    List<GroupSpec> groups = new ArrayList<>();
    if (docs.size() > 1) {
      c.add(docs.get(1).line(), "", "a rule file holds one YAML document; found more");
    }
    if (!docs.isEmpty()) {
      YamlNode root = docs.get(0);
      if (root instanceof YMap m) {
        for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
          if (!e.getKey().equals("groups")) {
            c.add(e.getValue().keyLine(), e.getKey(), "unknown field; known fields here: groups");
          }
        }
        Entry g = m.entries().get("groups");
        if (g != null) {
          if (g.value() instanceof YList list) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.items().size(); i++) {
              GroupSpec group = c.group("groups[" + i + "]", list.items().get(i), names);
              if (group != null) {
                groups.add(group);
              }
            }
          } else if (!isNull(g.value())) {
            c.add(g.keyLine(), "groups", "expected a list, got " + g.value().describe());
          }
        }
      } else if (!isNull(root)) {
        c.add(root.line(), "", "expected a map with \"groups\", got " + root.describe());
      }
    }
    if (!c.problems.isEmpty()) {
      return new Result(null, c.problems);
    }
    return new Result(new RuleFile(name, groups), List.of());
  }

  private static boolean isNull(YamlNode n) {
    return n instanceof YScalar s && s.type() == ScalarType.NULL;
  }

  private static final class Checker {
    private final String file;
    private final List<RuleProblem> problems = new ArrayList<>();

    Checker(String file) {
      this.file = file;
    }

    void add(int line, String field, String message) {
      problems.add(new RuleProblem(file, line, field, message));
    }

    @Nullable GroupSpec group(String path, YamlNode node, Set<String> names) {
      if (!(node instanceof YMap m)) {
        add(node.line(), path, "expected a map, got " + node.describe());
        return null;
      }
      int before = problems.size();
      unknown(path, m, GROUP_FIELDS);
      String name = string(path, m, "name");
      if (name == null || name.isEmpty()) {
        add(m.line(), path + ".name", "groupname must not be empty");
      } else if (!names.add(name)) {
        add(
            m.entries().get("name").keyLine(),
            path + ".name",
            "groupname: \"" + name + "\" is repeated in the same file");
      }
      Duration interval = duration(path, m, "interval");
      Duration offset = duration(path, m, "query_offset");
      int limit = 0;
      Entry le = m.entries().get("limit");
      if (le != null && !isNull(le.value())) {
        if (le.value() instanceof YScalar s && s.type() == ScalarType.INTEGER) {
          try {
            limit = Integer.parseInt(s.text());
          } catch (NumberFormatException e) {
            add(le.keyLine(), path + ".limit", "\"" + s.text() + "\" is out of range");
          }
        } else {
          add(
              le.keyLine(),
              path + ".limit",
              "expected a whole number, got " + le.value().describe());
        }
      }
      Map<String, String> labels = labelMap(path, m, "labels", null);
      List<RuleSpec> rules = new ArrayList<>();
      Entry re = m.entries().get("rules");
      if (re != null && !isNull(re.value())) {
        if (re.value() instanceof YList list) {
          for (int i = 0; i < list.items().size(); i++) {
            RuleSpec r = rule(path + ".rules[" + i + "]", list.items().get(i));
            if (r != null) {
              rules.add(r);
            }
          }
        } else {
          add(re.keyLine(), path + ".rules", "expected a list, got " + re.value().describe());
        }
      }
      if (problems.size() > before) {
        return null;
      }
      return new GroupSpec(name, interval, limit, offset, labels, rules, m.line());
    }

    @Nullable RuleSpec rule(String path, YamlNode node) {
      if (!(node instanceof YMap m)) {
        add(node.line(), path, "expected a map, got " + node.describe());
        return null;
      }
      int before = problems.size();
      unknown(path, m, RULE_FIELDS);
      String record = string(path, m, "record");
      String alert = string(path, m, "alert");
      boolean isRecord = record != null && !record.isEmpty();
      boolean isAlert = alert != null && !alert.isEmpty();
      if (isRecord && isAlert) {
        add(m.line(), path, "only one of 'record' and 'alert' must be set");
      } else if (!isRecord && !isAlert) {
        add(m.line(), path, "one of 'record' or 'alert' must be set");
      }
      Entry exprEntry = m.entries().get("expr");
      String expr = string(path, m, "expr");
      if (expr == null || expr.isBlank()) {
        add(
            exprEntry == null ? m.line() : exprEntry.keyLine(),
            path + ".expr",
            "field 'expr' must be set in rule");
      } else {
        checkExpr(path + ".expr", exprEntry, expr);
      }
      Duration forDuration = duration(path, m, "for");
      Duration keepFiringFor = duration(path, m, "keep_firing_for");
      Map<String, String> labels = labelMap(path, m, "labels", isAlert && !isRecord ? alert : null);
      Map<String, String> annotations =
          labelMap(path, m, "annotations", isAlert && !isRecord ? alert : null);
      if (isRecord && !isAlert) {
        for (String f : List.of("for", "keep_firing_for", "annotations")) {
          if (m.entries().containsKey(f)) {
            add(
                m.entries().get(f).keyLine(),
                path + "." + f,
                "invalid field '" + f + "' in recording rule");
          }
        }
        if (!METRIC_NAME.matcher(record).matches()) {
          add(
              m.entries().get("record").keyLine(),
              path + ".record",
              "invalid recording rule name: " + record);
        }
      }
      if (problems.size() > before) {
        return null;
      }
      if (isRecord) {
        return new RuleSpec.Recording(record, expr, labels, m.line());
      }
      return new RuleSpec.Alerting(
          alert,
          expr,
          forDuration == null ? Duration.ZERO : forDuration,
          keepFiringFor == null ? Duration.ZERO : keepFiringFor,
          labels,
          annotations,
          m.line());
    }

    private void checkExpr(String field, Entry entry, String expr) {
      try {
        Expr e = Parser.parse(expr);
        if (e.type() != ValueType.VECTOR && e.type() != ValueType.SCALAR) {
          add(
              entry.keyLine(),
              field,
              "rule expression must return an instant vector or a scalar, got "
                  + e.type().documentedName());
        }
      } catch (ParseException e) {
        int line = entry.keyLine() + e.line() - 1 + (expr.contains("\n") ? 1 : 0);
        add(line, field, "could not parse expression: " + e.getMessage());
      }
    }

    private void unknown(String path, YMap m, Set<String> known) {
      for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
        if (!known.contains(e.getKey())) {
          add(
              e.getValue().keyLine(),
              path + "." + e.getKey(),
              "unknown field; known fields here: "
                  + String.join(", ", known.stream().sorted().toList()));
        }
      }
    }

    private @Nullable String string(String path, YMap m, String key) {
      Entry e = m.entries().get(key);
      if (e == null || isNull(e.value())) {
        return null;
      }
      if (e.value() instanceof YScalar s) {
        return s.text();
      }
      add(e.keyLine(), path + "." + key, "expected a string, got " + e.value().describe());
      return null;
    }

    private @Nullable Duration duration(String path, YMap m, String key) {
      String text = string(path, m, key);
      if (text == null) {
        return null;
      }
      try {
        return PromDuration.parse(text);
      } catch (IllegalArgumentException e) {
        add(
            m.entries().get(key).keyLine(),
            path + "." + key,
            "not a valid duration string: \"" + text + "\"");
        return null;
      }
    }

    private Map<String, String> labelMap(
        String path, YMap m, String key, @Nullable String alertName) {
      Map<String, String> out = new LinkedHashMap<>();
      Entry e = m.entries().get(key);
      if (e == null || isNull(e.value())) {
        return out;
      }
      if (!(e.value() instanceof YMap map)) {
        add(e.keyLine(), path + "." + key, "expected a map, got " + e.value().describe());
        return out;
      }
      boolean annotations = key.equals("annotations");
      for (Map.Entry<String, Entry> le : map.entries().entrySet()) {
        String name = le.getKey();
        String field = path + "." + key + "." + name;
        int line = le.getValue().keyLine();
        if (!LABEL_NAME.matcher(name).matches()) {
          add(line, field, "invalid " + (annotations ? "annotation" : "label") + " name: " + name);
          continue;
        }
        if (!annotations && name.equals("__name__")) {
          add(line, field, "invalid label name: " + name);
          continue;
        }
        String value;
        if (le.getValue().value() instanceof YScalar s) {
          value = s.text();
        } else {
          add(line, field, "expected a string, got " + le.getValue().value().describe());
          continue;
        }
        if (alertName != null) {
          try {
            Template.parse("__alert_" + alertName, value);
          } catch (TemplateException ex) {
            add(line + ex.line() - 1, field, ex.getMessage());
            continue;
          }
        }
        out.put(name, value);
      }
      return out;
    }
  }
}
