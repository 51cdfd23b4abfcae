package dev.nines.slo.spec;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks shared by both readers: label names, reserved labels, alert names. */
final class SpecChecks {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels Nines sets itself on every generated series. */
  static final Set<String> RESERVED_LABELS = Set.of("slo", "service");

  private SpecChecks() {}

  static boolean isLabelName(String name) {
    return LABEL_NAME.matcher(name).matches() && !name.startsWith("__");
  }

  /** Reports label names Prometheus would refuse, and Nines's reserved ones. */
  static void checkLabels(MapView parent, String key, Map<String, String> labels) {
    for (String name : labels.keySet()) {
      String field = parent.child(key) + "." + name;
      if (!isLabelName(name)) {
        parent
            .problems()
            .add(
                parent.lineOf(key, name),
                field,
                "\""
                    + name
                    + "\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with"
                    + " __)");
      } else if (RESERVED_LABELS.contains(name)) {
        parent
            .problems()
            .add(
                parent.lineOf(key, name),
                field,
                "label \"" + name + "\" is set by Nines and reserved");
      }
    }
  }

  /** Reports annotation names Prometheus would refuse. */
  static void checkAnnotations(MapView parent, String key, Map<String, String> annotations) {
    for (String name : annotations.keySet()) {
      if (!LABEL_NAME.matcher(name).matches()) {
        parent
            .problems()
            .add(
                parent.lineOf(key, name),
                parent.child(key) + "." + name,
                "\"" + name + "\" is not a valid annotation name ([a-zA-Z_][a-zA-Z0-9_]*)");
      }
    }
  }
}
