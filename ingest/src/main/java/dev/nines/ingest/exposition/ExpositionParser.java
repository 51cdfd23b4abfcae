package dev.nines.ingest.exposition;

import dev.nines.common.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A pull parser for one scrape body in the Prometheus text format 0.0.4 or OpenMetrics 1.0 text.
 * {@link #reset} hands it the bytes; each {@link #next()} reads one line (skipping what the format
 * ignores) and returns its {@link Entry} kind; the accessors describe that entry until the next
 * call. A malformed exposition throws {@link ExpositionParseException} at the first fault, with its
 * line and column; there is no recovery, since the caller fails the whole scrape.
 *
 * <pre>{@code
 * ExpositionParser p = ExpositionParser.forFormat(ExpositionFormat.forContentType(contentType));
 * p.reset(body);
 * for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
 *   if (e == Entry.SERIES) {
 *     append(p.labels(), p.hasTimestamp() ? p.timestampMillis() : scrapeTime, p.value());
 *   }
 * }
 * }</pre>
 *
 * <h2>Design notes</h2>
 *
 * <p>One class serves both formats with a mode flag: the line grammar is shared, and the places
 * where the formats differ are few and named ({@code om} checks). The OpenMetrics rules that go
 * beyond syntax are enforced here, per line, with state that is kept per metric family: family
 * grouping and descriptor order, the sample names each type allows, counter totals, bucket order
 * and the {@code +Inf} bucket, quantile range, info and stateset values, exemplar placement and
 * size. See {@code docs/formats/exposition.md} for the full list and for what is not checked.
 *
 * <p>Allocation: a line is scanned in place. Label names and values are recorded as offsets into
 * the body, and strings are made only when an accessor asks for them, through a small direct-mapped
 * {@link StringCache} that survives {@link #reset} (the same target repeats the same names on every
 * scrape). A caller that keys a series cache on the raw bytes ({@link #seriesStart()}, {@link
 * #seriesEnd()}) allocates nothing per sample on a cache hit. Per metric family the parser
 * allocates its name and a small record of its metadata; the help text is decoded when it is read.
 * Numbers are parsed without allocation in the common case ({@link NumberParser}). One instance is
 * used by one thread at a time.
 */
public final class ExpositionParser {
  private static final int MAX_EXEMPLAR_LABEL_CHARS = 128;

  private static final boolean[] NAME_START = new boolean[256];
  private static final boolean[] NAME_CHAR = new boolean[256];
  private static final boolean[] LABEL_START = new boolean[256];
  private static final boolean[] LABEL_CHAR = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      boolean digit = c >= '0' && c <= '9';
      LABEL_START[c] = alpha || c == '_';
      LABEL_CHAR[c] = alpha || digit || c == '_';
      NAME_START[c] = LABEL_START[c] || c == ':';
      NAME_CHAR[c] = LABEL_CHAR[c] || c == ':';
    }
  }

  /** The role a sample plays in its family, from the suffix of its name. */
  private enum Suffix {
    NONE(""),
    TOTAL("_total"),
    CREATED("_created"),
    BUCKET("_bucket"),
    COUNT("_count"),
    SUM("_sum"),
    GCOUNT("_gcount"),
    GSUM("_gsum"),
    INFO("_info");

    final String text;

    Suffix(String text) {
      this.text = text;
    }
  }

  private static final Suffix[] SUFFIXES_OF_COUNTER = {Suffix.TOTAL, Suffix.CREATED};
  private static final Suffix[] SUFFIXES_OF_HISTOGRAM = {
    Suffix.BUCKET, Suffix.COUNT, Suffix.SUM, Suffix.CREATED
  };
  private static final Suffix[] SUFFIXES_OF_GAUGE_HISTOGRAM = {
    Suffix.BUCKET, Suffix.GCOUNT, Suffix.GSUM
  };
  private static final Suffix[] SUFFIXES_OF_SUMMARY = {
    Suffix.NONE, Suffix.COUNT, Suffix.SUM, Suffix.CREATED
  };
  private static final Suffix[] SUFFIXES_OF_INFO = {Suffix.INFO};
  private static final Suffix[] SUFFIXES_PLAIN = {Suffix.NONE};
  private static final Suffix[] PROM_SUFFIXES_OF_HISTOGRAM = {
    Suffix.BUCKET, Suffix.COUNT, Suffix.SUM
  };
  private static final Suffix[] PROM_SUFFIXES_OF_SUMMARY = {Suffix.NONE, Suffix.COUNT, Suffix.SUM};

  /** What the parser knows about one metric family of the current body. */
  private static final class Family {
    final String name;
    final int firstLine;
    MetricType type = MetricType.UNKNOWN;
    String help = "";
    String unit = "";
    boolean hasType;
    boolean hasHelp;
    boolean hasUnit;
    boolean hasSamples;

    Family(String name, int firstLine) {
      this.name = name;
      this.firstLine = firstLine;
    }
  }

  /** Offsets of the labels of one label set in the body, reused from line to line. */
  private static final class LabelRanges {
    int count;

    /** Per label: name start, name end, value start, value end (value without the quotes). */
    int[] offsets = new int[4 * 16];

    boolean[] escaped = new boolean[16];

    /** Characters in names and unescaped values, for the exemplar limit. */
    int chars;

    void clear() {
      count = 0;
      chars = 0;
    }

    void add(int nameStart, int nameEnd, int valueStart, int valueEnd, boolean hasEscape) {
      if (4 * count + 4 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
        escaped = Arrays.copyOf(escaped, escaped.length * 2);
      }
      int at = 4 * count;
      offsets[at] = nameStart;
      offsets[at + 1] = nameEnd;
      offsets[at + 2] = valueStart;
      offsets[at + 3] = valueEnd;
      escaped[count] = hasEscape;
      count++;
    }
  }

  private final ExpositionFormat format;
  private final boolean om;
  private final NumberParser numbers = new NumberParser();
  private final StringCache strings = new StringCache();
  private final Labels.Builder builder = Labels.builder();
  private final LabelRanges sampleLabels = new LabelRanges();
  private final LabelRanges exemplarLabels = new LabelRanges();
  private byte[] scratch = new byte[64];

  private byte[] buf = new byte[0];
  private int pos;
  private int end;
  private int line;
  private int lineStart;
  private int lineEnd;
  private boolean done;

  private Entry entry = Entry.EOF;
  private int nameStart;
  private int nameEnd;
  private @Nullable String name;
  private @Nullable Labels labels;
  private double value;
  private boolean hasTimestamp;
  private long timestamp;
  private boolean hasExemplar;
  private double exemplarValue;
  private boolean exemplarHasTimestamp;
  private long exemplarTimestamp;
  private @Nullable Labels exemplarLabelSet;
  private MetricType entryType = MetricType.UNKNOWN;
  private String text = "";
  private int textStart;
  private int textEnd;
  private boolean textDecoded;

  private final Map<String, Family> families = new LinkedHashMap<>();
  private @Nullable Family family;
  private int familyStart;
  private int familyEnd;
  private Suffix suffix = Suffix.NONE;

  // OpenMetrics bucket checks for the histogram metric being read (its labels without "le").
  private boolean bucketGroupOpen;
  private long bucketGroupKey;
  private double lastLe;
  private double lastBucketCount;
  private int bucketGroupLine;

  private ExpositionParser(ExpositionFormat format) {
    this.format = format;
    this.om = format == ExpositionFormat.OPENMETRICS_1_0_0;
  }

  /** A parser for the given format. */
  public static ExpositionParser forFormat(ExpositionFormat format) {
    return new ExpositionParser(format);
  }

  /** A parser for the Prometheus text format 0.0.4. */
  public static ExpositionParser prometheusText() {
    return new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT_0_0_4);
  }

  /** A parser for OpenMetrics 1.0 text. */
  public static ExpositionParser openMetrics() {
    return new ExpositionParser(ExpositionFormat.OPENMETRICS_1_0_0);
  }

  /** The format this parser reads. */
  public ExpositionFormat format() {
    return format;
  }

  /** Starts parsing a whole body. The array is read in place and must not change meanwhile. */
  public ExpositionParser reset(byte[] body) {
    return reset(body, 0, body.length);
  }

  /** Starts parsing {@code body[offset, offset + length)}, read in place. */
  public ExpositionParser reset(byte[] body, int offset, int length) {
    if (offset < 0 || length < 0 || offset > body.length - length) {
      throw new IndexOutOfBoundsException("range outside the body");
    }
    buf = body;
    pos = offset;
    end = offset + length;
    line = 0;
    lineStart = offset;
    lineEnd = offset;
    done = false;
    entry = Entry.EOF;
    families.clear();
    family = null;
    bucketGroupOpen = false;
    clearEntry();
    return this;
  }

  /**
   * Reads the next entry.
   *
   * @return the kind of entry read; {@link Entry#EOF} at the end, and on every call after it
   * @throws ExpositionParseException at the first line that breaks the format's rules
   */
  public Entry next() throws ExpositionParseException {
    if (done) {
      return Entry.EOF;
    }
    clearEntry();
    while (true) {
      if (pos >= end) {
        if (om) {
          throw new ExpositionParseException(line + 1, 0, "OpenMetrics: missing \"# EOF\"");
        }
        closeFamily();
        done = true;
        entry = Entry.EOF;
        return entry;
      }
      line++;
      lineStart = pos;
      int lf = indexOf(buf, (byte) '\n', pos, end);
      lineEnd = lf < 0 ? end : lf;
      pos = lf < 0 ? end : lf + 1;
      Entry e = om ? openMetricsLine(lf >= 0) : prometheusLine();
      if (e != null) {
        entry = e;
        return e;
      }
    }
  }

  private void clearEntry() {
    name = null;
    labels = null;
    exemplarLabelSet = null;
    sampleLabels.clear();
    exemplarLabels.clear();
    hasTimestamp = false;
    hasExemplar = false;
    exemplarHasTimestamp = false;
    textDecoded = false;
    text = "";
  }

  // ---------------------------------------------------------------- Prometheus text format 0.0.4

  private @Nullable Entry prometheusLine() throws ExpositionParseException {
    int p = skipBlanks(lineStart);
    if (p == lineEnd) {
      return null; // empty lines are ignored
    }
    if (buf[p] == '#') {
      return prometheusComment(p);
    }
    if (!NAME_START[buf[p] & 0xFF]) {
      throw error(p, "expected a metric name or '#', found " + describe(p));
    }
    parseSample(p);
    return Entry.SERIES;
  }

  private Entry prometheusComment(int hash) throws ExpositionParseException {
    int p = skipBlanks(hash + 1);
    int wordEnd = p;
    while (wordEnd < lineEnd && !isBlank(buf[wordEnd])) {
      wordEnd++;
    }
    boolean isHelp = Bytes.equalsAscii(buf, p, wordEnd, "HELP");
    boolean isType = Bytes.equalsAscii(buf, p, wordEnd, "TYPE");
    if (!isHelp && !isType) {
      textStart = p;
      textEnd = lineEnd;
      return Entry.COMMENT;
    }
    String keyword = isHelp ? "HELP" : "TYPE";
    p = skipBlanks(wordEnd);
    int n = scanMetricName(p, "after # " + keyword);
    nameStart = p;
    nameEnd = n;
    if (n < lineEnd && !isBlank(buf[n])) {
      throw error(n, "unexpected character " + describe(n) + " in metric name in # " + keyword);
    }
    p = skipBlanks(n);
    if (isHelp) {
      checkUtf8(p, lineEnd, "help text");
      textStart = p;
      textEnd = lineEnd;
      text = unescapeHelp(p, lineEnd);
      textDecoded = true;
      Family f = descriptor(Entry.HELP);
      f.help = text;
      return Entry.HELP;
    }
    int typeEnd = p;
    while (typeEnd < lineEnd && !isBlank(buf[typeEnd])) {
      typeEnd++;
    }
    if (p == typeEnd) {
      throw error(p, "expected a metric type after \"" + name() + "\" in # TYPE");
    }
    MetricType t = typeNamed(p, typeEnd);
    if (skipBlanks(typeEnd) != lineEnd) {
      throw error(skipBlanks(typeEnd), "unexpected text after the metric type in # TYPE");
    }
    entryType = t;
    Family f = descriptor(Entry.TYPE);
    f.type = t;
    return Entry.TYPE;
  }

  private MetricType typeNamed(int start, int stop) throws ExpositionParseException {
    byte[] lower = buf;
    int from = start;
    int to = stop;
    if (!om) {
      // Go's expfmt reads the type case-insensitively; so do we.
      int len = stop - start;
      ensureScratch(len);
      for (int i = 0; i < len; i++) {
        byte b = buf[start + i];
        scratch[i] = b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
      }
      lower = scratch;
      from = 0;
      to = len;
    }
    MetricType t = MetricType.fromTextName(lower, from, to, format);
    if (t == null) {
      throw error(start, "unknown metric type " + quote(start, stop));
    }
    return t;
  }

  // ---------------------------------------------------------------- OpenMetrics 1.0

  private Entry openMetricsLine(boolean terminated) throws ExpositionParseException {
    if (Bytes.equalsAscii(buf, lineStart, lineEnd, "# EOF")) {
      if (terminated && pos < end) {
        throw new ExpositionParseException(
            line + 1, 0, "OpenMetrics: nothing may follow \"# EOF\", found " + quote(pos, end));
      }
      closeFamily();
      done = true;
      return Entry.EOF;
    }
    if (!terminated) {
      throw new ExpositionParseException(
          line, 0, "OpenMetrics: missing \"# EOF\" (the last line has no line feed)");
    }
    if (lineStart == lineEnd) {
      throw new ExpositionParseException(line, 0, "OpenMetrics does not allow empty lines");
    }
    if (buf[lineStart] == '#') {
      return openMetricsDescriptor();
    }
    if (!NAME_START[buf[lineStart] & 0xFF]) {
      throw error(lineStart, "expected a metric name or '#', found " + describe(lineStart));
    }
    parseSample(lineStart);
    return Entry.SERIES;
  }

  private Entry openMetricsDescriptor() throws ExpositionParseException {
    Entry kind;
    if (Bytes.startsWithAscii(buf, lineStart, lineEnd, "# TYPE ")) {
      kind = Entry.TYPE;
    } else if (Bytes.startsWithAscii(buf, lineStart, lineEnd, "# HELP ")) {
      kind = Entry.HELP;
    } else if (Bytes.startsWithAscii(buf, lineStart, lineEnd, "# UNIT ")) {
      kind = Entry.UNIT;
    } else if (Bytes.startsWithAscii(buf, lineStart, lineEnd, "# EOF")) {
      throw error(lineStart + 5, "unexpected text after \"# EOF\"");
    } else {
      throw new ExpositionParseException(
          line,
          1,
          "OpenMetrics allows no comments: a line starting with '#' must be"
              + " \"# TYPE\", \"# HELP\", \"# UNIT\" or \"# EOF\"");
    }
    String keyword = kind.name();
    int p = lineStart + 7;
    int n = scanMetricName(p, "after # " + keyword);
    nameStart = p;
    nameEnd = n;
    if (n == lineEnd) {
      if (kind == Entry.TYPE) {
        throw error(n, "expected a metric type after \"" + name() + "\" in # TYPE");
      }
      // "# HELP name" / "# UNIT name" without the space before an empty text: taken as empty.
      textStart = n;
      textEnd = n;
    } else if (buf[n] != ' ') {
      throw error(n, "unexpected character " + describe(n) + " in metric name in # " + keyword);
    } else {
      textStart = n + 1;
      textEnd = lineEnd;
    }
    switch (kind) {
      case TYPE -> {
        if (textStart >= textEnd) {
          throw error(textStart, "expected a metric type after \"" + name() + "\" in # TYPE");
        }
        entryType = typeNamed(textStart, textEnd);
        descriptor(Entry.TYPE).type = entryType;
      }
      case HELP -> {
        checkUtf8(textStart, textEnd, "help text");
        text = unescapeHelp(textStart, textEnd);
        textDecoded = true;
        descriptor(Entry.HELP).help = text;
      }
      case UNIT -> {
        for (int i = textStart; i < textEnd; i++) {
          if (!NAME_CHAR[buf[i] & 0xFF]) {
            throw error(i, "invalid character " + describe(i) + " in unit");
          }
        }
        if (textStart < textEnd) {
          int unitLen = textEnd - textStart;
          boolean suffixed =
              nameEnd - nameStart > unitLen + 1
                  && buf[nameEnd - unitLen - 1] == '_'
                  && Arrays.equals(buf, nameEnd - unitLen, nameEnd, buf, textStart, textEnd);
          if (!suffixed) {
            throw error(
                textStart,
                "metric family "
                    + quote(nameStart, nameEnd)
                    + " must end with \"_"
                    + strings.get(buf, textStart, textEnd)
                    + "\" to have unit "
                    + quote(textStart, textEnd));
          }
        }
        text = strings.get(buf, textStart, textEnd);
        textDecoded = true;
        descriptor(Entry.UNIT).unit = text;
      }
      default -> throw new AssertionError(kind);
    }
    return kind;
  }

  // ---------------------------------------------------------------- metric families

  /** Records a descriptor line for the family named by [nameStart, nameEnd). */
  private Family descriptor(Entry kind) throws ExpositionParseException {
    Family f = family;
    if (f == null || !Arrays.equals(buf, familyStart, familyEnd, buf, nameStart, nameEnd)) {
      closeFamily();
      String n = name();
      f = families.get(n);
      if (f == null) {
        f = new Family(n, line);
        families.put(n, f);
      } else if (om) {
        throw notContiguous(n, f);
      }
      family = f;
      familyStart = nameStart;
      familyEnd = nameEnd;
    }
    String keyword = "# " + kind.name();
    if (f.hasSamples && (om || kind == Entry.TYPE)) {
      throw new ExpositionParseException(
          line, 0, keyword + " for \"" + f.name + "\" must come before its samples");
    }
    boolean repeated =
        switch (kind) {
          case TYPE -> f.hasType;
          case HELP -> f.hasHelp;
          case UNIT -> f.hasUnit;
          default -> throw new AssertionError(kind);
        };
    if (repeated) {
      throw new ExpositionParseException(
          line, 0, "second " + keyword + " line for \"" + f.name + "\"");
    }
    switch (kind) {
      case TYPE -> f.hasType = true;
      case HELP -> f.hasHelp = true;
      case UNIT -> f.hasUnit = true;
      default -> throw new AssertionError(kind);
    }
    return f;
  }

  private ExpositionParseException notContiguous(String n, Family f) {
    return new ExpositionParseException(
        line,
        0,
        "metric family \""
            + n
            + "\" appears again after other families (first seen on line "
            + f.firstLine
            + "); OpenMetrics requires each family to be one group");
  }

  private Suffix[] suffixesOf(MetricType t) {
    if (!om) {
      return switch (t) {
        case HISTOGRAM -> PROM_SUFFIXES_OF_HISTOGRAM;
        case SUMMARY -> PROM_SUFFIXES_OF_SUMMARY;
        default -> SUFFIXES_PLAIN;
      };
    }
    return switch (t) {
      case COUNTER -> SUFFIXES_OF_COUNTER;
      case HISTOGRAM -> SUFFIXES_OF_HISTOGRAM;
      case GAUGE_HISTOGRAM -> SUFFIXES_OF_GAUGE_HISTOGRAM;
      case SUMMARY -> SUFFIXES_OF_SUMMARY;
      case INFO -> SUFFIXES_OF_INFO;
      case GAUGE, STATESET, UNKNOWN -> SUFFIXES_PLAIN;
    };
  }

  /** The suffix by which sample name [start, end) belongs to the family [fStart, fEnd), or null. */
  private @Nullable Suffix suffixIn(Suffix[] allowed, int fStart, int fEnd) {
    int fLen = fEnd - fStart;
    if (nameEnd - nameStart < fLen
        || !Arrays.equals(buf, nameStart, nameStart + fLen, buf, fStart, fEnd)) {
      return null;
    }
    for (Suffix s : allowed) {
      if (Bytes.equalsAscii(buf, nameStart + fLen, nameEnd, s.text)) {
        return s;
      }
    }
    return null;
  }

  /** Finds or starts the family of the sample just scanned and sets {@link #suffix}. */
  private Family sampleFamily() throws ExpositionParseException {
    Family f = family;
    if (f != null) {
      Suffix s = suffixIn(suffixesOf(f.type), familyStart, familyEnd);
      if (s != null) {
        suffix = s;
        return f;
      }
      if (om && f.hasType) {
        Suffix any = suffixIn(Suffix.values(), familyStart, familyEnd);
        if (any != null) {
          throw error(
              nameStart,
              "sample "
                  + quote(nameStart, nameEnd)
                  + " does not belong to "
                  + f.type.apiName()
                  + " family \""
                  + f.name
                  + "\" (allowed: "
                  + allowedNames(f)
                  + ")");
        }
      }
    }
    closeFamily();
    String n = name();
    f = families.get(n);
    suffix = Suffix.NONE;
    if (f != null && om) {
      throw notContiguous(n, f);
    }
    if (f == null) {
      // A sample of a family seen earlier under its stem (foo_bucket of histogram foo)?
      for (Suffix s : Suffix.values()) {
        if (s == Suffix.NONE || !n.endsWith(s.text)) {
          continue;
        }
        Family stem = families.get(n.substring(0, n.length() - s.text.length()));
        if (stem != null && Arrays.asList(suffixesOf(stem.type)).contains(s)) {
          if (om) {
            throw notContiguous(stem.name, stem);
          }
          f = stem;
          suffix = s;
          familyStart = nameStart;
          familyEnd = nameEnd - s.text.length();
          break;
        }
      }
    } else {
      familyStart = nameStart;
      familyEnd = nameEnd;
    }
    if (f == null) {
      f = new Family(n, line);
      families.put(n, f);
      familyStart = nameStart;
      familyEnd = nameEnd;
    }
    family = f;
    return f;
  }

  private String allowedNames(Family f) {
    StringBuilder out = new StringBuilder();
    for (Suffix s : suffixesOf(f.type)) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(f.name).append(s.text);
    }
    return out.toString();
  }

  /** Ends the current family: the checks that need its last sample. */
  private void closeFamily() throws ExpositionParseException {
    closeBucketGroup();
    family = null;
  }

  // ---------------------------------------------------------------- samples

  private void parseSample(int start) throws ExpositionParseException {
    int p = scanMetricName(start, "at the start of a sample");
    nameStart = start;
    nameEnd = p;
    boolean separated = false;
    if (!om) {
      int afterName = p;
      p = skipBlanks(p);
      separated = p > afterName;
    }
    boolean braces = p < lineEnd && buf[p] == '{';
    if (braces) {
      p = scanLabels(p, sampleLabels, "sample");
    }
    if (p == lineEnd) {
      throw error(p, "expected a value after " + quote(nameStart, nameEnd));
    }
    if (om) {
      if (buf[p] != ' ') {
        throw error(p, "unexpected character " + describe(p) + " after " + describeSeriesStart());
      }
      p++;
    } else {
      // 0.0.4: blanks separate tokens that would otherwise merge; after '}' none are needed.
      if (!braces && !separated) {
        throw error(p, "unexpected character " + describe(p) + " after " + describeSeriesStart());
      }
      p = skipBlanks(p);
    }
    int valueEnd = tokenEnd(p);
    if (valueEnd == p) {
      throw error(p, "expected a sample value");
    }
    if (!numbers.parseFloat(buf, p, valueEnd)) {
      throw error(p, "sample value " + quote(p, valueEnd) + " is not a number");
    }
    value = numbers.value;
    p = valueEnd;
    if (om) {
      p = openMetricsSampleTail(p);
    } else {
      p = skipBlanks(p);
      if (p < lineEnd) {
        int tsEnd = tokenEnd(p);
        if (!numbers.parseLong(buf, p, tsEnd)) {
          throw error(
              p, "timestamp " + quote(p, tsEnd) + " is not an integer number of milliseconds");
        }
        hasTimestamp = true;
        timestamp = numbers.longValue;
        p = skipBlanks(tsEnd);
        if (p < lineEnd) {
          throw error(p, "unexpected text after the timestamp: " + quote(p, lineEnd));
        }
      }
    }
    Family f = sampleFamily();
    f.hasSamples = true;
    checkSample(f);
  }

  private String describeSeriesStart() {
    return sampleLabels.count > 0 || buf[nameEnd] == '{'
        ? "the labels of " + quote(nameStart, nameEnd)
        : "metric name " + quote(nameStart, nameEnd);
  }

  private int openMetricsSampleTail(int p) throws ExpositionParseException {
    if (p == lineEnd) {
      return p;
    }
    p++; // the ' ' that tokenEnd stopped at
    if (p < lineEnd && buf[p] != '#') {
      int tsEnd = tokenEnd(p);
      timestamp = secondsToMillis(p, tsEnd, "timestamp");
      hasTimestamp = true;
      p = tsEnd;
      if (p == lineEnd) {
        return p;
      }
      p++;
    }
    if (!(p + 2 < lineEnd && buf[p] == '#' && buf[p + 1] == ' ' && buf[p + 2] == '{')) {
      throw error(
          p,
          p == lineEnd
              ? "unexpected space at the end of the line"
              : "expected a timestamp or \"# {\" to start an exemplar, found " + describe(p));
    }
    p = scanLabels(p + 2, exemplarLabels, "exemplar");
    if (p == lineEnd || buf[p] != ' ') {
      throw error(p, "expected ' ' and a value after the exemplar labels");
    }
    p++;
    int valueEnd = tokenEnd(p);
    if (!numbers.parseFloat(buf, p, valueEnd)) {
      throw error(p, "exemplar value " + quote(p, valueEnd) + " is not a number");
    }
    exemplarValue = numbers.value;
    hasExemplar = true;
    p = valueEnd;
    if (p < lineEnd) {
      p++;
      int tsEnd = tokenEnd(p);
      exemplarTimestamp = secondsToMillis(p, tsEnd, "exemplar timestamp");
      exemplarHasTimestamp = true;
      p = tsEnd;
      if (p < lineEnd) {
        throw error(p, "unexpected text after the exemplar: " + quote(p, lineEnd));
      }
    }
    return p;
  }

  private long secondsToMillis(int start, int stop, String what) throws ExpositionParseException {
    if (!numbers.parseFloat(buf, start, stop) || !numbers.real) {
      throw error(start, what + " " + quote(start, stop) + " is not a number of seconds");
    }
    double ms = numbers.value * 1000.0;
    if (!(Math.abs(ms) < 9.0e18)) {
      throw error(start, what + " " + quote(start, stop) + " is out of range");
    }
    return Math.round(ms);
  }

  /** The OpenMetrics rules for the sample just parsed, given its family and {@link #suffix}. */
  private void checkSample(Family f) throws ExpositionParseException {
    MetricType t = f.type;
    if (!om) {
      if (t == MetricType.HISTOGRAM && suffix == Suffix.BUCKET) {
        labelAsNumber("le", false);
      } else if (t == MetricType.SUMMARY && suffix == Suffix.NONE) {
        labelAsNumber("quantile", false);
      }
      return;
    }
    boolean histogram = t == MetricType.HISTOGRAM || t == MetricType.GAUGE_HISTOGRAM;
    if (hasExemplar) {
      boolean allowed =
          (t == MetricType.COUNTER && suffix == Suffix.TOTAL)
              || (histogram && suffix == Suffix.BUCKET);
      if (!allowed) {
        throw lineError(
            "exemplars are only allowed on counter \"_total\" and histogram \"_bucket\" samples");
      }
      if (exemplarLabels.chars > MAX_EXEMPLAR_LABEL_CHARS) {
        throw lineError(
            "exemplar labels are "
                + exemplarLabels.chars
                + " characters long; OpenMetrics allows at most "
                + MAX_EXEMPLAR_LABEL_CHARS);
      }
    }
    switch (suffix) {
      case TOTAL -> requireCount("counter total");
      case BUCKET -> {
        requireCount("bucket count");
        double le = labelAsNumber("le", true);
        checkBucketOrder(le);
      }
      case COUNT, GCOUNT -> requireCount("count");
      case INFO -> {
        if (value != 1.0) {
          throw lineError("info sample " + quote(nameStart, nameEnd) + " must have the value 1");
        }
      }
      case NONE -> {
        if (t == MetricType.SUMMARY) {
          double q = labelAsNumber("quantile", true);
          if (!(q >= 0 && q <= 1)) {
            throw lineError("quantile " + q + " is not between 0 and 1");
          }
        } else if (t == MetricType.STATESET) {
          if (value != 0.0 && value != 1.0) {
            throw lineError("stateset sample must have the value 0 or 1");
          }
          if (findLabel(sampleLabels, f.name) < 0) {
            throw lineError("stateset sample needs a label named \"" + f.name + "\"");
          }
        }
      }
      case CREATED, SUM, GSUM -> {}
    }
  }

  private void requireCount(String what) throws ExpositionParseException {
    if (!(value >= 0)) {
      throw lineError(what + " must be a non-negative number, not " + value);
    }
  }

  /** The named label's value as a number; with {@code required}, its absence is an error. */
  private double labelAsNumber(String labelName, boolean required) throws ExpositionParseException {
    int i = findLabel(sampleLabels, labelName);
    if (i < 0) {
      if (required) {
        throw lineError(
            "sample " + quote(nameStart, nameEnd) + " needs a \"" + labelName + "\" label");
      }
      return Double.NaN;
    }
    int vs = sampleLabels.offsets[4 * i + 2];
    int ve = sampleLabels.offsets[4 * i + 3];
    if (!numbers.parseFloat(buf, vs, ve)) {
      throw error(vs, "label " + labelName + "=" + quote(vs, ve) + " is not a number");
    }
    return numbers.value;
  }

  private void checkBucketOrder(double le) throws ExpositionParseException {
    long key = labelsKeyWithout("le");
    if (bucketGroupOpen && key == bucketGroupKey) {
      if (!(le > lastLe)) {
        throw lineError("histogram buckets must be in increasing order of \"le\"");
      }
      if (value < lastBucketCount) {
        throw lineError(
            "histogram buckets are cumulative: this bucket's count is below the previous one's");
      }
    } else {
      closeBucketGroup();
      bucketGroupOpen = true;
      bucketGroupKey = key;
    }
    lastLe = le;
    lastBucketCount = value;
    bucketGroupLine = line;
  }

  private void closeBucketGroup() throws ExpositionParseException {
    if (bucketGroupOpen) {
      bucketGroupOpen = false;
      if (lastLe != Double.POSITIVE_INFINITY) {
        throw new ExpositionParseException(
            bucketGroupLine, 0, "histogram has no bucket with le=\"+Inf\" after this one");
      }
    }
  }

  /** A 64-bit FNV-1a hash of the sample's label bytes, leaving out one label. */
  private long labelsKeyWithout(String skip) {
    long h = 0xcbf29ce484222325L;
    int[] o = sampleLabels.offsets;
    for (int i = 0; i < sampleLabels.count; i++) {
      if (Bytes.equalsAscii(buf, o[4 * i], o[4 * i + 1], skip)) {
        continue;
      }
      for (int k = o[4 * i]; k < o[4 * i + 1]; k++) {
        h = (h ^ (buf[k] & 0xff)) * 0x100000001b3L;
      }
      h = (h ^ 0x100) * 0x100000001b3L;
      for (int k = o[4 * i + 2]; k < o[4 * i + 3]; k++) {
        h = (h ^ (buf[k] & 0xff)) * 0x100000001b3L;
      }
      h = (h ^ 0x101) * 0x100000001b3L;
    }
    return h;
  }

  private int findLabel(LabelRanges r, String labelName) {
    for (int i = 0; i < r.count; i++) {
      if (Bytes.equalsAscii(buf, r.offsets[4 * i], r.offsets[4 * i + 1], labelName)) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- scanning

  /** Scans a metric name at p; returns its end. */
  private int scanMetricName(int p, String where) throws ExpositionParseException {
    if (p >= lineEnd || !NAME_START[buf[p] & 0xFF]) {
      throw error(
          p, "expected a metric name " + where + (p >= lineEnd ? "" : ", found " + describe(p)));
    }
    p++;
    while (p < lineEnd && NAME_CHAR[buf[p] & 0xFF]) {
      p++;
    }
    return p;
  }

  /** Scans {@code {name="value",...}} starting at the '{'; returns the offset after the '}'. */
  private int scanLabels(int open, LabelRanges into, String what) throws ExpositionParseException {
    int p = open + 1;
    boolean afterComma = false;
    while (true) {
      if (!om) {
        p = skipBlanks(p);
      }
      if (p >= lineEnd) {
        throw error(p, "expected a label name or '}' in the " + what + " labels");
      }
      if (buf[p] == '}') {
        if (afterComma && om) {
          throw error(p, "OpenMetrics does not allow a ',' before '}'");
        }
        return p + 1;
      }
      if (!LABEL_START[buf[p] & 0xFF]) {
        throw error(p, "expected a label name, found " + describe(p));
      }
      int ns = p;
      p++;
      while (p < lineEnd && LABEL_CHAR[buf[p] & 0xFF]) {
        p++;
      }
      int ne = p;
      if (!om) {
        p = skipBlanks(p);
      }
      if (p >= lineEnd || buf[p] != '=') {
        throw error(p, "expected '=' after label name " + quote(ns, ne));
      }
      p++;
      if (!om) {
        p = skipBlanks(p);
      }
      if (p >= lineEnd || buf[p] != '"') {
        throw error(p, "expected '\"' to start the value of label " + quote(ns, ne));
      }
      int vs = ++p;
      boolean escaped = false;
      boolean highBit = false;
      int escapes = 0;
      while (p < lineEnd && buf[p] != '"') {
        byte b = buf[p];
        if (b == '\\') {
          if (p + 1 >= lineEnd || (buf[p + 1] != '\\' && buf[p + 1] != '"' && buf[p + 1] != 'n')) {
            throw error(
                p,
                "invalid escape sequence "
                    + quote(p, Math.min(p + 2, lineEnd))
                    + " in the value of label "
                    + quote(ns, ne)
                    + " (allowed: \\\\, \\\", \\n)");
          }
          escaped = true;
          escapes++;
          p += 2;
        } else {
          highBit |= b < 0;
          p++;
        }
      }
      if (p >= lineEnd) {
        throw error(vs - 1, "unterminated value of label " + quote(ns, ne));
      }
      int ve = p;
      if (highBit) {
        checkUtf8(vs, ve, "value of label " + quote(ns, ne));
      }
      p++;
      if (Bytes.equalsAscii(buf, ns, ne, Labels.METRIC_NAME)) {
        throw error(ns, "label name \"__name__\" is reserved for the metric name");
      }
      for (int i = 0; i < into.count; i++) {
        if (Arrays.equals(buf, into.offsets[4 * i], into.offsets[4 * i + 1], buf, ns, ne)) {
          throw error(ns, "label name " + quote(ns, ne) + " appears twice");
        }
      }
      into.add(ns, ne, vs, ve, escaped);
      into.chars += Bytes.countChars(buf, ns, ne) + Bytes.countChars(buf, vs, ve) - escapes;
      if (!om) {
        p = skipBlanks(p);
      }
      if (p < lineEnd && buf[p] == ',') {
        p++;
        afterComma = true;
      } else if (p < lineEnd && buf[p] == '}') {
        return p + 1;
      } else {
        throw error(
            p,
            "expected ',' or '}' after the value of label "
                + quote(ns, ne)
                + (p < lineEnd ? ", found " + describe(p) : ""));
      }
    }
  }

  private int skipBlanks(int p) {
    while (p < lineEnd && isBlank(buf[p])) {
      p++;
    }
    return p;
  }

  private boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  /** The end of the token at p: the next separator (space; also tab in 0.0.4) or line end. */
  private int tokenEnd(int p) {
    while (p < lineEnd && buf[p] != ' ' && (om || buf[p] != '\t')) {
      p++;
    }
    return p;
  }

  private static int indexOf(byte[] a, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private void checkUtf8(int start, int stop, String what) throws ExpositionParseException {
    int bad = Bytes.invalidUtf8(buf, start, stop);
    if (bad >= 0) {
      throw error(bad, "invalid UTF-8 in " + what);
    }
  }

  private void ensureScratch(int len) {
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length * 2)];
    }
  }

  /**
   * Help text with its escapes resolved: {@code \\} and {@code \n}; OpenMetrics also {@code \"}.
   */
  private String unescapeHelp(int start, int stop) throws ExpositionParseException {
    ensureScratch(stop - start);
    int n = 0;
    for (int p = start; p < stop; p++) {
      byte b = buf[p];
      if (b == '\\' && p + 1 < stop) {
        byte c = buf[p + 1];
        if (c == '\\' || c == 'n' || (om && c == '"')) {
          scratch[n++] = c == 'n' ? (byte) '\n' : c;
          p++;
          continue;
        }
      }
      if (b == '\\' && om) {
        throw error(
            p,
            "invalid escape sequence "
                + quote(p, Math.min(p + 2, stop))
                + " in help text (allowed: \\\\, \\\", \\n)");
      }
      scratch[n++] = b; // 0.0.4 keeps an unknown escape as it is, as Prometheus does
    }
    return new String(scratch, 0, n, java.nio.charset.StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- errors

  private ExpositionParseException error(int at, String reason) {
    return new ExpositionParseException(line, Bytes.countChars(buf, lineStart, at) + 1, reason);
  }

  private ExpositionParseException lineError(String reason) {
    return new ExpositionParseException(line, 0, reason);
  }

  /** The byte at p for a message: the character in quotes, or "end of line". */
  private String describe(int p) {
    if (p >= lineEnd) {
      return "end of line";
    }
    int b = buf[p] & 0xFF;
    if (b >= 0x20 && b < 0x7F) {
      return "'" + (char) b + "'";
    }
    return String.format("byte 0x%02x", b);
  }

  /** A byte range for a message: in double quotes, control bytes escaped, shortened past 60. */
  private String quote(int start, int stop) {
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(stop, start + 60);
    String s = new String(buf, start, limit - start, java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    if (limit < stop) {
      out.append("...");
    }
    return out.append('"').toString();
  }

  // ---------------------------------------------------------------- accessors

  /** The kind of the current entry. */
  public Entry entry() {
    return entry;
  }

  /** The 1-based line number of the current entry. */
  public int lineNumber() {
    return line;
  }

  /**
   * The metric name of the current entry: the sample's name for {@link Entry#SERIES} (e.g. {@code
   * foo_bucket}), the family name for {@code TYPE}, {@code HELP} and {@code UNIT}.
   */
  public String metricName() {
    return name();
  }

  private String name() {
    String n = name;
    if (n == null) {
      n = strings.get(buf, nameStart, nameEnd);
      name = n;
    }
    return n;
  }

  /**
   * The name of the family the current sample belongs to ({@code foo} for {@code foo_bucket} of
   * histogram {@code foo}), or the family a metadata line describes.
   */
  public String familyName() {
    Family f = family;
    return f == null ? name() : f.name;
  }

  /**
   * The type of the current entry: the declared type for {@code TYPE}; otherwise the type of the
   * family the entry belongs to so far ({@link MetricType#UNKNOWN} without a {@code # TYPE} line).
   */
  public MetricType metricType() {
    if (entry == Entry.TYPE) {
      return entryType;
    }
    Family f = family;
    return f == null ? MetricType.UNKNOWN : f.type;
  }

  /**
   * The current sample's labels, with the metric name as {@code __name__}. Built with one reused
   * builder; the label set itself is new (it is the series' identity and outlives the parser).
   */
  public Labels labels() {
    Labels l = labels;
    if (l == null) {
      builder.reset();
      builder.set(Labels.METRIC_NAME, name());
      fill(sampleLabels, builder);
      l = builder.build();
      labels = l;
    }
    return l;
  }

  /** The number of labels in the current sample's braces (not counting the metric name). */
  public int labelCount() {
    return sampleLabels.count;
  }

  /** The name of the i-th label in the order written. */
  public String labelName(int i) {
    checkIndex(i, sampleLabels);
    return strings.get(buf, sampleLabels.offsets[4 * i], sampleLabels.offsets[4 * i + 1]);
  }

  /** The unescaped value of the i-th label in the order written. */
  public String labelValue(int i) {
    checkIndex(i, sampleLabels);
    return valueString(sampleLabels, i);
  }

  /** The offset in the body where the current sample's name starts (for a raw-bytes cache key). */
  public int seriesStart() {
    return nameStart;
  }

  /**
   * The offset in the body just after the current sample's name and labels: {@code
   * body[seriesStart(), seriesEnd())} identifies the series within one target's expositions.
   */
  public int seriesEnd() {
    if (sampleLabels.count == 0) {
      int p = nameEnd;
      while (p < lineEnd && buf[p] != '}' && buf[p] != ' ' && buf[p] != '\t') {
        p++;
      }
      return p < lineEnd && buf[p] == '}' ? p + 1 : nameEnd;
    }
    int p = sampleLabels.offsets[4 * sampleLabels.count - 1];
    while (buf[p] != '}') {
      p++;
    }
    return p + 1;
  }

  /** The current sample's value. */
  public double value() {
    return value;
  }

  /** Whether the current sample carries a timestamp. */
  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /**
   * The current sample's timestamp in milliseconds since the epoch (OpenMetrics seconds are rounded
   * to the nearest millisecond). Meaningful only when {@link #hasTimestamp()}.
   */
  public long timestampMillis() {
    return timestamp;
  }

  /** Whether the current sample carries an exemplar (OpenMetrics only). */
  public boolean hasExemplar() {
    return hasExemplar;
  }

  /** The exemplar's labels (no metric name). Meaningful only when {@link #hasExemplar()}. */
  public Labels exemplarLabels() {
    Labels l = exemplarLabelSet;
    if (l == null) {
      builder.reset();
      fill(exemplarLabels, builder);
      l = builder.build();
      exemplarLabelSet = l;
    }
    return l;
  }

  /** The exemplar's value. */
  public double exemplarValue() {
    return exemplarValue;
  }

  /** Whether the exemplar carries a timestamp. */
  public boolean exemplarHasTimestamp() {
    return exemplarHasTimestamp;
  }

  /** The exemplar's timestamp in milliseconds since the epoch, rounded from seconds. */
  public long exemplarTimestampMillis() {
    return exemplarTimestamp;
  }

  /** The unescaped help text of a {@link Entry#HELP} entry. */
  public String help() {
    return entry == Entry.HELP ? text : "";
  }

  /** The unit of a {@link Entry#UNIT} entry. */
  public String unit() {
    return entry == Entry.UNIT ? text : "";
  }

  /** The text of a {@link Entry#COMMENT} entry, after the '#' and the blanks that follow it. */
  public String comment() {
    if (entry != Entry.COMMENT) {
      return "";
    }
    if (!textDecoded) {
      text =
          new String(buf, textStart, textEnd - textStart, java.nio.charset.StandardCharsets.UTF_8);
      textDecoded = true;
    }
    return text;
  }

  /**
   * The metadata of every metric family read so far, in order of first appearance (complete once
   * {@link Entry#EOF} has been returned). Families that had samples but no metadata lines are
   * included with type {@link MetricType#UNKNOWN} and empty help and unit.
   */
  public List<MetricMetadata> metadata() {
    List<MetricMetadata> out = new ArrayList<>(families.size());
    for (Family f : families.values()) {
      out.add(new MetricMetadata(f.name, f.type, f.help, f.unit));
    }
    return Collections.unmodifiableList(out);
  }

  private void fill(LabelRanges r, Labels.Builder b) {
    for (int i = 0; i < r.count; i++) {
      b.set(strings.get(buf, r.offsets[4 * i], r.offsets[4 * i + 1]), valueString(r, i));
    }
  }

  private String valueString(LabelRanges r, int i) {
    int vs = r.offsets[4 * i + 2];
    int ve = r.offsets[4 * i + 3];
    if (!r.escaped[i]) {
      return strings.get(buf, vs, ve);
    }
    ensureScratch(ve - vs);
    int n = 0;
    for (int p = vs; p < ve; p++) {
      byte b = buf[p];
      if (b == '\\') {
        byte c = buf[++p];
        scratch[n++] = c == 'n' ? (byte) '\n' : c;
      } else {
        scratch[n++] = b;
      }
    }
    return strings.get(scratch, 0, n);
  }

  private static void checkIndex(int i, LabelRanges r) {
    if (i < 0 || i >= r.count) {
      throw new IndexOutOfBoundsException("label " + i + " of " + r.count);
    }
  }
}
