package dev.nines.ingest.exposition;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets, one per parser: whatever the bytes, the parser returns entries
 * until {@link Entry#EOF} or throws {@link ExpositionParseException}, and never anything else
 * (Jazzer reports any other exception, and a hang by the time limit).
 *
 * <p>In {@code mvn verify} these run in regression mode: only the committed inputs under {@code
 * src/test/resources/dev/nines/ingest/exposition/ExpositionFuzzTestInputs/<method>/}. To fuzz on
 * demand (about a minute per target, some 2 GB of memory), run one target at a time:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -f ingest/pom.xml test -Dtest=ExpositionFuzzTest#openMetrics
 * JAZZER_FUZZ=1 ./mvnw -f ingest/pom.xml test -Dtest=ExpositionFuzzTest#prometheusText
 * </pre>
 *
 * Jazzer keeps its generated corpus in {@code .cifuzz-corpus/} (ignored by git). A crash is written
 * as {@code crash-<hash>} into the inputs directory above; keep it there as a regression seed once
 * fixed.
 */
class ExpositionFuzzTest {
  private final ExpositionParser prometheus = ExpositionParser.prometheusText();
  private final ExpositionParser openMetrics = ExpositionParser.openMetrics();

  @FuzzTest(maxDuration = "60s")
  void prometheusText(byte[] data) {
    drain(prometheus, data);
  }

  @FuzzTest(maxDuration = "60s")
  void openMetrics(byte[] data) {
    drain(openMetrics, data);
  }

  private static void drain(ExpositionParser p, byte[] data) {
    p.reset(data);
    int entries = 0;
    try {
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        if (++entries > data.length + 1) {
          throw new AssertionError("more entries than lines: the parser does not advance");
        }
        touch(p, e);
      }
      p.metadata();
    } catch (ExpositionParseException expected) {
      if (expected.line() < 1 || expected.column() < 0) {
        throw new AssertionError("bad position in " + expected.getMessage(), expected);
      }
    }
  }

  /** Calls every accessor that makes sense for the entry, so that lazy decoding runs too. */
  private static void touch(ExpositionParser p, Entry e) {
    switch (e) {
      case SERIES -> {
        p.labels();
        for (int i = 0; i < p.labelCount(); i++) {
          p.labelName(i);
          p.labelValue(i);
        }
        if (p.seriesEnd() < p.seriesStart()) {
          throw new AssertionError("series bytes end before they start");
        }
        p.familyName();
        p.metricType();
        if (p.hasExemplar()) {
          p.exemplarLabels();
        }
      }
      case TYPE, HELP, UNIT -> {
        p.metricName();
        p.help();
        p.unit();
      }
      case COMMENT -> p.comment();
      case EOF -> {}
    }
  }
}
