package dev.nines.slo.spec;

import dev.nines.slo.SpecProblem;
import java.util.List;

/** Collects the problems of one file, each with its line and field. */
final class Problems {
  private final String file;
  private final List<SpecProblem> list;

  Problems(String file, List<SpecProblem> sink) {
    this.file = file;
    this.list = sink;
  }

  String file() {
    return file;
  }

  void add(int line, String field, String message) {
    list.add(new SpecProblem(file, line, field, message));
  }

  int count() {
    return list.size();
  }
}
