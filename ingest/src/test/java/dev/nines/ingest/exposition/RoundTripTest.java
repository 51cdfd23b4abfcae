package dev.nines.ingest.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property test: random metric families, written by {@link TextFormatWriter} and read back by
 * {@link ExpositionParser}, come back equal. Each seed is one exposition; a failure names its seed,
 * which reproduces it exactly.
 */
class RoundTripTest {
  private static final int SEEDS = 400;

  record Sample(
      Labels labels, double value, @Nullable Long timestampMillis, @Nullable Exemplar ex) {}

  record Family(String name, MetricType type, String help, String unit, List<Sample> samples) {}

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void writtenFamiliesParseBackEqual(ExpositionFormat format) throws ExpositionParseException {
    ExpositionParser parser = ExpositionParser.forFormat(format);
    for (int seed = 0; seed < SEEDS; seed++) {
      Generator g = new Generator(new Random(seed), format);
      List<Family> families = g.families();
      String text = write(format, families);
      List<Family> parsed;
      try {
        parsed = parse(parser, text.getBytes(StandardCharsets.UTF_8));
      } catch (ExpositionParseException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\n" + text, e);
      }
      assertThat(parsed).as("seed %d:\n%s", seed, text).isEqualTo(families);
    }
  }

  static String write(ExpositionFormat format, List<Family> families) {
    StringBuilder out = new StringBuilder();
    TextFormatWriter w = new TextFormatWriter(format, out);
    for (Family f : families) {
      w.type(f.name(), f.type());
      if (!f.unit().isEmpty()) {
        w.unit(f.name(), f.unit());
      }
      if (!f.help().isEmpty()) {
        w.help(f.name(), f.help());
      }
      for (Sample s : f.samples()) {
        w.sample(s.labels().metricName(), s.labels(), s.value(), s.timestampMillis(), s.ex());
      }
    }
    w.eof();
    return out.toString();
  }

