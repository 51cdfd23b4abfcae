package dev.nines.common.gotemplate;

import dev.nines.common.gotemplate.Node.Arg;
import dev.nines.common.gotemplate.Node.Control;
import dev.nines.common.gotemplate.Node.DotArg;
import dev.nines.common.gotemplate.Node.FuncArg;
import dev.nines.common.gotemplate.Node.Kind;
import dev.nines.common.gotemplate.Node.Literal;
import dev.nines.common.gotemplate.Node.Pipe;
import dev.nines.common.gotemplate.Node.PipeArg;
import dev.nines.common.gotemplate.Node.VarArg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lexer and recursive-descent parser for the template subset. Like Go's parser, it rejects unknown
 * functions and undefined variables at parse time, so that a rule file with a bad template fails to
 * load rather than at the first alert.
 */
final class TemplateParser {
  private enum T {
    TEXT,
    LEFT,
    RIGHT,
    IDENT,
    VAR,
    FIELD,
    DOT,
    STRING,
    NUMBER,
    PIPE,
    LPAREN,
    RPAREN,
    DECLARE,
    ASSIGN,
    COMMA,
    EOF
  }

  private record Tok(T type, String text, int line, boolean spaceBefore) {}

  private final String name;
  private final String src;
  private final List<Tok> toks = new ArrayList<>();
  private int pos;
  private final Deque<Set<String>> scopes = new ArrayDeque<>();
  private final FunctionTable functions;
  private final Set<String> predefined;
  private final Map<String, List<Node>> defines = new LinkedHashMap<>();
  private int depth;

  private TemplateParser(String name, String src, FunctionTable functions, Set<String> predefined) {
    this.name = name;
    this.src = src;
    this.functions = functions;
    this.predefined = predefined;
  }

  /** A parsed text: its body and the templates it defines ({@code define}, {@code block}). */
  record Parsed(List<Node> body, Map<String, List<Node>> defines) {}

  /**
   * Parses {@code text}; {@code predefined} variables (without {@code $}) are in scope, and only
   * functions in {@code functions} may be called.
   */
  static Parsed parse(String name, String text, FunctionTable functions, Set<String> predefined)
      throws TemplateException {
    TemplateParser p = new TemplateParser(name, text, functions, predefined);
    p.lex();
    p.scopes.push(p.topScope());
    List<Node> nodes = new ArrayList<>();
    String end = p.list(nodes);
    if (end != null) {
      throw p.error(p.peekLine(), "unexpected {{" + end + "}}");
    }
    return new Parsed(List.copyOf(nodes), p.defines);
  }

  private Set<String> topScope() {
    Set<String> top = new HashSet<>(predefined);
    top.add("");
    return top;
  }

  private String stringArg(String keyword) throws TemplateException {
    Tok t = next();
    if (t.type() != T.STRING) {
      throw error(t.line(), "unexpected " + describe(t) + " in " + keyword + " clause");
    }
    return t.text();
  }

  private void define(int line, String keyword) throws TemplateException {
    String tname = stringArg(keyword);
    Pipe pipe = null;
    if (keyword.equals("block")) {
      pipe = pipe(line, false);
    }
    expect(T.RIGHT, keyword);
    scopes.push(topScope());
    depth++;
    try {
      List<Node> body = new ArrayList<>();
      String end = list(body);
      if (!"end".equals(end)) {
        throw error(peekLine(), end == null ? "unexpected EOF" : "unexpected {{" + end + "}}");
      }
      defines.put(tname, List.copyOf(body));
    } finally {
      depth--;
      scopes.pop();
    }
    if (pipe != null) {
      pendingBlock = new Node.TemplateCall(line, tname, pipe);
    }
  }

  private Node.@org.jspecify.annotations.Nullable TemplateCall pendingBlock;

  private TemplateException error(int line, String problem) {
    return new TemplateException(name, line, problem);
  }

  // ---- lexer ----

