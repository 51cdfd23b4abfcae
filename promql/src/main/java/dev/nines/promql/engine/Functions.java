package dev.nines.promql.engine;

import static dev.nines.promql.engine.Values.ABSENT;
import static dev.nines.promql.engine.Values.isAbsent;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.promql.parser.Call;
import dev.nines.promql.parser.Expr;
import dev.nines.promql.parser.MatrixSelector;
import dev.nines.promql.parser.ValueType;
import dev.nines.promql.parser.VectorSelector;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * PromQL's functions over instant vectors and scalars, and the driver that runs the range functions
 * of {@link RangeFunctions} over range selectors and subqueries.
 */
final class Functions {
  private Functions() {}

  // ---------------------------------------------------------------- scalars

  static double[] scalarCall(Evaluator ev, Call c) {
    String name = c.function().name();
    return switch (name) {
      case "time" -> {
        double[] out = new double[ev.steps];
        for (int i = 0; i < ev.steps; i++) {
          out[i] = ev.time(i) / 1000.0;
        }
        yield out;
      }
      case "pi" -> ev.filled(Math.PI);
      case "scalar" -> {
        List<StepSeries> in = ev.vector(c.args().get(0));
        double[] out = ev.filled(Double.NaN);
        for (int i = 0; i < ev.steps; i++) {
          int found = 0;
          double v = Double.NaN;
          for (StepSeries s : in) {
            if (!isAbsent(s.values[i])) {
              found++;
              v = s.values[i];
            }
          }
          out[i] = found == 1 ? v : Double.NaN;
        }
        yield out;
      }
      case "start" -> ev.filled(ev.ctx.queryStart / 1000.0);
      case "end" -> ev.filled(ev.ctx.queryEnd / 1000.0);
      case "range" -> ev.filled((ev.ctx.queryEnd - ev.ctx.queryStart) / 1000.0);
      case "step" -> ev.filled(ev.ctx.queryStep / 1000.0);
      case "min_of", "max_of" -> {
        double[] a = ev.scalar(c.args().get(0));
        double[] b = ev.scalar(c.args().get(1));
        double[] out = new double[ev.steps];
        for (int i = 0; i < ev.steps; i++) {
          out[i] = name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
        }
        yield out;
      }
      default -> throw unsupported(name);
    };
  }

  static QueryException unsupported(String name) {
    return new QueryException(
        QueryException.Kind.EXECUTION, "function \"" + name + "\" is not supported yet");
  }

  // ---------------------------------------------------------------- vectors

