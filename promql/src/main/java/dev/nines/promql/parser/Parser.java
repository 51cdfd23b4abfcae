package dev.nines.promql.parser;

import com.google.re2j.PatternSyntaxException;
import dev.nines.common.LabelMatcher;
import dev.nines.common.PromDuration;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses PromQL into a type-checked {@link Expr}, following Prometheus 3.x syntax, precedence and
 * parse-time checks, and reporting the first problem as a {@link ParseException}.
 *
 * <p>Design notes. A hand-written recursive-descent parser with precedence climbing for binary
 * operators: {@code ^} (right-associative) binds tightest, then unary {@code + -}, {@code * / %
 * atan2}, {@code + -}, comparisons, {@code and unless}, {@code or}. Selector suffixes ({@code
 * [5m]}, {@code [1h:1m]}, {@code offset}, {@code @}) bind tighter than any operator. Checks are
 * made in two places, as in Prometheus: syntax and the rules Prometheus's grammar actions enforce
 * (unknown or disabled function, argument count of an aggregation, modifier placement) while
 * parsing; types and argument counts of calls in a post-order pass ({@link Checker}) once the whole
 * query has parsed. Source positions stay out of the AST (so that equal queries give equal trees);
 * the parser keeps them in identity maps for the checker.
 *
 * <p>Not supported yet, each a clear parse error: duration expressions ({@code [5m+1m]}, {@code
 * step()} in brackets), {@code anchored}/{@code smoothed} range modifiers and {@code fill}
 * modifiers on binary operators.
 */
public final class Parser {

  /**
   * Parser switches, off by default as in Prometheus.
   *
   * @param enableExperimentalFunctions accept the functions and aggregations Prometheus puts behind
   *     {@code --enable-feature=promql-experimental-functions}
   */
  public record Options(boolean enableExperimentalFunctions) {
    /** Everything off. */
    public static final Options DEFAULTS = new Options(false);
  }

  /** What a binary operator's modifiers said, kept for the checker. */
  record BinaryModifiers(
      int opPos,
      boolean returnBool,
      VectorMatching.Cardinality card,
      List<String> matchingLabels,
      boolean on,
      List<String> include) {}

  private static final Set<String> DURATION_EXPR_WORDS = Set.of("step", "min", "max");
  private static final Set<String> FILL_MODIFIERS = Set.of("fill", "fill_left", "fill_right");
  private static final Set<String> RANGE_MODIFIERS = Set.of("anchored", "smoothed");

  private final String query;
  private final Options options;
  private final Lexer lexer;
  private final List<Token> ahead = new ArrayList<>();
  private final IdentityHashMap<Expr, Integer> starts = new IdentityHashMap<>();
  private final IdentityHashMap<BinaryExpr, BinaryModifiers> binaries = new IdentityHashMap<>();

  private Parser(String query, Options options) {
    this.query = query;
    this.options = options;
    this.lexer = new Lexer(query);
  }

  /**
   * Parses and type-checks a query with the default options.
   *
   * @throws ParseException naming the line, column and problem
   */
  public static Expr parse(String query) {
    return parse(query, Options.DEFAULTS);
  }

  /**
   * Parses and type-checks a query.
   *
   * @throws ParseException naming the line, column and problem
   */
  public static Expr parse(String query, Options options) {
    return new Parser(query, options).parseQuery();
  }

  private Expr parseQuery() {
    if (peek().type() == TokenType.EOF) {
      throw error(0, "no expression found in input");
    }
    Expr e = parseExpr(0);
    Token t = peek();
    if (t.type() != TokenType.EOF) {
      throw unexpected(t, null, null);
    }
    new Checker(query, starts, binaries).check(e);
    return e;
  }

  // ---- expressions ----