  static List<Family> parse(ExpositionParser p, byte[] body) throws ExpositionParseException {
    final class Builder {
      final String name;
      MetricType type = MetricType.UNKNOWN;
      String help = "";
      String unit = "";
      final List<Sample> samples = new ArrayList<>();

      Builder(String name) {
        this.name = name;
      }
    }
    Map<String, Builder> byName = new LinkedHashMap<>();
    p.reset(body);
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      switch (e) {
        case TYPE -> byName.computeIfAbsent(p.metricName(), Builder::new).type = p.metricType();
        case HELP -> byName.computeIfAbsent(p.metricName(), Builder::new).help = p.help();
        case UNIT -> byName.computeIfAbsent(p.metricName(), Builder::new).unit = p.unit();
        case SERIES -> {
          Exemplar ex =
              p.hasExemplar()
                  ? new Exemplar(
                      p.exemplarLabels(),
                      p.exemplarValue(),
                      p.exemplarHasTimestamp() ? p.exemplarTimestampMillis() : null)
                  : null;
          byName
              .computeIfAbsent(p.familyName(), Builder::new)
              .samples
              .add(
                  new Sample(
                      p.labels(), p.value(), p.hasTimestamp() ? p.timestampMillis() : null, ex));
        }
        default -> throw new AssertionError(e);
      }
    }
    List<Family> out = new ArrayList<>();
    for (Builder b : byName.values()) {
      out.add(new Family(b.name, b.type, b.help, b.unit, b.samples));
    }
    return out;
  }

  /** Random valid families for one format. */
  static final class Generator {
    private static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    private static final String[] VALUE_PIECES = {
      "a", "Z", "0", " ", "\\", "\"", "\n", "\t", "{", "}", ",", "=", "#", "é", "日本", "🙂", "\r",
      "le", "+Inf", "\u0000"
    };

    private final Random r;
    private final ExpositionFormat format;
    private final boolean om;

    Generator(Random r, ExpositionFormat format) {
      this.r = r;
      this.format = format;
      this.om = format == ExpositionFormat.OPENMETRICS_1_0_0;
    }

    List<Family> families() {
      List<Family> out = new ArrayList<>();
      int n = 1 + r.nextInt(8);
      for (int i = 0; i < n; i++) {
        out.add(family(i));
      }
      return out;
    }

    private Family family(int index) {
      List<MetricType> types = new ArrayList<>();
      for (MetricType t : MetricType.values()) {
        if (t.allowedIn(format)) {
          types.add(t);
        }
      }
      MetricType type = types.get(r.nextInt(types.size()));
      String name = "m" + index + "_" + word(type != MetricType.STATESET);
      String unit = "";
      if (om && r.nextInt(3) == 0) {
        unit = r.nextBoolean() ? "seconds" : "bytes";
        name = name + "_" + unit;
      }
      String help = r.nextInt(3) == 0 ? "" : text(12);
      if (!om) {
        // 0.0.4 separates the help text by blanks, so leading blanks cannot be expressed.
        while (!help.isEmpty() && (help.charAt(0) == ' ' || help.charAt(0) == '\t')) {
          help = help.substring(1);
        }
      }
      List<Sample> samples = new ArrayList<>();
      int metrics = 1 + r.nextInt(3);
      for (int m = 0; m < metrics; m++) {
        Labels.Builder base = Labels.builder();
        int labels = r.nextInt(4);
        for (int l = 0; l < labels; l++) {
          base.set("l" + l + word(false), text(6));
        }
        base.set("metric", Integer.toString(m)); // label sets unique within the family
        addSamples(type, name, base, samples);
      }
      return new Family(name, type, help, unit, samples);
    }

    private void addSamples(MetricType type, String name, Labels.Builder base, List<Sample> out) {
      switch (type) {
        case GAUGE, UNKNOWN -> out.add(sample(base, name, "", anyValue(), false));
        case COUNTER -> {
          if (om) {
            out.add(sample(base, name, "_total", count(), true));
            if (r.nextBoolean()) {
              out.add(sample(base, name, "_created", 1.6e9 + r.nextInt(1000), false));
            }
          } else {
            out.add(sample(base, name, "", anyValue(), false));
          }
        }
        case HISTOGRAM, GAUGE_HISTOGRAM -> {
          TreeSet<Double> bounds = new TreeSet<>();
          int k = r.nextInt(5);
          for (int i = 0; i < k; i++) {
            bounds.add(r.nextBoolean() ? r.nextInt(100) / 10.0 : r.nextGaussian() * 1e3);
          }
          bounds.add(Double.POSITIVE_INFINITY);
          double count = 0;
          for (double le : bounds) {
            count += r.nextInt(5);
            StringBuilder v = new StringBuilder();
            TextFormatWriter.appendValue(le, v);
            Labels.Builder b = copy(base).set("le", v.toString());
            out.add(sample(b, name, "_bucket", count, om));
          }
          boolean gauge = type == MetricType.GAUGE_HISTOGRAM;
          out.add(sample(base, name, gauge ? "_gcount" : "_count", count, false));
          out.add(sample(base, name, gauge ? "_gsum" : "_sum", anyValue(), false));
          if (om && !gauge && r.nextBoolean()) {
            out.add(sample(base, name, "_created", 1.6e9, false));
          }
        }
        case SUMMARY -> {
          TreeSet<Double> qs = new TreeSet<>();
          int k = r.nextInt(4);
          for (int i = 0; i < k; i++) {
            qs.add(r.nextInt(101) / 100.0);
          }
          for (double q : qs) {
            StringBuilder v = new StringBuilder();
            TextFormatWriter.appendValue(q, v);
            out.add(sample(copy(base).set("quantile", v.toString()), name, "", anyValue(), false));
          }
          out.add(sample(base, name, "_count", count(), false));
          out.add(sample(base, name, "_sum", anyValue(), false));
        }
        case INFO -> out.add(sample(base, name, "_info", 1, false));
        case STATESET -> {
          for (String state : new String[] {"a", "b"}) {
            out.add(sample(copy(base).set(name, state), name, "", r.nextBoolean() ? 1 : 0, false));
          }
        }
      }
    }

    private Sample sample(
        Labels.Builder labels, String name, String suffix, double value, boolean exemplarAllowed) {
      Labels l = copy(labels).set(Labels.METRIC_NAME, name + suffix).build();
      Long ts = r.nextInt(3) == 0 ? (long) (r.nextDouble() * 4e12) : null;
      Exemplar ex = null;
      if (exemplarAllowed && r.nextInt(3) == 0) {
        Labels.Builder eb = Labels.builder();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
          eb.set("e" + i, text(8));
        }
        ex = new Exemplar(eb.build(), anyValue(), r.nextBoolean() ? 1_600_000_000_123L : null);
      }
      return new Sample(l, value, ts, ex);
    }

    private static Labels.Builder copy(Labels.Builder b) {
      return b.build().toBuilder();
    }

    private double count() {
      return switch (r.nextInt(4)) {
        case 0 -> 0;
        case 1 -> r.nextInt(1_000_000);
        case 2 -> r.nextDouble() * 1e6;
        default -> Double.POSITIVE_INFINITY;
      };
    }

    private double anyValue() {
      return switch (r.nextInt(12)) {
        case 0 -> Double.NaN;
        case 1 -> Double.POSITIVE_INFINITY;
        case 2 -> Double.NEGATIVE_INFINITY;
        case 3 -> -0.0;
        case 4 -> Double.MIN_VALUE;
        case 5 -> Double.MAX_VALUE;
        case 6 -> r.nextLong();
        case 7 -> r.nextInt(1000) - 500;
        case 8 -> Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL);
        default -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
      };
    }

    private String word(boolean colons) {
      StringBuilder s = new StringBuilder();
      int n = 1 + r.nextInt(8);
      for (int i = 0; i < n; i++) {
        int c = r.nextInt(ALPHA.length() + 10 + (colons ? 1 : 0));
        if (c < ALPHA.length()) {
          s.append(ALPHA.charAt(c));
        } else if (c < ALPHA.length() + 10) {
          s.append((char) ('0' + c - ALPHA.length()));
        } else {
          s.append(':');
        }
      }
      return s.toString();
    }

    private String text(int maxPieces) {
      StringBuilder s = new StringBuilder();
      int n = 1 + r.nextInt(maxPieces);
      for (int i = 0; i < n; i++) {
        s.append(VALUE_PIECES[r.nextInt(VALUE_PIECES.length)]);
      }
      return s.toString();
    }
  }
}