  private void lex() throws TemplateException {
    int i = 0;
    int line = 1;
    boolean trimNext = false;
    while (i < src.length()) {
      int open = src.indexOf("{{", i);
      String text = open < 0 ? src.substring(i) : src.substring(i, open);
      if (trimNext) {
        text = text.stripLeading();
      }
      trimNext = false;
      if (open >= 0
          && (src.startsWith("{{- ", open)
              || src.startsWith("{{-\t", open)
              || src.startsWith("{{-\n", open))) {
        text = text.stripTrailing();
      }
      if (!text.isEmpty()) {
        toks.add(new Tok(T.TEXT, text, line, false));
      }
      line += count(src, i, open < 0 ? src.length() : open);
      if (open < 0) {
        break;
      }
      i = open + 2;
      int actionLine = line;
      if (src.startsWith("- ", i) || src.startsWith("-\t", i) || src.startsWith("-\n", i)) {
        i += 1;
      }
      // comments
      int k = skipSpace(i);
      if (src.startsWith("/*", k)) {
        int close = src.indexOf("*/", k + 2);
        if (close < 0) {
          throw error(actionLine, "unclosed comment");
        }
        int after = close + 2;
        int a = skipSpace(after);
        boolean trim = false;
        if (src.startsWith("-}}", a) && a > after) {
          trim = true;
          a += 1;
        }
        if (!src.startsWith("}}", a)) {
          throw error(actionLine, "comment ends before closing delimiter");
        }
        line += count(src, i, a + 2);
        i = a + 2;
        trimNext = trim;
        continue;
      }
      toks.add(new Tok(T.LEFT, "{{", line, false));
      // inside action
      while (true) {
        int start = i;
        i = skipSpace(i);
        boolean space = i > start;
        line += count(src, start, i);
        if (i >= src.length()) {
          throw error(actionLine, "unclosed action");
        }
        if (space && src.startsWith("-}}", i)) {
          toks.add(new Tok(T.RIGHT, "}}", line, space));
          i += 3;
          trimNext = true;
          break;
        }
        if (src.startsWith("}}", i)) {
          toks.add(new Tok(T.RIGHT, "}}", line, space));
          i += 2;
          break;
        }
        char c = src.charAt(i);
        if (c == '|') {
          toks.add(new Tok(T.PIPE, "|", line, space));
          i++;
        } else if (c == '(') {
          toks.add(new Tok(T.LPAREN, "(", line, space));
          i++;
        } else if (c == ')') {
          toks.add(new Tok(T.RPAREN, ")", line, space));
          i++;
        } else if (c == ',') {
          toks.add(new Tok(T.COMMA, ",", line, space));
          i++;
        } else if (src.startsWith(":=", i)) {
          toks.add(new Tok(T.DECLARE, ":=", line, space));
          i += 2;
        } else if (c == '=') {
          toks.add(new Tok(T.ASSIGN, "=", line, space));
          i++;
        } else if (c == '"') {
          int j = i + 1;
          StringBuilder sb = new StringBuilder();
          while (true) {
            if (j >= src.length() || src.charAt(j) == '\n') {
              throw error(line, "unterminated quoted string");
            }
            char d = src.charAt(j);
            if (d == '"') {
              break;
            }
            if (d == '\\') {
              j = unescape(j, sb, line);
            } else {
              sb.append(d);
              j++;
            }
          }
          toks.add(new Tok(T.STRING, sb.toString(), line, space));
          i = j + 1;
        } else if (c == '`') {
          int close = src.indexOf('`', i + 1);
          if (close < 0) {
            throw error(line, "unterminated raw quoted string");
          }
          toks.add(new Tok(T.STRING, src.substring(i + 1, close), line, space));
          line += count(src, i, close);
          i = close + 1;
        } else if (c == '$') {
          int j = i + 1;
          while (j < src.length() && isAlnum(src.charAt(j))) {
            j++;
          }
          toks.add(new Tok(T.VAR, src.substring(i + 1, j), line, space));
          i = j;
        } else if (c == '.') {
          int j = i + 1;
          if (j < src.length() && Character.isDigit(src.charAt(j))) {
            int e = number(i);
            toks.add(new Tok(T.NUMBER, src.substring(i, e), line, space));
            i = e;
          } else {
            while (j < src.length() && isAlnum(src.charAt(j))) {
              j++;
            }
            toks.add(new Tok(j == i + 1 ? T.DOT : T.FIELD, src.substring(i + 1, j), line, space));
            i = j;
          }
        } else if (Character.isDigit(c)
            || ((c == '-' || c == '+')
                && i + 1 < src.length()
                && (Character.isDigit(src.charAt(i + 1)) || src.charAt(i + 1) == '.'))) {
          int e = number(i);
          toks.add(new Tok(T.NUMBER, src.substring(i, e), line, space));
          i = e;
        } else if (Character.isLetter(c) || c == '_') {
          int j = i;
          while (j < src.length() && isAlnum(src.charAt(j))) {
            j++;
          }
          toks.add(new Tok(T.IDENT, src.substring(i, j), line, space));
          i = j;
        } else {
          throw error(line, "unexpected \"" + c + "\" in command");
        }
      }
    }
    toks.add(new Tok(T.EOF, "", line, false));
  }