  private Expr parseExpr(int minPrecedence) {
    Expr lhs = parseUnary();
    while (true) {
      Token t = peek();
      BinaryOp op = binaryOp(t);
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      next();
      BinaryModifiers m = parseBinaryModifiers(t.pos());
      Expr rhs = parseExpr(op.isRightAssociative() ? op.precedence() : op.precedence() + 1);
      VectorMatching vm = null;
      if (lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR) {
        VectorMatching.Cardinality card = m.card();
        if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) {
          card = VectorMatching.Cardinality.MANY_TO_MANY;
        }
        vm = new VectorMatching(card, m.matchingLabels(), m.on(), m.include());
      }
      BinaryExpr b = new BinaryExpr(op, lhs, rhs, m.returnBool(), vm);
      binaries.put(b, m);
      lhs = at(b, start(lhs));
    }
  }

  private static @Nullable BinaryOp binaryOp(Token t) {
    return switch (t.type()) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQL;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case LAND -> BinaryOp.AND;
      case LOR -> BinaryOp.OR;
      case LUNLESS -> BinaryOp.UNLESS;
      default -> null;
    };
  }

  private BinaryModifiers parseBinaryModifiers(int opPos) {
    boolean returnBool = false;
    if (peek().type() == TokenType.BOOL) {
      next();
      returnBool = true;
    }
    VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
    List<String> matching = List.of();
    List<String> include = List.of();
    boolean on = false;
    if (peek().type() == TokenType.ON || peek().type() == TokenType.IGNORING) {
      on = next().type() == TokenType.ON;
      matching = parseLabelList("grouping opts");
      TokenType g = peek().type();
      if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
        next();
        card =
            g == TokenType.GROUP_LEFT
                ? VectorMatching.Cardinality.MANY_TO_ONE
                : VectorMatching.Cardinality.ONE_TO_MANY;
        if (peek().type() == TokenType.LEFT_PAREN) {
          include = parseLabelList("grouping opts");
        }
      }
    }
    Token t = peek();
    if (t.type() == TokenType.IDENTIFIER
        && FILL_MODIFIERS.contains(t.lower())
        && peekRaw(1).type() == TokenType.LEFT_PAREN) {
      throw error(t.pos(), "fill modifiers (" + t.text() + ") are not supported yet");
    }
    return new BinaryModifiers(opPos, returnBool, card, matching, on, include);
  }

  private Expr parseUnary() {
    Token t = peek();
    if (t.type() != TokenType.ADD && t.type() != TokenType.SUB) {
      return parsePostfix(parsePrimary());
    }
    next();
    boolean minus = t.type() == TokenType.SUB;
    Expr operand = parseExpr(BinaryOp.POW_PRECEDENCE);
    if (operand instanceof NumberLiteral n) {
      return at(new NumberLiteral(minus ? -n.value() : n.value(), n.duration()), t.pos());
    }
    return at(new UnaryExpr(minus ? UnaryOp.MINUS : UnaryOp.PLUS, operand), t.pos());
  }

  private Expr parsePrimary() {
    Token t = peek();
    return switch (t.type()) {
      case NUMBER -> at(NumberLiteral.of(number(next())), t.pos());
      case DURATION ->
          at(new NumberLiteral(positiveDuration(next()).toMillis() / 1000.0, true), t.pos());
      case STRING -> at(new StringLiteral(next().value()), t.pos());
      case LEFT_PAREN -> parseParen();
      case LEFT_BRACE -> parseSelector(null);
      case IDENTIFIER ->
          peekRaw(1).type() == TokenType.LEFT_PAREN ? parseCall() : parseSelector(next());
      case AGGREGATOR -> {
        TokenType after = peekRaw(1).type();
        boolean aggregation =
            after == TokenType.LEFT_PAREN || after == TokenType.BY || after == TokenType.WITHOUT;
        yield aggregation ? parseAggregation() : parseSelector(next());
      }
      case METRIC_IDENTIFIER, OFFSET, BY, WITHOUT, LAND, LOR, LUNLESS -> parseSelector(next());
      default -> throw unexpected(t, null, null);
    };
  }

  private Expr parseParen() {
    Token open = next();
    Expr inner = parseExpr(0);
    Token close = peek();
    if (close.type() != TokenType.RIGHT_PAREN) {
      throw unexpected(close, "paren expression", "\")\"");
    }
    next();
    return at(new ParenExpr(inner), open.pos());
  }

  private Expr parsePostfix(Expr expr) {
    Expr e = expr;
    while (true) {
      Token t = peek();
      switch (t.type()) {
        case LEFT_BRACKET -> e = parseRangeOrSubquery(e);
        case OFFSET -> e = parseOffset(e);
        case AT -> e = parseAt(e);
        case IDENTIFIER -> {
          if (RANGE_MODIFIERS.contains(t.lower())) {
            throw error(t.pos(), "the " + t.lower() + " range modifier is not supported yet");
          }
          return e;
        }
        default -> {
          return e;
        }
      }
    }
  }

  // ---- selectors ----

  /** A selector: {@code name}, {@code name{...}} or {@code {...}}; the name token is consumed. */
  private Expr parseSelector(@Nullable Token nameToken) {
    int start = nameToken != null ? nameToken.pos() : peek().pos();
    String name = nameToken != null ? nameToken.text() : "";
    List<LabelMatcher> matchers = new ArrayList<>();
    if (peek().type() == TokenType.LEFT_BRACE) {
      next();
      while (true) {
        Token label = peek();
        if (label.type() == TokenType.RIGHT_BRACE) {
          next();
          break;
        }
        if (label.type() != TokenType.IDENTIFIER && label.type() != TokenType.STRING) {
          throw unexpected(label, "label matching", "identifier or \"}\"");
        }
        next();
        Token op = peek();
        if (label.type() == TokenType.STRING
            && (op.type() == TokenType.COMMA || op.type() == TokenType.RIGHT_BRACE)) {
          // A quoted metric name, Prometheus 3's {"my.metric"}.
          if (name.isEmpty()) {
            name = label.value();
          } else {
            matchers.add(
                LabelMatcher.of(
                    LabelMatcher.Type.EQUAL, VectorSelector.METRIC_NAME_LABEL, label.value()));
          }
        } else {
          LabelMatcher.Type type =
              switch (op.type()) {
                case EQL -> LabelMatcher.Type.EQUAL;
                case NEQ -> LabelMatcher.Type.NOT_EQUAL;
                case EQL_REGEX -> LabelMatcher.Type.REGEX;
                case NEQ_REGEX -> LabelMatcher.Type.NOT_REGEX;
                default -> throw unexpected(op, "label matching", "label matching operator");
              };
          next();
          Token value = peek();
          if (value.type() != TokenType.STRING) {
            throw unexpected(value, "label matching", "string");
          }
          next();
          String labelName = label.type() == TokenType.STRING ? label.value() : label.text();
          try {
            matchers.add(LabelMatcher.of(type, labelName, value.value()));
          } catch (PatternSyntaxException e) {
            throw error(value.pos(), e.getMessage());
          }
        }
        Token sep = peek();
        if (sep.type() == TokenType.COMMA) {
          next();
        } else if (sep.type() != TokenType.RIGHT_BRACE) {
          throw unexpected(sep, "label matching", "\",\" or \"}\"");
        }
      }
    }
    if (!name.isEmpty()) {
      matchers.add(
          LabelMatcher.of(LabelMatcher.Type.EQUAL, VectorSelector.METRIC_NAME_LABEL, name));
    }
    return at(new VectorSelector(name, matchers, Duration.ZERO, null), start);
  }

  private Expr parseRangeOrSubquery(Expr e) {
    Token open = next();
    Duration range = bracketDuration("range or subquery selector");
    Token t = peek();
    if (t.type() == TokenType.COLON) {
      next();
      Duration step = null;
      if (peek().type() != TokenType.RIGHT_BRACKET) {
        step = bracketDuration("subquery selector");
      }
      Token close = peek();
      if (close.type() != TokenType.RIGHT_BRACKET) {
        rejectDurationExpression(close);
        throw unexpected(close, "subquery selector", "\"]\"");
      }
      next();
      return at(new SubqueryExpr(e, range, step, Duration.ZERO, null), start(e));
    }
    if (t.type() != TokenType.RIGHT_BRACKET) {
      rejectDurationExpression(t);
      throw unexpected(t, "range or subquery selector", "\":\" or \"]\"");
    }
    next();
    if (!(e instanceof VectorSelector vs)) {
      throw error(open.pos(), "ranges only allowed for vector selectors");
    }
    if (!vs.offset().isZero()) {
      throw error(open.pos(), "no offset modifiers allowed before range");
    }
    if (vs.at() != null) {
      throw error(open.pos(), "no @ modifiers allowed before range");
    }
    return at(new MatrixSelector(vs, range), start(e));
  }

  private Duration bracketDuration(String context) {
    Token t = peek();
    if (t.type() == TokenType.NUMBER || t.type() == TokenType.DURATION) {
      next();
      Duration d = t.type() == TokenType.DURATION ? positiveDuration(t) : secondsToDuration(t);
      if (d.isNegative() || d.isZero()) {
        throw error(t.pos(), "duration must be greater than 0");
      }
      return d;
    }
    rejectDurationExpression(t);
    throw unexpected(t, context, "number or duration");
  }

  private void rejectDurationExpression(Token t) {
    boolean arithmetic =
        switch (t.type()) {
          case ADD, SUB, MUL, DIV, MOD, POW, LEFT_PAREN -> true;
          case IDENTIFIER, AGGREGATOR -> DURATION_EXPR_WORDS.contains(t.lower());
          default -> false;
        };
    if (arithmetic) {
      throw error(t.pos(), "duration expressions are not supported yet");
    }
  }

  private Expr parseOffset(Expr e) {
    next();
    Token t = peek();
    boolean negative = false;
    if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
      negative = t.type() == TokenType.SUB;
      next();
      t = peek();
    }
    if (t.type() != TokenType.NUMBER && t.type() != TokenType.DURATION) {
      rejectDurationExpression(t);
      throw unexpected(t, "offset", "number or duration");
    }
    next();
    Duration d = t.type() == TokenType.DURATION ? positiveDuration(t) : secondsToDuration(t);
    Duration offset = negative ? d.negated() : d;
    int start = start(e);
    String misplaced =
        "offset modifier must be preceded by an instant vector selector or range vector selector"
            + " or a subquery";
    String twice = "offset may not be set multiple times";
    return switch (e) {
      case VectorSelector vs -> {
        if (!vs.offset().isZero()) {
          throw error(start, twice);
        }
        yield at(new VectorSelector(vs.name(), vs.matchers(), offset, vs.at()), start);
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        if (!vs.offset().isZero()) {
          throw error(start, twice);
        }
        VectorSelector moved = new VectorSelector(vs.name(), vs.matchers(), offset, vs.at());
        yield at(new MatrixSelector(moved, m.range()), start);
      }
      case SubqueryExpr s -> {
        if (!s.offset().isZero()) {
          throw error(start, twice);
        }
        yield at(new SubqueryExpr(s.expr(), s.range(), s.step(), offset, s.at()), start);
      }
      default -> throw error(start, misplaced);
    };
  }

  private Expr parseAt(Expr e) {
    next();
    Token t = peek();
    AtModifier at;
    if (t.type() == TokenType.IDENTIFIER
        && (t.lower().equals("start") || t.lower().equals("end"))) {
      next();
      Token open = peek();
      if (open.type() != TokenType.LEFT_PAREN) {
        throw unexpected(open, "@", "\"(\"");
      }
      next();
      Token close = peek();
      if (close.type() != TokenType.RIGHT_PAREN) {
        throw unexpected(close, "@", "\")\"");
      }
      next();
      at = t.lower().equals("start") ? AtModifier.START : AtModifier.END;
    } else {
      boolean negative = false;
      if (t.type() == TokenType.SUB || t.type() == TokenType.ADD) {
        negative = t.type() == TokenType.SUB;
        next();
        t = peek();
      }
      double seconds;
      if (t.type() == TokenType.NUMBER) {
        seconds = number(t);
      } else if (t.type() == TokenType.DURATION) {
        seconds = positiveDuration(t).toMillis() / 1000.0;
      } else {
        throw unexpected(t, "@", "timestamp, \"start()\" or \"end()\"");
      }
      next();
      if (negative) {
        seconds = -seconds;
      }
      if (!Double.isFinite(seconds) || Math.abs(seconds) >= Long.MAX_VALUE / 1000.0) {
        String shown =
            Double.isFinite(seconds)
                ? String.format(Locale.ROOT, "%f", seconds)
                : Printer.formatNumber(NumberLiteral.of(seconds));
        throw error(t.pos(), "timestamp out of bounds for @ modifier: " + shown);
      }
      at = AtModifier.at(Math.round(seconds * 1000));
    }
    int start = start(e);
    String misplaced =
        "@ modifier must be preceded by an instant vector selector or range vector selector or a"
            + " subquery";
    String twice = "@ <timestamp> may not be set multiple times";
    return switch (e) {
      case VectorSelector vs -> {
        if (vs.at() != null) {
          throw error(start, twice);
        }
        yield at(new VectorSelector(vs.name(), vs.matchers(), vs.offset(), at), start);
      }
      case MatrixSelector m -> {
        VectorSelector vs = m.selector();
        if (vs.at() != null) {
          throw error(start, twice);
        }
        VectorSelector moved = new VectorSelector(vs.name(), vs.matchers(), vs.offset(), at);
        yield at(new MatrixSelector(moved, m.range()), start);
      }
      case SubqueryExpr s -> {
        if (s.at() != null) {
          throw error(start, twice);
        }
        yield at(new SubqueryExpr(s.expr(), s.range(), s.step(), s.offset(), at), start);
      }
      default -> throw error(start, misplaced);
    };
  }

  // ---- calls and aggregations ----

  private Expr parseCall() {
    Token name = next();
    next(); // (
    List<Expr> args = parseArgs(null);
    Function f =
        Function.byName(name.text())
            .orElseThrow(
                () ->
                    error(name.pos(), "unknown function with name " + Printer.quote(name.text())));
    if (f.experimental() && !options.enableExperimentalFunctions()) {
      throw error(name.pos(), "function " + Printer.quote(f.name()) + " is not enabled");
    }
    return at(new Call(f, args), name.pos());
  }

  /** The arguments after an opening parenthesis, up to and including the closing one. */
  private List<Expr> parseArgs(@Nullable String context) {
    List<Expr> args = new ArrayList<>();
    if (peek().type() == TokenType.RIGHT_PAREN) {
      next();
      return args;
    }
    while (true) {
      args.add(parseExpr(0));
      Token t = peek();
      if (t.type() == TokenType.COMMA) {
        next();
        if (peek().type() == TokenType.RIGHT_PAREN) {
          throw error(t.pos(), "trailing commas not allowed in function call args");
        }
      } else if (t.type() == TokenType.RIGHT_PAREN) {
        next();
        return args;
      } else {
        throw unexpected(t, context, "\",\" or \")\"");
      }
    }
  }

  private Expr parseAggregation() {
    Token opToken = next();
    AggregateOp op = AggregateOp.valueOf(opToken.text().toUpperCase(Locale.ROOT));
    List<String> grouping = List.of();
    boolean without = false;
    boolean grouped = false;
    if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
      without = next().type() == TokenType.WITHOUT;
      grouping = parseLabelList("grouping opts");
      grouped = true;
    }
    Token open = peek();
    if (open.type() != TokenType.LEFT_PAREN) {
      throw unexpected(open, "aggregation", "\"(\"");
    }
    next();
    List<Expr> args = parseArgs("aggregation");
    if (!grouped && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
      without = next().type() == TokenType.WITHOUT;
      grouping = parseLabelList("grouping opts");
    }
    if (op.experimental() && !options.enableExperimentalFunctions()) {
      throw error(
          opToken.pos(),
          "limitk() and limit_ratio() are experimental and must be enabled with"
              + " --enable-feature=promql-experimental-functions");
    }
    if (args.isEmpty()) {
      throw error(opToken.pos(), "no arguments for aggregate expression provided");
    }
    int desired = op.paramType() != null ? 2 : 1;
    if (args.size() != desired) {
      throw error(
          opToken.pos(),
          "wrong number of arguments for aggregate expression provided, expected "
              + desired
              + ", got "
              + args.size());
    }
    Expr param = desired == 2 ? args.get(0) : null;
    Expr expr = args.get(desired - 1);
    return at(new AggregateExpr(op, expr, param, grouping, without), opToken.pos());
  }

  /** A parenthesized label list, as after {@code by}, {@code on} or {@code group_left}. */
  private List<String> parseLabelList(String context) {
    Token open = peek();
    if (open.type() != TokenType.LEFT_PAREN) {
      throw unexpected(open, context, "\"(\"");
    }
    next();
    List<String> labels = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.type() == TokenType.RIGHT_PAREN) {
        next();
        return labels;
      }
      if (!isLabel(t)) {
        throw unexpected(t, context, "label");
      }
      next();
      String label = t.type() == TokenType.STRING ? t.value() : t.text();
      if (label.isEmpty()) {
        throw error(t.pos(), "invalid label name for grouping: \"\"");
      }
      labels.add(label);
      Token sep = peek();
      if (sep.type() == TokenType.COMMA) {
        next();
      } else if (sep.type() != TokenType.RIGHT_PAREN) {
        throw unexpected(sep, context, "\",\" or \")\"");
      }
    }
  }

  private static boolean isLabel(Token t) {
    return switch (t.type()) {
      case IDENTIFIER, METRIC_IDENTIFIER, STRING, LAND, LOR, LUNLESS, ATAN2 -> true;
      default ->
          t.type().group == TokenType.Group.AGGREGATOR || t.type().group == TokenType.Group.KEYWORD;
    };
  }

  // ---- literals ----

  /**
   * A float literal's value. Like Prometheus (which tries Go's {@code ParseInt(s, 0, 64)} first),
   * an integer with a leading zero and only octal digits is octal: {@code 010} is 8.
   */
  private double number(Token t) {
    String s = t.text().replace("_", "");
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    try {
      if (lower.startsWith("0x")) {
        return new BigInteger(s.substring(2), 16).doubleValue();
      }
      if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
        return new BigInteger(s, 8).doubleValue();
      }
      double v = Double.parseDouble(s);
      if (Double.isInfinite(v)) {
        throw error(
            t.pos(),
            "error parsing number: strconv.ParseFloat: parsing "
                + Printer.quote(t.text())
                + ": value out of range");
      }
      return v;
    } catch (NumberFormatException e) {
      throw error(t.pos(), "bad number or duration syntax: " + Printer.quote(t.text()));
    }
  }

  /** A duration token's value; Prometheus rejects a zero duration written with units. */
  private Duration positiveDuration(Token t) {
    Duration d;
    try {
      d = PromDuration.parse(t.text());
    } catch (IllegalArgumentException e) {
      throw error(t.pos(), "bad number or duration syntax: " + Printer.quote(t.text()));
    }
    if (d.isZero()) {
      throw error(t.pos(), "duration must be greater than 0");
    }
    return d;
  }

  /** A number token read as seconds, rounded to the millisecond. */
  private Duration secondsToDuration(Token t) {
    double seconds = number(t);
    if (!Double.isFinite(seconds) || Math.abs(seconds) >= Long.MAX_VALUE / 1000.0) {
      throw error(t.pos(), "duration out of range: " + Printer.quote(t.text()));
    }
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  // ---- tokens, positions and errors ----

  private Token peek() {
    Token t = peekRaw(0);
    if (t.type() == TokenType.ERROR) {
      throw error(t.pos(), t.value());
    }
    return t;
  }

  /** The token n ahead without raising a lexical error it may carry. */
  private Token peekRaw(int n) {
    while (ahead.size() <= n) {
      ahead.add(lexer.next());
    }
    return ahead.get(n);
  }

  private Token next() {
    Token t = peek();
    ahead.remove(0);
    return t;
  }

  private <E extends Expr> E at(E expr, int pos) {
    starts.put(expr, pos);
    return expr;
  }

  private int start(Expr e) {
    Integer p = starts.get(e);
    return p == null ? 0 : p;
  }

  private ParseException error(int pos, String message) {
    return new ParseException(query, pos, message);
  }

  private ParseException unexpected(Token t, @Nullable String context, @Nullable String expected) {
    StringBuilder msg = new StringBuilder("unexpected ").append(t.describe());
    if (context != null) {
      msg.append(" in ").append(context);
    }
    if (expected != null) {
      msg.append(", expected ").append(expected);
    }
    return error(t.pos(), msg.toString());
  }
}
