package dev.nines.rules.template;

import dev.nines.rules.template.Node.Action;
import dev.nines.rules.template.Node.Arg;
import dev.nines.rules.template.Node.Control;
import dev.nines.rules.template.Node.DotArg;
import dev.nines.rules.template.Node.FuncArg;
import dev.nines.rules.template.Node.Literal;
import dev.nines.rules.template.Node.Pipe;
import dev.nines.rules.template.Node.PipeArg;
import dev.nines.rules.template.Node.Text;
import dev.nines.rules.template.Node.VarArg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A parsed alert template: Go {@code text/template} syntax with Prometheus's functions and its
 * predefined variables {@code $labels}, {@code $externalLabels}, {@code $externalURL} and {@code
 * $value}. Parse once ({@link #parse}), execute per alert ({@link #execute}). Immutable and
 * thread-safe.
 *
 * <p>Execution follows Go's semantics where the subset reaches: {@code missingkey=zero} (a missing
 * label is the empty string), truth of empty values, pipelines passing the previous value as the
 * last argument, {@code range} over query results and label maps (keys sorted).
 */
public final class Template {
  private static final Set<String> PREDEFINED =
      Set.of("labels", "externalLabels", "externalURL", "value");

  /** Runs a PromQL instant query for the {@code query} function, at the evaluation time. */
  @FunctionalInterface
  public interface QueryFunc {
    /**
     * The query's result as samples.
     *
     * @throws Exception with a message when the query fails
     */
    List<TemplateSample> query(String expr) throws Exception;
  }

  private final String name;
  private final String text;
  private final List<Node> nodes;

  private Template(String name, String text, List<Node> nodes) {
    this.name = name;
    this.text = text;
    this.nodes = nodes;
  }

  /**
   * Parses a template.
   *
   * @param name the name used in errors, e.g. {@code __alert_HighLatency}
   * @throws TemplateException when it does not parse, uses an unknown function or an undefined
   *     variable
   */
  public static Template parse(String name, String text) throws TemplateException {
    return new Template(name, text, List.copyOf(TemplateParser.parse(name, text, PREDEFINED)));
  }

  /** The template's source text. */
  public String text() {
    return text;
  }

  /** Whether the text has no actions, so that executing it returns it unchanged. */
  public boolean isConstant() {
    return nodes.stream().allMatch(n -> n instanceof Text);
  }

  /**
   * Executes the template.
   *
   * @param query runs {@code query "..."} calls
   * @throws TemplateException when a function fails, a field does not exist or a query fails
   */
  public String execute(TemplateData data, QueryFunc query) throws TemplateException {
    Map<String, Object> dot = new LinkedHashMap<>();
    dot.put("Labels", data.labels());
    dot.put("ExternalLabels", data.externalLabels());
    dot.put("ExternalURL", data.externalUrl());
    dot.put("Value", data.value());
    Map<String, @Nullable Object> vars = new HashMap<>();
    vars.put("", dot);
    vars.put("labels", data.labels());
    vars.put("externalLabels", data.externalLabels());
    vars.put("externalURL", data.externalUrl());
    vars.put("value", data.value());
    Exec exec = new Exec(query, data.externalUrl());
    StringBuilder out = new StringBuilder();
    exec.walk(nodes, dot, vars, out);
    return out.toString();
  }

  /** Go's truth: false, zero, nil and empty strings, lists and maps are false. */
  static boolean truth(@Nullable Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case String s -> !s.isEmpty();
      case Long l -> l != 0;
      case Double d -> d != 0;
      case List<?> l -> !l.isEmpty();
      case Map<?, ?> m -> !m.isEmpty();
      default -> true;
    };
  }

  private final class Exec implements Functions.Context {
    private final QueryFunc query;
    private final String externalUrl;

    Exec(QueryFunc query, String externalUrl) {
      this.query = query;
      this.externalUrl = externalUrl;
    }

    @Override
    public List<TemplateSample> query(String expr) throws Exception {
      return query.query(expr);
    }

    @Override
    public String externalUrl() {
      return externalUrl;
    }

    void walk(
        List<Node> list,
        @Nullable Object dot,
        Map<String, @Nullable Object> vars,
        StringBuilder out)
        throws TemplateException {
      for (Node n : list) {
        switch (n) {
          case Text t -> out.append(t.text());
          case Action a -> {
            Object v = pipe(a.pipe(), dot, vars);
            if (a.pipe().vars().isEmpty()) {
              out.append(v == null ? "<no value>" : GoFormat.value(v));
            }
          }
          case Control c -> control(c, dot, vars, out);
        }
      }
    }

    private void control(
        Control c, @Nullable Object dot, Map<String, @Nullable Object> outer, StringBuilder out)
        throws TemplateException {
      Map<String, @Nullable Object> vars = new HashMap<>(outer);
      switch (c.kind()) {
        case IF -> {
          Object v = pipe(c.pipe(), dot, vars);
          walk(truth(v) ? c.body() : c.elseBody(), dot, vars, out);
        }
        case WITH -> {
          Object v = pipe(c.pipe(), dot, vars);
          if (truth(v)) {
            walk(c.body(), v, vars, out);
          } else {
            walk(c.elseBody(), dot, vars, out);
          }
        }
        case RANGE -> {
          Pipe p = c.pipe();
          Pipe bare = new Pipe(p.line(), List.of(), false, p.commands());
          Object v = pipe(bare, dot, vars);
          List<Map.Entry<Object, Object>> items = new ArrayList<>();
          switch (v) {
            case List<?> l -> {
              for (int i = 0; i < l.size(); i++) {
                items.add(Map.entry((long) i, l.get(i)));
              }
            }
            case Map<?, ?> m -> {
              for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                items.add(Map.entry(e.getKey(), e.getValue()));
              }
            }
            case null -> {}
            default ->
                throw new TemplateException(
                    name, c.line(), "range can't iterate over " + GoFormat.value(v));
          }
          if (items.isEmpty()) {
            walk(c.elseBody(), dot, vars, out);
            return;
          }
          for (Map.Entry<Object, Object> item : items) {
            Map<String, @Nullable Object> iv = new HashMap<>(vars);
            if (p.vars().size() == 1) {
              iv.put(p.vars().get(0), item.getValue());
            } else if (p.vars().size() == 2) {
              iv.put(p.vars().get(0), item.getKey());
              iv.put(p.vars().get(1), item.getValue());
            }
            walk(c.body(), item.getValue(), iv, out);
          }
        }
      }
      // Assignments (=) to outer variables inside the body are visible after it, as in Go.
      outer.replaceAll((k, v) -> vars.get(k));
    }

    private @Nullable Object pipe(Pipe p, @Nullable Object dot, Map<String, @Nullable Object> vars)
        throws TemplateException {
      Object value = null;
      boolean first = true;
      for (List<Arg> cmd : p.commands()) {
        value = command(p.line(), cmd, dot, vars, first ? null : new Object[] {value});
        first = false;
      }
      for (String v : p.vars()) {
        vars.put(v, value);
      }
      return value;
    }

    private @Nullable Object command(
        int line,
        List<Arg> cmd,
        @Nullable Object dot,
        Map<String, @Nullable Object> vars,
        Object @Nullable [] piped)
        throws TemplateException {
      Arg head = cmd.get(0);
      if (head instanceof FuncArg f) {
        List<@Nullable Object> args = new ArrayList<>();
        for (int i = 1; i < cmd.size(); i++) {
          args.add(arg(line, cmd.get(i), dot, vars));
        }
        if (piped != null) {
          args.add(piped[0]);
        }
        return call(line, f.name(), args);
      }
      if (cmd.size() > 1 || piped != null) {
        throw new TemplateException(
            name, line, "can't give argument to non-function " + describe(head));
      }
      return arg(line, head, dot, vars);
    }

    private @Nullable Object call(int line, String fn, List<@Nullable Object> args)
        throws TemplateException {
      try {
        return Functions.call(fn, args, this);
      } catch (Functions.CallException e) {
        throw new TemplateException(name, line, "executing \"" + name + "\": " + e.getMessage());
      }
    }

    private @Nullable Object arg(
        int line, Arg a, @Nullable Object dot, Map<String, @Nullable Object> vars)
        throws TemplateException {
      return switch (a) {
        case DotArg d -> fields(line, dot, d.fields());
        case VarArg v -> fields(line, vars.get(v.name()), v.fields());
        case Literal l -> l.value();
        case FuncArg f -> call(line, f.name(), List.of());
        case PipeArg p -> fields(line, pipe(p.pipe(), dot, new HashMap<>(vars)), p.fields());
      };
    }

    private @Nullable Object fields(int line, @Nullable Object v, List<String> fields)
        throws TemplateException {
      for (String f : fields) {
        switch (v) {
          case Map<?, ?> m -> {
            Object got = m.get(f);
            // missingkey=zero on map[string]string: a missing label is "".
            v = got == null && !m.containsKey(f) ? "" : got;
          }
          case TemplateSample s when f.equals("Labels") -> v = s.labels();
          case TemplateSample s when f.equals("Value") -> v = s.value();
          case null ->
              throw new TemplateException(name, line, "nil pointer evaluating interface {}." + f);
          default ->
              throw new TemplateException(
                  name, line, "can't evaluate field " + f + " in type " + GoFormat.typeName(v));
        }
      }
      return v;
    }

    private String describe(Arg a) {
      return switch (a) {
        case DotArg d -> d.fields().isEmpty() ? "." : "." + String.join(".", d.fields());
        case VarArg v -> "$" + v.name();
        case Literal l -> GoFormat.value(l.value());
        case FuncArg f -> f.name();
        case PipeArg p -> "(pipeline)";
      };
    }
  }
}
