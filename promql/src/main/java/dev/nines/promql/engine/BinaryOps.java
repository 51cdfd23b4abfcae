package dev.nines.promql.engine;

import static dev.nines.promql.engine.Values.isAbsent;

import dev.nines.common.Labels;
import dev.nines.promql.parser.BinaryExpr;
import dev.nines.promql.parser.BinaryOp;
import dev.nines.promql.parser.ValueType;
import dev.nines.promql.parser.VectorMatching;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators with Prometheus's semantics: scalar/scalar, vector/scalar (filtering comparisons
 * keep the vector's value), vector/vector with {@code on}/{@code ignoring} and {@code
 * group_left}/{@code group_right} matching, and the set operators {@code and}, {@code or}, {@code
 * unless}.
 *
 * <p>Design note: matching signatures are computed once per series and interned to small integers;
 * the per-step loops then work on int and double arrays. Output series are keyed by their label
 * set, so a pairing that changes between steps still lands in one output series, as in Prometheus's
 * range evaluation.
 */
final class BinaryOps {
  private BinaryOps() {}

  static double[] scalarScalar(Evaluator ev, BinaryExpr b) {
    double[] l = ev.scalar(b.lhs());
    double[] r = ev.scalar(b.rhs());
    double[] out = new double[ev.steps];
    for (int i = 0; i < ev.steps; i++) {
      double v = apply(b.op(), l[i], r[i]);
      if (b.op().isComparison()) {
        v = compare(b.op(), l[i], r[i]) ? 1 : 0;
      }
      out[i] = v;
    }
    return out;
  }

