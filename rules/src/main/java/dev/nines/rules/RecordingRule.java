package dev.nines.rules;

import dev.nines.common.Labels;
import dev.nines.promql.engine.QueryException;
import dev.nines.promql.engine.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A recording rule: writes its expression's result under a new metric name. */
public final class RecordingRule extends Rule {
  RecordingRule(String record, String expr, Map<String, String> labels) {
    super(record, expr, labels);
  }

  @Override
  List<Sample> eval(long ts, EvalContext ctx) throws RuleEvaluationException {
    List<Sample> result;
    try {
      result = ctx.query().query(expr(), ts - ctx.queryOffsetMillis());
    } catch (QueryException e) {
      throw new RuleEvaluationException(e.getMessage());
    }
    List<Sample> out = new ArrayList<>(result.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : result) {
      Labels.Builder b = s.labels().toBuilder().set(Labels.METRIC_NAME, name());
      labels().forEach(b::set);
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Sample(l, ts - ctx.queryOffsetMillis(), s.value()));
    }
    if (ctx.limit() > 0 && out.size() > ctx.limit()) {
      throw new RuleEvaluationException(
          "exceeded limit of " + ctx.limit() + " with " + out.size() + " series");
    }
    return out;
  }
}
