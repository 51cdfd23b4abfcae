package dev.nines.common.gotemplate;

import dev.nines.common.gotemplate.Node.Action;
import dev.nines.common.gotemplate.Node.Arg;
import dev.nines.common.gotemplate.Node.Control;
import dev.nines.common.gotemplate.Node.DotArg;
import dev.nines.common.gotemplate.Node.FuncArg;
import dev.nines.common.gotemplate.Node.Literal;
import dev.nines.common.gotemplate.Node.Pipe;
import dev.nines.common.gotemplate.Node.PipeArg;
import dev.nines.common.gotemplate.Node.TemplateCall;
import dev.nines.common.gotemplate.Node.Text;
import dev.nines.common.gotemplate.Node.VarArg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A parsed Go {@code text/template}: the subset Prometheus and Alertmanager templates use, with
 * pluggable functions ({@link FunctionTable}) and data given as maps, lists, strings, numbers,
 * booleans and {@link GoObject}s. Parse once ({@link #parse} or {@link TemplateSet#parse}), execute
 * many times. Immutable and thread-safe.
 *
 * <p>Execution follows Go's semantics where the subset reaches: {@code missingkey=zero} (a missing
 * map key is the empty string), truth of empty values, pipelines passing the previous value as the
 * last argument, {@code range} over lists and maps (keys sorted), {@code define}, {@code template}
 * and {@code block}, and methods with arguments on {@link GoObject}s ({@code .CommonLabels.Remove
 * .GroupLabels.Names}). Not supported: {@code break}, {@code continue}, comparisons of unlike
 * types, and {@code html}/{@code js} escaping.
 */
public final class GoTemplate {
  private static final int MAX_DEPTH = 100;

  private final String name;
  private final String text;
  private final List<Node> nodes;
  private final Map<String, List<Node>> defines;
  private final FunctionTable functions;

  GoTemplate(
      String name,
      String text,
      List<Node> nodes,
      Map<String, List<Node>> defines,
      FunctionTable functions) {
    this.name = name;
    this.text = text;
    this.nodes = nodes;
    this.defines = defines;
    this.functions = functions;
  }

  /**
   * Parses a stand-alone template.
   *
   * @throws TemplateException when it does not parse
   */
  public static GoTemplate parse(
      String name, String text, FunctionTable functions, Set<String> predefined)
      throws TemplateException {
    return TemplateSet.of(functions, predefined).parse(name, text);
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
   * @param dot the data ({@code .} and {@code $})
   * @param vars the predefined variables' values, by name without {@code $}
   * @param context passed to every function call
   * @throws TemplateException when a function fails, a field does not exist or a template is not
   *     defined
   */
  public String execute(
      @Nullable Object dot, Map<String, @Nullable Object> vars, @Nullable Object context)
      throws TemplateException {
    Map<String, @Nullable Object> v = new HashMap<>(vars);
    v.put("", dot);
    StringBuilder out = new StringBuilder();
    new Exec(context, vars).walk(nodes, dot, v, out, 0);
    return out.toString();
  }

  /** Go's truth: false, zero, nil and empty strings, lists and maps are false. */
  public static boolean truth(@Nullable Object v) {
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

  private final class Exec {
    private final @Nullable Object context;
    private final Map<String, @Nullable Object> predefined;

    Exec(@Nullable Object context, Map<String, @Nullable Object> predefined) {
      this.context = context;
      this.predefined = predefined;
    }

    void walk(
        List<Node> list,
        @Nullable Object dot,
        Map<String, @Nullable Object> vars,
        StringBuilder out,
        int depth)
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
          case Control c -> control(c, dot, vars, out, depth);
          case TemplateCall t -> {
            List<Node> body = defines.get(t.name());
            if (body == null) {
              throw new TemplateException(name, t.line(), "no such template \"" + t.name() + "\"");
            }
            if (depth >= MAX_DEPTH) {
              throw new TemplateException(
                  name, t.line(), "exceeded maximum template depth (" + MAX_DEPTH + ")");
            }
            Object newDot = t.pipe() == null ? null : pipe(t.pipe(), dot, new HashMap<>(vars));
            Map<String, @Nullable Object> nv = new HashMap<>(predefined);
            nv.put("", newDot);
            walk(body, newDot, nv, out, depth + 1);
          }
        }
      }
    }

    private void control(
        Control c,
        @Nullable Object dot,
        Map<String, @Nullable Object> outer,
        StringBuilder out,
        int depth)
        throws TemplateException {
      Map<String, @Nullable Object> vars = new HashMap<>(outer);
      switch (c.kind()) {
        case IF -> {
          Object v = pipe(c.pipe(), dot, vars);
          walk(truth(v) ? c.body() : c.elseBody(), dot, vars, out, depth);
        }
        case WITH -> {
          Object v = pipe(c.pipe(), dot, vars);
          if (truth(v)) {
            walk(c.body(), v, vars, out, depth);
          } else {
            walk(c.elseBody(), dot, vars, out, depth);
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
                items.add(new java.util.AbstractMap.SimpleEntry<>((long) i, l.get(i)));
              }
            }
            case Map<?, ?> m -> {
              for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                items.add(new java.util.AbstractMap.SimpleEntry<>(e.getKey(), e.getValue()));
              }
            }
            case null -> {}
            default ->
                throw new TemplateException(
                    name, c.line(), "range can't iterate over " + GoFormat.value(v));
          }
          if (items.isEmpty()) {
            walk(c.elseBody(), dot, vars, out, depth);
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
            walk(c.body(), item.getValue(), iv, out, depth);
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
      boolean hasArgs = cmd.size() > 1 || piped != null;
      if (head instanceof FuncArg || hasArgs) {
        List<@Nullable Object> args = new ArrayList<>();
        for (int i = 1; i < cmd.size(); i++) {
          args.add(arg(line, cmd.get(i), dot, vars));
        }
        if (piped != null) {
          args.add(piped[0]);
        }
        if (head instanceof FuncArg f) {
          return call(line, f.name(), args);
        }
        // A method call: the last field of the head is called with the arguments.
        List<String> fields = fieldsOf(head);
        if (fields.isEmpty()) {
          throw new TemplateException(
              name, line, "can't give argument to non-function " + describe(head));
        }
        Object receiver = receiver(line, head, dot, vars, fields.subList(0, fields.size() - 1));
        String method = fields.get(fields.size() - 1);
        if (receiver instanceof GoObject o) {
          Object got;
          try {
            got = o.field(method, args);
          } catch (TemplateFunction.CallException e) {
            throw new TemplateException(
                name, line, "executing \"" + name + "\": " + e.getMessage());
          }
          if (got != GoObject.NO_SUCH_FIELD) {
            return got;
          }
        }
        throw new TemplateException(
            name, line, "can't give argument to non-function " + describe(head));
      }
      return arg(line, head, dot, vars);
    }

    private List<String> fieldsOf(Arg a) {
      return switch (a) {
        case DotArg d -> d.fields();
        case VarArg v -> v.fields();
        case PipeArg p -> p.fields();
        default -> List.of();
      };
    }

    private @Nullable Object receiver(
        int line,
        Arg head,
        @Nullable Object dot,
        Map<String, @Nullable Object> vars,
        List<String> fields)
        throws TemplateException {
      return switch (head) {
        case DotArg d -> fields(line, dot, fields);
        case VarArg v -> fields(line, vars.get(v.name()), fields);
        case PipeArg p -> fields(line, pipe(p.pipe(), dot, new HashMap<>(vars)), fields);
        default -> throw new IllegalStateException("not a receiver: " + head);
      };
    }

    private @Nullable Object call(int line, String fn, List<@Nullable Object> args)
        throws TemplateException {
      TemplateFunction f = functions.get(fn);
      if (f == null) {
        throw new TemplateException(name, line, "function \"" + fn + "\" not defined");
      }
      try {
        return f.call(args, context);
      } catch (TemplateFunction.CallException e) {
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
          case GoObject o -> {
            Object got;
            try {
              got = o.field(f, List.of());
            } catch (TemplateFunction.CallException e) {
              throw new TemplateException(
                  name, line, "executing \"" + name + "\": " + e.getMessage());
            }
            if (got == GoObject.NO_SUCH_FIELD) {
              throw new TemplateException(
                  name, line, "can't evaluate field " + f + " in type " + o.goTypeName());
            }
            v = got;
          }
          case Map<?, ?> m -> {
            Object got = m.get(f);
            // missingkey=zero on map[string]string: a missing key is "".
            v = got == null && !m.containsKey(f) ? "" : got;
          }
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