  /** Arithmetic, or for comparisons the left value (the caller filters with {@link #compare}). */
  static double apply(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case MOD -> Values.mod(l, r);
      case POW -> Values.pow(l, r);
      case ATAN2 -> Math.atan2(l, r);
      default -> l;
    };
  }

  static boolean compare(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQL -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> throw new IllegalStateException("not a comparison: " + op);
    };
  }

  static boolean dropsName(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, MUL, DIV, MOD, POW, ATAN2 -> true;
      default -> false;
    };
  }

  static List<StepSeries> eval(Evaluator ev, BinaryExpr b) {
    ValueType lt = b.lhs().type();
    ValueType rt = b.rhs().type();
    if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
      List<StepSeries> l = ev.vector(b.lhs());
      List<StepSeries> r = ev.vector(b.rhs());
      VectorMatching m =
          b.matching() != null
              ? b.matching()
              : new VectorMatching(
                  b.op().isSetOperator()
                      ? VectorMatching.Cardinality.MANY_TO_MANY
                      : VectorMatching.Cardinality.ONE_TO_ONE,
                  List.of(),
                  false,
                  List.of());
      return switch (b.op()) {
        case AND -> and(ev, l, r, m, false);
        case UNLESS -> and(ev, l, r, m, true);
        case OR -> or(ev, l, r, m);
        default -> vectorVector(ev, b, l, r, m);
      };
    }
    boolean swap = lt == ValueType.SCALAR;
    List<StepSeries> vec = ev.vector(swap ? b.rhs() : b.lhs());
    double[] scalar = ev.scalar(swap ? b.lhs() : b.rhs());
    return vectorScalar(ev, b, vec, scalar, swap);
  }

  private static List<StepSeries> vectorScalar(
      Evaluator ev, BinaryExpr b, List<StepSeries> vec, double[] scalar, boolean swap) {
    BinaryOp op = b.op();
    boolean comparison = op.isComparison();
    boolean dropName = dropsName(op) || b.returnBool();
    List<StepSeries> out = new ArrayList<>(vec.size());
    for (StepSeries s : vec) {
      double[] v = s.values;
      boolean any = false;
      for (int i = 0; i < v.length; i++) {
        double x = v[i];
        if (isAbsent(x)) {
          continue;
        }
        double l = swap ? scalar[i] : x;
        double r = swap ? x : scalar[i];
        if (comparison) {
          boolean keep = compare(op, l, r);
          if (b.returnBool()) {
            v[i] = keep ? 1 : 0;
          } else if (!keep) {
            v[i] = Values.ABSENT;
            continue;
          }
          // A kept element keeps the vector's value, on either side.
        } else {
          v[i] = apply(op, l, r);
        }
        any = true;
      }
      if (any) {
        if (dropName) {
          ev.dropName(s);
        }
        out.add(s);
      }
    }
    ev.checkNoSameLabelset(out, false);
    return out;
  }

  // ---------------------------------------------------------------- signatures

  /** Interns the matching signature of each series; returns one id per series. */
  private static int[] signatures(
      List<StepSeries> series, VectorMatching m, Map<Labels, Integer> ids, boolean delayed) {
    int[] out = new int[series.size()];
    Set<String> names = new HashSet<>(m.matchingLabels());
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < out.length; i++) {
      StepSeries s = series.get(i);
      Labels l = s.labels;
      b.reset();
      for (int j = 0; j < l.size(); j++) {
        String n = l.name(j);
        boolean isName = n.equals(Labels.METRIC_NAME);
        if (isName && delayed && s.dropName) {
          continue;
        }
        boolean keep = m.on() ? names.contains(n) : !isName && !names.contains(n);
        if (keep) {
          b.set(n, l.value(j));
        }
      }
      Labels sig = b.build();
      Integer id = ids.get(sig);
      if (id == null) {
        id = ids.size();
        ids.put(sig, id);
      }
      out[i] = id;
    }
    return out;
  }

  // ---------------------------------------------------------------- set operators

  private static List<StepSeries> and(
      Evaluator ev, List<StepSeries> l, List<StepSeries> r, VectorMatching m, boolean unless) {
    Map<Labels, Integer> ids = new HashMap<>();
    int[] ls = signatures(l, m, ids, ev.delayedNameRemoval);
    int[] rs = signatures(r, m, ids, ev.delayedNameRemoval);
    int[] presentAt = new int[ids.size()];
    Arrays.fill(presentAt, -1);
    List<StepSeries> out = new ArrayList<>(l.size());
    boolean[] any = new boolean[l.size()];
    for (int step = 0; step < ev.steps; step++) {
      for (int j = 0; j < r.size(); j++) {
        if (!isAbsent(r.get(j).values[step])) {
          presentAt[rs[j]] = step;
        }
      }
      for (int i = 0; i < l.size(); i++) {
        double[] v = l.get(i).values;
        if (isAbsent(v[step])) {
          continue;
        }
        boolean matched = presentAt[ls[i]] == step;
        if (matched == unless) {
          v[step] = Values.ABSENT;
        } else {
          any[i] = true;
        }
      }
    }
    for (int i = 0; i < l.size(); i++) {
      if (any[i]) {
        out.add(l.get(i));
      }
    }
    return out;
  }

  private static List<StepSeries> or(
      Evaluator ev, List<StepSeries> l, List<StepSeries> r, VectorMatching m) {
    Map<Labels, Integer> ids = new HashMap<>();
    int[] ls = signatures(l, m, ids, ev.delayedNameRemoval);
    int[] rs = signatures(r, m, ids, ev.delayedNameRemoval);
    int[] presentAt = new int[ids.size()];
    Arrays.fill(presentAt, -1);
    Output out = new Output(ev);
    for (StepSeries s : l) {
      out.adopt(s);
    }
    for (int step = 0; step < ev.steps; step++) {
      for (int i = 0; i < l.size(); i++) {
        if (!isAbsent(l.get(i).values[step])) {
          presentAt[ls[i]] = step;
        }
      }
      for (int j = 0; j < r.size(); j++) {
        StepSeries s = r.get(j);
        double v = s.values[step];
        if (!isAbsent(v) && presentAt[rs[j]] != step) {
          out.put(s.labels, s.dropName, step, v);
        }
      }
    }
    return out.list();
  }

  // ---------------------------------------------------------------- arithmetic and comparisons

  private static List<StepSeries> vectorVector(
      Evaluator ev, BinaryExpr b, List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching m) {
    if (m.card() == VectorMatching.Cardinality.MANY_TO_MANY) {
      throw new QueryException(
          QueryException.Kind.EXECUTION, "many-to-many only allowed for set operators");
    }
    boolean groupRight = m.card() == VectorMatching.Cardinality.ONE_TO_MANY;
    // The "one" side is on the right; group_right swaps the sides.
    List<StepSeries> many = groupRight ? rhs : lhs;
    List<StepSeries> one = groupRight ? lhs : rhs;
    Map<Labels, Integer> ids = new HashMap<>();
    int[] manySig = signatures(many, m, ids, ev.delayedNameRemoval);
    int[] oneSig = signatures(one, m, ids, ev.delayedNameRemoval);
    int nsig = ids.size();
    Labels[] sigLabels = new Labels[nsig];
    ids.forEach((k, v) -> sigLabels[v] = k);
    // Per step: which series of the "one" side holds each signature.
    int[] oneAt = new int[nsig];
    int[] oneAtStep = new int[nsig];
    Arrays.fill(oneAtStep, -1);
    int[] matchedStep = new int[nsig];
    Arrays.fill(matchedStep, -1);
    Map<Long, Set<Labels>> inserted = new HashMap<>();
    BinaryOp op = b.op();
    boolean comparison = op.isComparison();
    boolean returnBool = b.returnBool();
    boolean oneToOne = m.card() == VectorMatching.Cardinality.ONE_TO_ONE;
    Output out = new Output(ev);
    // Cache of the output label set per (many series, one series) pair.
    int[] lastOne = new int[many.size()];
    Arrays.fill(lastOne, -1);
    Labels[] lastLabels = new Labels[many.size()];
    for (int step = 0; step < ev.steps; step++) {
      if ((step & 63) == 0) {
        ev.ctx.checkDeadline();
      }
      for (int j = 0; j < one.size(); j++) {
        if (isAbsent(one.get(j).values[step])) {
          continue;
        }
        int sig = oneSig[j];
        if (oneAtStep[sig] == step) {
          StepSeries first = one.get(oneAt[sig]);
          throw new QueryException(
              QueryException.Kind.EXECUTION,
              "found duplicate series for the match group "
                  + sigLabels[sig]
                  + " on the "
                  + (groupRight ? "left" : "right")
                  + " hand-side of the operation: ["
                  + one.get(j).labels
                  + ", "
                  + first.labels
                  + "];many-to-many matching not allowed: matching labels must be unique on one"
                  + " side");
        }
        oneAtStep[sig] = step;
        oneAt[sig] = j;
      }
      for (int i = 0; i < many.size(); i++) {
        StepSeries ms = many.get(i);
        double mv = ms.values[step];
        if (isAbsent(mv)) {
          continue;
        }
        int sig = manySig[i];
        if (oneAtStep[sig] != step) {
          continue;
        }
        int j = oneAt[sig];
        StepSeries os = one.get(j);
        double ov = os.values[step];
        double l = groupRight ? ov : mv;
        double r = groupRight ? mv : ov;
        double value;
        if (comparison) {
          boolean keep = compare(op, l, r);
          if (returnBool) {
            value = keep ? 1 : 0;
          } else if (!keep) {
            continue;
          } else {
            value = l;
          }
        } else {
          value = apply(op, l, r);
        }
        Labels result;
        if (lastOne[i] == j) {
          result = lastLabels[i];
        } else {
          result = resultLabels(ev, ms, os, op, m, returnBool);
          lastOne[i] = j;
          lastLabels[i] = result;
        }
        if (oneToOne) {
          if (matchedStep[sig] == step) {
            throw new QueryException(
                QueryException.Kind.EXECUTION,
                "multiple matches for labels: many-to-one matching must be explicit"
                    + " (group_left/group_right)");
          }
          matchedStep[sig] = step;
        } else {
          Set<Labels> seen =
              inserted.computeIfAbsent(((long) step << 32) | sig, k -> new HashSet<>());
          if (!seen.add(result)) {
            throw new QueryException(
                QueryException.Kind.EXECUTION,
                "multiple matches for labels: grouping labels must ensure unique matches");
          }
        }
        boolean markDrop = ev.delayedNameRemoval && (dropsName(op) || returnBool || ms.dropName);
        out.put(result, markDrop, step, value);
      }
      if (!oneToOne) {
        inserted.clear();
      }
    }
    return out.list();
  }

  private static Labels resultLabels(
      Evaluator ev,
      StepSeries many,
      StepSeries one,
      BinaryOp op,
      VectorMatching m,
      boolean returnBool) {
    Labels.Builder b = many.labels.toBuilder();
    if (!ev.delayedNameRemoval && (dropsName(op) || returnBool)) {
      b.delete(Labels.METRIC_NAME);
    }
    if (m.card() == VectorMatching.Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Set<String> keep = new HashSet<>(m.matchingLabels());
        Labels l = many.labels;
        for (int k = 0; k < l.size(); k++) {
          if (!keep.contains(l.name(k))) {
            b.delete(l.name(k));
          }
        }
      } else {
        for (String n : m.matchingLabels()) {
          b.delete(n);
        }
      }
    }
    for (String n : m.include()) {
      String v = one.labels.get(n);
      if (v != null && !v.isEmpty()) {
        b.set(n, v);
      } else {
        b.delete(n);
      }
    }
    return b.build();
  }

  /** Output series keyed by label set, filled step by step, with the duplicate check. */
  static final class Output {
    private final Evaluator ev;
    private final Map<Labels, StepSeries> byLabels = new LinkedHashMap<>();

    Output(Evaluator ev) {
      this.ev = ev;
    }

    /** Takes over an existing series as an output series. */
    void adopt(StepSeries s) {
      StepSeries prev = byLabels.putIfAbsent(s.labels, s);
      if (prev != null) {
        for (int i = 0; i < ev.steps; i++) {
          if (!isAbsent(s.values[i])) {
            put(s.labels, s.dropName, i, s.values[i]);
          }
        }
      }
    }

    void put(Labels labels, boolean dropName, int step, double value) {
      StepSeries s = byLabels.get(labels);
      if (s == null) {
        s = new StepSeries(labels, Values.absentArray(ev.steps), dropName);
        byLabels.put(labels, s);
      } else if (!isAbsent(s.values[step]) && !ev.delayedNameRemoval) {
        throw new QueryException(QueryException.Kind.EXECUTION, QueryException.DUPLICATE_LABELSET);
      }
      s.values[step] = value;
    }

    List<StepSeries> list() {
      return new ArrayList<>(byLabels.values());
    }
  }
}