  private int number(int i) {
    int j = i;
    if (src.charAt(j) == '-' || src.charAt(j) == '+') {
      j++;
    }
    while (j < src.length()
        && (Character.isLetterOrDigit(src.charAt(j))
            || src.charAt(j) == '.'
            || src.charAt(j) == '_'
            || ((src.charAt(j) == '-' || src.charAt(j) == '+')
                && (src.charAt(j - 1) == 'e' || src.charAt(j - 1) == 'E')))) {
      j++;
    }
    return j;
  }

  private int unescape(int j, StringBuilder sb, int line) throws TemplateException {
    if (j + 1 >= src.length()) {
      throw error(line, "unterminated quoted string");
    }
    char e = src.charAt(j + 1);
    switch (e) {
      case 'n' -> sb.append('\n');
      case 't' -> sb.append('\t');
      case 'r' -> sb.append('\r');
      case '\\' -> sb.append('\\');
      case '"' -> sb.append('"');
      case '\'' -> sb.append('\'');
      case 'a' -> sb.append('\u0007');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'v' -> sb.append('\u000b');
      case 'x', 'u', 'U' -> {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (j + 2 + n > src.length()) {
          throw error(line, "invalid syntax in quoted string");
        }
        try {
          sb.appendCodePoint(Integer.parseInt(src.substring(j + 2, j + 2 + n), 16));
        } catch (IllegalArgumentException ex) {
          throw error(line, "invalid syntax in quoted string");
        }
        return j + 2 + n;
      }
      default -> throw error(line, "invalid syntax in quoted string");
    }
    return j + 2;
  }

