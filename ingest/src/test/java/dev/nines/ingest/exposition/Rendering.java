package dev.nines.ingest.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import java.util.ArrayList;
import java.util.List;

/** Renders what a parser reads as one readable line per entry, the form the case files expect. */
final class Rendering {
  private Rendering() {}

  /** Parses the whole input and renders every entry, ending with {@code EOF}. */
  static List<String> render(ExpositionParser p, byte[] input) throws ExpositionParseException {
    p.reset(input);
    List<String> out = new ArrayList<>();
    while (true) {
      Entry e = p.next();
      out.add(render(p, e));
      if (e == Entry.EOF) {
        return out;
      }
    }
  }

  static String render(ExpositionParser p, Entry e) {
    return switch (e) {
      case SERIES -> series(p);
      case TYPE -> "TYPE " + p.metricName() + " " + p.metricType().apiName();
      case HELP -> "HELP " + p.metricName() + " " + escapeHelp(p.help());
      case UNIT -> "UNIT " + p.metricName() + " " + p.unit();
      case COMMENT -> "COMMENT " + p.comment();
      case EOF -> "EOF";
    };
  }

  private static String series(ExpositionParser p) {
    StringBuilder out = new StringBuilder("SERIES ").append(p.metricName());
    Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, p.metricName());
    if (p.labelCount() > 0) {
      out.append('{');
      for (int i = 0; i < p.labelCount(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(p.labelName(i)).append("=\"");
        Labels.escapeValue(p.labelValue(i), out);
        out.append('"');
        b.set(p.labelName(i), p.labelValue(i));
      }
      out.append('}');
    }
    assertThat(p.labels()).isEqualTo(b.build());
    out.append(' ');
    TextFormatWriter.appendValue(p.value(), out);
    if (p.hasTimestamp()) {
      out.append(" @").append(p.timestampMillis());
    }
    if (p.hasExemplar()) {
      out.append(" # ").append(p.exemplarLabels()).append(' ');
      TextFormatWriter.appendValue(p.exemplarValue(), out);
      if (p.exemplarHasTimestamp()) {
        out.append(" @").append(p.exemplarTimestampMillis());
      }
    }
    return out.append(" (")
        .append(p.metricType().apiName())
        .append(' ')
        .append(p.familyName())
        .append(')')
        .toString();
  }

  static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
