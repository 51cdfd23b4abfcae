package dev.nines.slo.rules;

import dev.nines.common.PromDuration;
import dev.nines.rules.file.GroupSpec;
import dev.nines.rules.file.RuleFile;
import dev.nines.rules.file.RuleSpec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a rule file of the rules module's model ({@link RuleFile}) as the YAML Prometheus reads
 * ({@code rule_files}) and {@code promtool check rules} accepts. Every string is double-quoted with
 * YAML escapes, so that no query text can change the document's structure.
 */
public final class RuleFileWriter {
  private RuleFileWriter() {}

  /** The rule file as YAML text, ending with a newline. */
  public static String write(RuleFile file) {
    StringBuilder out = new StringBuilder();
    if (file.groups().isEmpty()) {
      return "groups: []\n";
    }
    out.append("groups:\n");
    for (GroupSpec g : file.groups()) {
      out.append("  - name: ").append(quote(g.name())).append('\n');
      if (g.interval() != null) {
        out.append("    interval: ").append(PromDuration.format(g.interval())).append('\n');
      }
      if (g.limit() != 0) {
        out.append("    limit: ").append(g.limit()).append('\n');
      }
      if (g.queryOffset() != null) {
        out.append("    query_offset: ").append(PromDuration.format(g.queryOffset())).append('\n');
      }
      if (!g.labels().isEmpty()) {
        out.append("    labels:\n");
        for (Map.Entry<String, String> e : new TreeMap<>(g.labels()).entrySet()) {
          out.append("      ").append(quote(e.getKey())).append(": ");
          out.append(quote(e.getValue())).append('\n');
        }
      }
      out.append("    rules:\n");
      for (RuleSpec r : g.rules()) {
        switch (r) {
          case RuleSpec.Recording rec -> {
            out.append("      - record: ").append(quote(rec.record())).append('\n');
            out.append("        expr: ").append(quote(rec.expr())).append('\n');
            map(out, "labels", rec.labels());
          }
          case RuleSpec.Alerting a -> {
            out.append("      - alert: ").append(quote(a.alert())).append('\n');
            out.append("        expr: ").append(quote(a.expr())).append('\n');
            if (!a.forDuration().isZero()) {
              out.append("        for: ").append(PromDuration.format(a.forDuration())).append('\n');
            }
            if (!a.keepFiringFor().isZero()) {
              out.append("        keep_firing_for: ");
              out.append(PromDuration.format(a.keepFiringFor())).append('\n');
            }
            map(out, "labels", a.labels());
            map(out, "annotations", a.annotations());
          }
        }
      }
    }
    return out.toString();
  }

  private static void map(StringBuilder out, String key, Map<String, String> map) {
    if (map.isEmpty()) {
      return;
    }
    out.append("        ").append(key).append(":\n");
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      out.append("          ")
          .append(quote(e.getKey()))
          .append(": ")
          .append(quote(e.getValue()))
          .append('\n');
    }
  }

  /** A YAML double-quoted scalar. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xfeff) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