  private int skipSpace(int i) {
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isAlnum(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  // ---- parser ----

  private Tok peek() {
    return toks.get(pos);
  }

  private int peekLine() {
    return peek().line();
  }

  private Tok next() {
    return toks.get(pos++);
  }

  /**
   * Parses nodes up to a closing keyword; returns that keyword ("end", "else", "else if", "else
   * with") with the tokens after it unread, or null at the end of input.
   */
  private String list(List<Node> out) throws TemplateException {
    while (true) {
      Tok t = next();
      switch (t.type()) {
        case EOF -> {
          pos--;
          return null;
        }
        case TEXT -> out.add(new Node.Text(t.text()));
        case LEFT -> {
          Tok k = peek();
          if (k.type() == T.IDENT) {
            switch (k.text()) {
              case "end" -> {
                next();
                expect(T.RIGHT, "end");
                return "end";
              }
              case "else" -> {
                next();
                if (peek().type() == T.IDENT
                    && (peek().text().equals("if") || peek().text().equals("with"))) {
                  return "else " + next().text();
                }
                expect(T.RIGHT, "else");
                return "else";
              }
              case "if" -> {
                next();
                out.add(control(k.line(), Kind.IF));
                continue;
              }
              case "with" -> {
                next();
                out.add(control(k.line(), Kind.WITH));
                continue;
              }
              case "range" -> {
                next();
                out.add(control(k.line(), Kind.RANGE));
                continue;
              }
              case "define" -> {
                next();
                if (depth > 0 || scopes.size() > 1) {
                  throw error(k.line(), "unexpected <define> in command");
                }
                define(k.line(), "define");
                continue;
              }
              case "block" -> {
                next();
                define(k.line(), "block");
                out.add(pendingBlock);
                pendingBlock = null;
                continue;
              }
              case "template" -> {
                next();
                String tname = stringArg("template");
                Pipe pipe = null;
                if (peek().type() != T.RIGHT) {
                  pipe = pipe(k.line(), false);
                }
                expect(T.RIGHT, "template clause");
                out.add(new Node.TemplateCall(k.line(), tname, pipe));
                continue;
              }
              case "break", "continue" ->
                  throw error(k.line(), "\"" + k.text() + "\" is not supported in Nines templates");
              default -> {}
            }
          }
          Pipe p = pipe(t.line(), false);
          expect(T.RIGHT, "command");
          out.add(new Node.Action(t.line(), p));
        }
        default -> throw error(t.line(), "unexpected " + describe(t));
      }
    }
  }

  private Control control(int line, Kind kind) throws TemplateException {
    Set<String> scope = new HashSet<>(scopes.peek());
    scopes.push(scope);
    try {
      Pipe p = pipe(line, kind == Kind.RANGE);
      expect(T.RIGHT, kind.name().toLowerCase(java.util.Locale.ROOT));
      List<Node> body = new ArrayList<>();
      String end = list(body);
      List<Node> elseBody = new ArrayList<>();
      if (end == null) {
        throw error(peekLine(), "unexpected EOF");
      }
      scopes.pop();
      scopes.push(new HashSet<>(scope));
      if (end.equals("else")) {
        String end2 = list(elseBody);
        if (!"end".equals(end2)) {
          throw error(peekLine(), end2 == null ? "unexpected EOF" : "expected end; found " + end2);
        }
      } else if (end.startsWith("else ")) {
        Kind k = end.endsWith("if") ? Kind.IF : Kind.WITH;
        // "else if x" is "else {{if x}} ... {{end}}" sharing the outer end.
        elseBody.add(control(line, k));
      }
      return new Control(line, kind, p, body, elseBody);
    } finally {
      scopes.pop();
    }
  }

  private void expect(T type, String context) throws TemplateException {
    Tok t = next();
    if (t.type() != type) {
      throw error(t.line(), "unexpected " + describe(t) + " in " + context);
    }
  }

  private static String describe(Tok t) {
    return switch (t.type()) {
      case EOF -> "EOF";
      case RIGHT -> "\"}}\"";
      case TEXT -> "text";
      default ->
          "\"" + (t.type() == T.VAR ? "$" : t.type() == T.FIELD ? "." : "") + t.text() + "\"";
    };
  }

  private Pipe pipe(int line, boolean isRange) throws TemplateException {
    List<String> vars = new ArrayList<>();
    boolean declare = false;
    // declarations: $x := or $x, $y := (range) or $x =
    int save = pos;
    if (peek().type() == T.VAR) {
      List<String> names = new ArrayList<>();
      names.add(next().text());
      if (isRange && peek().type() == T.COMMA) {
        next();
        if (peek().type() == T.VAR) {
          names.add(next().text());
        }
      }
      if (peek().type() == T.DECLARE) {
        next();
        vars = names;
        declare = true;
      } else if (peek().type() == T.ASSIGN && names.size() == 1) {
        next();
        if (!scopes.peek().contains(names.get(0))) {
          throw error(line, "undefined variable \"$" + names.get(0) + "\"");
        }
        vars = names;
      } else {
        pos = save;
      }
    }
    List<List<Arg>> commands = new ArrayList<>();
    while (true) {
      List<Arg> cmd = new ArrayList<>();
      while (true) {
        T t = peek().type();
        if (t == T.RIGHT || t == T.PIPE || t == T.RPAREN) {
          break;
        }
        cmd.add(operand());
      }
      if (cmd.isEmpty()) {
        throw error(
            peekLine(), commands.isEmpty() ? "missing value for command" : "missing command");
      }
      commands.add(cmd);
      if (peek().type() == T.PIPE) {
        next();
        continue;
      }
      break;
    }
    if (declare) {
      scopes.peek().addAll(vars);
    }
    return new Pipe(line, vars, declare, commands);
  }

  private Arg operand() throws TemplateException {
    Tok t = next();
    Arg a =
        switch (t.type()) {
          case DOT -> new DotArg(fields());
          case FIELD -> {
            List<String> f = new ArrayList<>();
            f.add(t.text());
            f.addAll(fields());
            yield new DotArg(f);
          }
          case VAR -> {
            if (!scopes.peek().contains(t.text())) {
              throw error(t.line(), "undefined variable \"$" + t.text() + "\"");
            }
            yield new VarArg(t.text(), fields());
          }
          case STRING -> new Literal(t.text());
          case NUMBER -> new Literal(number(t));
          case IDENT ->
              switch (t.text()) {
                case "true", "false" -> new Literal(Boolean.parseBoolean(t.text()));
                case "nil" -> new Literal(null);
                default -> {
                  if (!functions.has(t.text())) {
                    throw error(t.line(), "function \"" + t.text() + "\" not defined");
                  }
                  yield new FuncArg(t.text());
                }
              };
          case LPAREN -> {
            Pipe p = pipe(t.line(), false);
            expect(T.RPAREN, "parenthesized pipeline");
            yield new PipeArg(p, fields());
          }
          default -> throw error(t.line(), "unexpected " + describe(t) + " in operand");
        };
    return a;
  }

  private List<String> fields() {
    List<String> f = new ArrayList<>();
    while (peek().type() == T.FIELD && !peek().spaceBefore()) {
      f.add(next().text());
    }
    return f;
  }

  private Object number(Tok t) throws TemplateException {
    String s = t.text().replace("_", "");
    try {
      if (s.matches("[+-]?[0-9]+")) {
        return Long.parseLong(s);
      }
      if (s.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        boolean neg = s.startsWith("-");
        long v = Long.parseLong(s.replaceFirst("^[+-]?0[xX]", ""), 16);
        return neg ? -v : v;
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw error(t.line(), "bad number syntax: \"" + t.text() + "\"");
    }
  }
}