  static List<StepSeries> vectorCall(Evaluator ev, Call c) {
    String name = c.function().name();
    List<Expr> args = c.args();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type() == ValueType.MATRIX) {
        return rangeCall(ev, c, i);
      }
    }
    return switch (name) {
      case "abs" -> map(ev, args, Math::abs);
      case "ceil" -> map(ev, args, Math::ceil);
      case "floor" -> map(ev, args, Math::floor);
      case "exp" -> map(ev, args, Math::exp);
      case "sqrt" -> map(ev, args, Math::sqrt);
      case "ln" -> map(ev, args, Math::log);
      case "log2" -> map(ev, args, Functions::log2);
      case "log10" -> map(ev, args, Math::log10);
      case "sin" -> map(ev, args, Math::sin);
      case "cos" -> map(ev, args, Math::cos);
      case "tan" -> map(ev, args, Math::tan);
      case "asin" -> map(ev, args, Math::asin);
      case "acos" -> map(ev, args, Math::acos);
      case "atan" -> map(ev, args, Math::atan);
      case "sinh" -> map(ev, args, Math::sinh);
      case "cosh" -> map(ev, args, Math::cosh);
      case "tanh" -> map(ev, args, Math::tanh);
      case "asinh" -> map(ev, args, Functions::asinh);
      case "acosh" -> map(ev, args, Functions::acosh);
      case "atanh" -> map(ev, args, Functions::atanh);
      case "deg" -> map(ev, args, v -> v * 180 / Math.PI);
      case "rad" -> map(ev, args, v -> v * Math.PI / 180);
      case "sgn" -> map(ev, args, v -> v < 0 ? -1 : v > 0 ? 1 : v);
      case "round" -> round(ev, args);
      case "clamp", "clamp_min", "clamp_max" -> clamp(ev, name, args);
      case "timestamp" -> timestamp(ev, args.get(0));
      case "vector" -> {
        double[] v = ev.scalar(args.get(0)).clone();
        List<StepSeries> out = new ArrayList<>();
        out.add(new StepSeries(Labels.EMPTY, v, false));
        yield out;
      }
      case "year",
          "month",
          "day_of_month",
          "day_of_week",
          "day_of_year",
          "days_in_month",
          "hour",
          "minute" ->
          date(ev, name, args);
      case "sort", "sort_desc" -> sort(ev, name, args.get(0));
      case "sort_by_label", "sort_by_label_desc" -> sortByLabel(ev, name, args);
      case "label_replace" -> labelReplace(ev, args);
      case "label_join" -> labelJoin(ev, args);
      case "absent" -> absent(ev, args.get(0));
      case "histogram_quantile" -> histogramQuantile(ev, args);
      case "histogram_fraction" -> histogramFraction(ev, args);
      case "histogram_count",
          "histogram_sum",
          "histogram_avg",
          "histogram_stddev",
          "histogram_stdvar" -> {
        // These read native histograms only; float samples are ignored, as in Prometheus.
        ev.vector(args.get(0));
        yield new ArrayList<>();
      }
      default -> throw unsupported(name);
    };
  }

  private static double log2(double v) {
    if (v > 0 && !Double.isInfinite(v)) {
      // Exact for powers of two, as Go's math.Log2.
      long bits = Double.doubleToRawLongBits(v);
      if ((bits & 0x000f_ffff_ffff_ffffL) == 0 && Math.getExponent(v) >= Double.MIN_EXPONENT) {
        return Math.getExponent(v);
      }
    }
    return Math.log(v) / Math.log(2);
  }

  private static double asinh(double x) {
    if (Double.isInfinite(x) || Double.isNaN(x) || x == 0) {
      return x;
    }
    double a = Math.abs(x);
    double r = Math.log(a + Math.sqrt(a * a + 1));
    return x < 0 ? -r : r;
  }

  private static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return 0;
    }
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  private static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    if (x == 0) {
      return x;
    }
    return 0.5 * Math.log((1 + x) / (1 - x));
  }

  private static List<StepSeries> map(Evaluator ev, List<Expr> args, DoubleUnaryOperator f) {
    List<StepSeries> in = ev.vector(args.get(0));
    for (StepSeries s : in) {
      double[] v = s.values;
      for (int i = 0; i < v.length; i++) {
        if (!isAbsent(v[i])) {
          v[i] = f.applyAsDouble(v[i]);
        }
      }
      ev.dropName(s);
    }
    ev.checkNoSameLabelset(in, false);
    return in;
  }

  private static List<StepSeries> round(Evaluator ev, List<Expr> args) {
    double[] to = args.size() > 1 ? ev.scalar(args.get(1)) : ev.filled(1);
    List<StepSeries> in = ev.vector(args.get(0));
    for (StepSeries s : in) {
      double[] v = s.values;
      for (int i = 0; i < v.length; i++) {
        if (!isAbsent(v[i])) {
          double inverse = 1.0 / to[i];
          v[i] = Math.floor(v[i] * inverse + 0.5) / inverse;
        }
      }
      ev.dropName(s);
    }
    ev.checkNoSameLabelset(in, false);
    return in;
  }

  private static List<StepSeries> clamp(Evaluator ev, String name, List<Expr> args) {
    double[] min;
    double[] max;
    switch (name) {
      case "clamp" -> {
        min = ev.scalar(args.get(1));
        max = ev.scalar(args.get(2));
      }
      case "clamp_min" -> {
        min = ev.scalar(args.get(1));
        max = ev.filled(Double.POSITIVE_INFINITY);
      }
      default -> {
        min = ev.filled(Double.NEGATIVE_INFINITY);
        max = ev.scalar(args.get(1));
      }
    }
    List<StepSeries> in = ev.vector(args.get(0));
    List<StepSeries> out = new ArrayList<>();
    for (StepSeries s : in) {
      double[] v = s.values;
      boolean any = false;
      for (int i = 0; i < v.length; i++) {
        if (isAbsent(v[i])) {
          continue;
        }
        if (max[i] < min[i]) {
          v[i] = ABSENT;
          continue;
        }
        v[i] = Math.max(min[i], Math.min(max[i], v[i]));
        any = true;
      }
      if (any) {
        ev.dropName(s);
        out.add(s);
      }
    }
    ev.checkNoSameLabelset(out, false);
    return out;
  }

  private static List<StepSeries> timestamp(Evaluator ev, Expr arg) {
    Expr a = Evaluator.unwrap(arg);
    List<StepSeries> in;
    if (a instanceof VectorSelector vs) {
      in = ev.select(vs, true);
    } else {
      in = ev.vector(a);
      for (StepSeries s : in) {
        for (int i = 0; i < s.values.length; i++) {
          if (!isAbsent(s.values[i])) {
            s.values[i] = ev.time(i) / 1000.0;
          }
        }
      }
    }
    for (StepSeries s : in) {
      ev.dropName(s);
    }
    ev.checkNoSameLabelset(in, false);
    return in;
  }

  private static List<StepSeries> date(Evaluator ev, String name, List<Expr> args) {
    List<StepSeries> in;
    if (args.isEmpty()) {
      double[] t = new double[ev.steps];
      for (int i = 0; i < ev.steps; i++) {
        t[i] = ev.time(i) / 1000.0;
      }
      in = new ArrayList<>();
      in.add(new StepSeries(Labels.EMPTY, t, false));
    } else {
      in = ev.vector(args.get(0));
      for (StepSeries s : in) {
        ev.dropName(s);
      }
    }
    for (StepSeries s : in) {
      double[] v = s.values;
      for (int i = 0; i < v.length; i++) {
        if (isAbsent(v[i])) {
          continue;
        }
        double f = v[i];
        if (Double.isNaN(f) || Double.isInfinite(f)) {
          // Go converts these to the minimum int64; Nines reports NaN.
          v[i] = Double.NaN;
          continue;
        }
        ZonedDateTime t = Instant.ofEpochSecond((long) f).atZone(ZoneOffset.UTC);
        v[i] =
            switch (name) {
              case "year" -> t.getYear();
              case "month" -> t.getMonthValue();
              case "day_of_month" -> t.getDayOfMonth();
              case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
              case "day_of_year" -> t.getDayOfYear();
              case "days_in_month" -> LocalDate.from(t).lengthOfMonth();
              case "hour" -> t.getHour();
              default -> t.getMinute();
            };
      }
    }
    ev.checkNoSameLabelset(in, false);
    return in;
  }

  private static List<StepSeries> sort(Evaluator ev, String name, Expr arg) {
    List<StepSeries> in = ev.vector(arg);
    if (ev.steps != 1) {
      return in;
    }
    boolean desc = name.equals("sort_desc");
    Comparator<StepSeries> cmp =
        (a, b) -> {
          double x = a.values[0];
          double y = b.values[0];
          boolean nx = Double.isNaN(x);
          boolean ny = Double.isNaN(y);
          if (nx || ny) {
            return Boolean.compare(nx, ny);
          }
          return desc ? Double.compare(y, x) : Double.compare(x, y);
        };
    in.sort(cmp);
    return in;
  }

  private static List<StepSeries> sortByLabel(Evaluator ev, String name, List<Expr> args) {
    List<StepSeries> in = ev.vector(args.get(0));
    List<String> labels = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      labels.add(ev.string(args.get(i)));
    }
    boolean desc = name.endsWith("_desc");
    Comparator<StepSeries> cmp =
        (a, b) -> {
          for (String l : labels) {
            String x = orEmpty(a.labels.get(l));
            String y = orEmpty(b.labels.get(l));
            if (x.equals(y)) {
              continue;
            }
            int c = NaturalOrder.compare(x, y);
            return desc ? -c : c;
          }
          int c = a.labels.compareTo(b.labels);
          return desc ? -c : c;
        };
    in.sort(cmp);
    return in;
  }

  static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static List<StepSeries> labelReplace(Evaluator ev, List<Expr> args) {
    String dst = ev.string(args.get(1));
    String repl = ev.string(args.get(2));
    String src = ev.string(args.get(3));
    String regex = ev.string(args.get(4));
    Pattern pattern;
    try {
      pattern = Pattern.compile("^(?s:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw new QueryException(
          QueryException.Kind.EXECUTION, "invalid regular expression in label_replace(): " + regex);
    }
    if (!Aggregations.validLabelName(dst)) {
      throw new QueryException(
          QueryException.Kind.EXECUTION,
          "invalid destination label name in label_replace(): " + dst);
    }
    List<StepSeries> in = ev.vector(args.get(0));
    for (StepSeries s : in) {
      String srcVal = orEmpty(s.labels.get(src));
      Matcher m = pattern.matcher(srcVal);
      if (m.matches()) {
        String res = expand(repl, m);
        s.labels = s.labels.toBuilder().set(dst, res).build();
        if (dst.equals(Labels.METRIC_NAME)) {
          s.dropName = false;
        }
      }
    }
    ev.checkNoSameLabelset(in, false);
    return in;
  }

  /** Go's {@code Regexp.ExpandString}: {@code $1}, {@code ${1}}, {@code $name}, {@code $$}. */
  static String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char ch = template.charAt(i);
      if (ch != '$' || i + 1 >= template.length()) {
        out.append(ch);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int endIdx;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          out.append(ch);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        endIdx = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length()
            && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
          j++;
        }
        name = template.substring(i + 1, j);
        endIdx = j;
      }
      if (name.isEmpty()) {
        out.append(ch);
        i++;
        continue;
      }
      String value = "";
      if (name.chars().allMatch(Character::isDigit)) {
        int g = Integer.parseInt(name);
        if (g <= m.groupCount()) {
          value = orEmpty(m.group(g));
        }
      } else {
        try {
          value = orEmpty(m.group(name));
        } catch (IllegalArgumentException e) {
          value = "";
        }
      }
      out.append(value);
      i = endIdx;
    }
    return out.toString();
  }

  private static List<StepSeries> labelJoin(Evaluator ev, List<Expr> args) {
    String dst = ev.string(args.get(1));
    String sep = ev.string(args.get(2));
    List<String> srcs = new ArrayList<>();
    for (int i = 3; i < args.size(); i++) {
      String src = ev.string(args.get(i));
      if (!Aggregations.validLabelName(src)) {
        throw new QueryException(
            QueryException.Kind.EXECUTION, "invalid source label name in label_join(): " + src);
      }
      srcs.add(src);
    }
    if (!Aggregations.validLabelName(dst)) {
      throw new QueryException(
          QueryException.Kind.EXECUTION, "invalid destination label name in label_join(): " + dst);
    }
    List<StepSeries> in = ev.vector(args.get(0));
    for (StepSeries s : in) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < srcs.size(); i++) {
        if (i > 0) {
          b.append(sep);
        }
        b.append(orEmpty(s.labels.get(srcs.get(i))));
      }
      s.labels = s.labels.toBuilder().set(dst, b.toString()).build();
      if (dst.equals(Labels.METRIC_NAME)) {
        s.dropName = false;
      }
    }
    ev.checkNoSameLabelset(in, false);
    return in;
  }

  /** The labels absent() and absent_over_time() give: equality matchers used exactly once. */
  static Labels absentLabels(Expr arg) {
    Expr a = Evaluator.unwrap(arg);
    List<LabelMatcher> matchers;
    if (a instanceof VectorSelector vs) {
      matchers = vs.matchers();
    } else if (a instanceof MatrixSelector ms) {
      matchers = ms.selector().matchers();
    } else {
      return Labels.EMPTY;
    }
    Labels.Builder b = Labels.builder();
    Set<String> seen = new HashSet<>();
    Set<String> repeated = new HashSet<>();
    for (LabelMatcher m : matchers) {
      if (m.name().equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (m.type() == LabelMatcher.Type.EQUAL && !seen.add(m.name())) {
        repeated.add(m.name());
      } else if (m.type() == LabelMatcher.Type.EQUAL) {
        b.set(m.name(), m.value());
      }
    }
    for (String r : repeated) {
      b.delete(r);
    }
    return b.build();
  }

  private static List<StepSeries> absent(Evaluator ev, Expr arg) {
    List<StepSeries> in = ev.vector(arg);
    double[] out = Values.absentArray(ev.steps);
    boolean any = false;
    for (int i = 0; i < ev.steps; i++) {
      if (!Evaluator.anyPresent(in, i)) {
        out[i] = 1;
        any = true;
      }
    }
    List<StepSeries> result = new ArrayList<>();
    if (any) {
      result.add(new StepSeries(absentLabels(arg), out, false));
    }
    return result;
  }

  // ---------------------------------------------------------------- classic histograms

  /** Go's {@code strconv.ParseFloat}, for {@code le} values; NaN bits when it does not parse. */
  static double parseGoFloat(String s) {
    if (s == null || s.isEmpty()) {
      return Double.NaN;
    }
    String t = s.toLowerCase(java.util.Locale.ROOT);
    String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
    if (body.equals("inf") || body.equals("infinity")) {
      return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (body.equals("nan")) {
      return Double.NaN;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!(Character.isDigit(ch)
          || ch == '.'
          || ch == 'e'
          || ch == 'E'
          || ch == '+'
          || ch == '-'
          || ch == 'x'
          || ch == 'X'
          || ch == 'p'
          || ch == 'P'
          || (ch >= 'a' && ch <= 'f')
          || (ch >= 'A' && ch <= 'F'))) {
        return Double.NaN;
      }
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private record HistGroup(Labels labels, List<Integer> members, List<Double> bounds) {}

  private static List<HistGroup> histogramGroups(Evaluator ev, List<StepSeries> in) {
    Map<Labels, HistGroup> groups = new LinkedHashMap<>();
    for (StepSeries s : in) {
      String le = s.labels.get("le");
      double upper = parseGoFloat(le);
      boolean malformed =
          le == null
              || (Double.isNaN(upper) && !le.toLowerCase(java.util.Locale.ROOT).endsWith("nan"));
      if (malformed) {
        String name = s.labels.metricName();
        ev.ctx.warn(
            "PromQL warning: bucket label \"le\" is missing or has a malformed value of \""
                + orEmpty(le)
                + "\""
                + (name != null ? " for metric name \"" + name + "\"" : ""));
      }
    }
    int idx = 0;
    for (StepSeries s : in) {
      String le = s.labels.get("le");
      double upper = parseGoFloat(le);
      if (le == null
          || (Double.isNaN(upper) && !le.toLowerCase(java.util.Locale.ROOT).endsWith("nan"))) {
        idx++;
        continue;
      }
      Labels sig = s.labels.toBuilder().delete("le").build();
      HistGroup g =
          groups.computeIfAbsent(sig, k -> new HistGroup(k, new ArrayList<>(), new ArrayList<>()));
      g.members().add(idx);
      g.bounds().add(upper);
      idx++;
    }
    return new ArrayList<>(groups.values());
  }

  private static List<StepSeries> histogramQuantile(Evaluator ev, List<Expr> args) {
    double[] q = ev.scalar(args.get(0));
    List<StepSeries> in = ev.vector(args.get(1));
    List<HistGroup> groups = histogramGroups(ev, in);
    ClassicHistograms.Buckets buckets = new ClassicHistograms.Buckets();
    boolean[] forced = new boolean[1];
    List<StepSeries> out = new ArrayList<>();
    for (int i = 0; i < ev.steps; i++) {
      if (!in.isEmpty() && Evaluator.anyPresent(in, i)) {
        Aggregations.warnQuantile(ev, q[i]);
      }
    }
    for (HistGroup g : groups) {
      double[] vals = null;
      boolean anyForced = false;
      for (int i = 0; i < ev.steps; i++) {
        buckets.clear();
        for (int k = 0; k < g.members().size(); k++) {
          double v = in.get(g.members().get(k)).values[i];
          if (!isAbsent(v)) {
            buckets.add(g.bounds().get(k), v);
          }
        }
        if (buckets.n == 0) {
          continue;
        }
        forced[0] = false;
        double r = ClassicHistograms.quantile(q[i], buckets, forced);
        anyForced |= forced[0];
        if (vals == null) {
          vals = Values.absentArray(ev.steps);
        }
        vals[i] = r;
      }
      if (vals != null) {
        if (anyForced) {
          String name = ev.delayedNameRemoval ? g.labels().metricName() : null;
          ev.ctx.info(
              "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see"
                  + " https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
                  + (name != null ? " for metric name \"" + name + "\"" : ""));
        }
        StepSeries s = new StepSeries(g.labels(), vals, false);
        ev.dropName(s);
        out.add(s);
      }
    }
    ev.checkNoSameLabelset(out, false);
    return out;
  }

  private static List<StepSeries> histogramFraction(Evaluator ev, List<Expr> args) {
    double[] lower = ev.scalar(args.get(0));
    double[] upper = ev.scalar(args.get(1));
    List<StepSeries> in = ev.vector(args.get(2));
    List<HistGroup> groups = histogramGroups(ev, in);
    ClassicHistograms.Buckets buckets = new ClassicHistograms.Buckets();
    List<StepSeries> out = new ArrayList<>();
    for (HistGroup g : groups) {
      double[] vals = null;
      for (int i = 0; i < ev.steps; i++) {
        buckets.clear();
        for (int k = 0; k < g.members().size(); k++) {
          double v = in.get(g.members().get(k)).values[i];
          if (!isAbsent(v)) {
            buckets.add(g.bounds().get(k), v);
          }
        }
        if (buckets.n == 0) {
          continue;
        }
        if (vals == null) {
          vals = Values.absentArray(ev.steps);
        }
        vals[i] = ClassicHistograms.fraction(lower[i], upper[i], buckets);
      }
      if (vals != null) {
        StepSeries s = new StepSeries(g.labels(), vals, false);
        ev.dropName(s);
        out.add(s);
      }
    }
    ev.checkNoSameLabelset(out, false);
    return out;
  }

  // ---------------------------------------------------------------- range functions

  private static final Set<String> KEEP_NAME = Set.of("last_over_time", "first_over_time");

  private static List<StepSeries> rangeCall(Evaluator ev, Call c, int matrixIndex) {
    String name = c.function().name();
    if (name.equals("info")) {
      throw unsupported(name);
    }
    RangeFunctions.Fn fn = RangeFunctions.Fn.of(name);
    List<Expr> args = c.args();
    Expr arg = args.get(matrixIndex);
    double[] p1 = null;
    double[] p2 = null;
    int scalarSeen = 0;
    for (int i = 0; i < args.size(); i++) {
      if (i == matrixIndex) {
        continue;
      }
      double[] v = ev.scalar(args.get(i));
      if (scalarSeen++ == 0) {
        p1 = v;
      } else {
        p2 = v;
      }
    }
    if (fn == RangeFunctions.Fn.DOUBLE_EXPONENTIAL_SMOOTHING) {
      for (int i = 0; i < ev.steps; i++) {
        if (p1[i] <= 0 || p1[i] >= 1) {
          throw new QueryException(
              QueryException.Kind.EXECUTION,
              "invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format("%f", p1[i]));
        }
        if (p2[i] <= 0 || p2[i] >= 1) {
          throw new QueryException(
              QueryException.Kind.EXECUTION,
              "invalid trend factor. Expected: 0 < tf < 1, got: " + String.format("%f", p2[i]));
        }
      }
    }
    long[] base = ev.baseTimes(Evaluator.at(arg));
    long offset = Evaluator.offsetMillis(arg);
    long[] te = base.clone();
    for (int i = 0; i < te.length; i++) {
      te[i] -= offset;
    }
    long range = Evaluator.rangeMillis(arg);
    boolean keepName = KEEP_NAME.contains(name);
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    boolean isRateFamily = fn == RangeFunctions.Fn.RATE || fn == RangeFunctions.Fn.INCREASE;
    List<StepSeries> out = new ArrayList<>();
    boolean[] presentAnywhere =
        fn == RangeFunctions.Fn.ABSENT_OVER_TIME ? new boolean[ev.steps] : null;
    final double[] fp1 = p1;
    final double[] fp2 = p2;
    int[][] resetsBuf = new int[1][];
    double[] scratch = new double[0];
    ev.scanRange(
        arg,
        te,
        (labels, ts, vs, n) -> {
          int[] resets = null;
          if (isRateFamily) {
            if (resetsBuf[0] == null || resetsBuf[0].length < n) {
              resetsBuf[0] = new int[Math.max(n, 64)];
            }
            resets = resetsBuf[0];
            resets[0] = 0;
            for (int i = 1; i < n; i++) {
              resets[i] = resets[i - 1] + (vs[i] < vs[i - 1] ? 1 : 0);
            }
          }
          double[] values = null;
          int count = 0;
          int lo = 0;
          int hi = 0;
          long windowSamples = 0;
          for (int i = 0; i < te.length; i++) {
            long t = te[i];
            long lower = t - range;
            if (hi < lo) {
              hi = lo;
            }
            while (hi < n && ts[hi] <= t) {
              hi++;
            }
            while (lo < hi && ts[lo] <= lower) {
              lo++;
            }
            if (hi == lo) {
              continue;
            }
            windowSamples += hi - lo;
            if (presentAnywhere != null) {
              presentAnywhere[i] = true;
              continue;
            }
            double p1v = fp1 == null ? 0 : fp1[i];
            double p2v = fp2 == null ? 0 : fp2[i];
            if (fn == RangeFunctions.Fn.QUANTILE_OVER_TIME) {
              Aggregations.warnQuantile(ev, p1v);
            }
            double v =
                RangeFunctions.apply(
                    fn, ts, vs, lo, hi, t, range, base[i], resets, p1v, p2v, scratch);
            if (isAbsent(v)) {
              continue;
            }
            if (values == null) {
              values = Values.absentArray(te.length);
            }
            values[i] = v;
            count++;
          }
          ev.ctx.addQueryable(windowSamples);
          if (values != null) {
            ev.ctx.addSamples(count);
            StepSeries s = new StepSeries(labels, values, false);
            if (!keepName) {
              ev.dropName(s);
            }
            out.add(s);
            if (counterCheck) {
              String metric = labels.metricName();
              if (metric != null
                  && !metric.endsWith("_total")
                  && !metric.endsWith("_sum")
                  && !metric.endsWith("_count")
                  && !metric.endsWith("_bucket")) {
                ev.ctx.info(
                    "PromQL info: metric might not be a counter, name does not end in"
                        + " _total/_sum/_count/_bucket: \""
                        + metric
                        + "\"");
              }
            }
          }
        });
    if (presentAnywhere != null) {
      double[] vals = Values.absentArray(ev.steps);
      boolean any = false;
      for (int i = 0; i < ev.steps; i++) {
        if (!presentAnywhere[i]) {
          vals[i] = 1;
          any = true;
        }
      }
      List<StepSeries> result = new ArrayList<>();
      if (any) {
        result.add(new StepSeries(absentLabels(arg), vals, false));
      }
      return result;
    }
    ev.checkNoSameLabelset(out, true);
    return out;
  }

  /** Natural-order string comparison, as Prometheus's sort_by_label (facette/natsort). */
  static final class NaturalOrder {
    private NaturalOrder() {}

    static int compare(String a, String b) {
      List<String> ca = chunks(a);
      List<String> cb = chunks(b);
      for (int i = 0; i < Math.min(ca.size(), cb.size()); i++) {
        String x = ca.get(i);
        String y = cb.get(i);
        if (x.equals(y)) {
          continue;
        }
        boolean dx = Character.isDigit(x.charAt(0));
        boolean dy = Character.isDigit(y.charAt(0));
        if (dx && dy) {
          String tx = x.replaceFirst("^0+(?=.)", "");
          String ty = y.replaceFirst("^0+(?=.)", "");
          if (tx.length() != ty.length()) {
            return Integer.compare(tx.length(), ty.length());
          }
          int c = tx.compareTo(ty);
          if (c != 0) {
            return c;
          }
          continue;
        }
        return x.compareTo(y);
      }
      return Integer.compare(ca.size(), cb.size());
    }

    private static List<String> chunks(String s) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        boolean digit = Character.isDigit(s.charAt(i));
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j)) == digit) {
          j++;
        }
        out.add(s.substring(i, j));
        i = j;
      }
      return out;
    }
  }
}
