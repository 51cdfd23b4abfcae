package dev.nines.notify.template;

import static dev.nines.common.gotemplate.FunctionTable.need;
import static dev.nines.common.gotemplate.FunctionTable.string;

import dev.nines.common.gotemplate.FunctionTable;
import dev.nines.common.gotemplate.GoTemplate;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.common.gotemplate.TemplateFunction.CallException;
import dev.nines.common.gotemplate.TemplateSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Alertmanager's template namespace: Nines's default templates ({@code default.tmpl}, written for
 * Nines, same names and text as Alertmanager's) overlaid by the files of the configuration's {@code
 * templates:}, with Alertmanager's functions. Receivers parse their fields ({@code title}, {@code
 * text}, headers...) against it with {@link #parse} and execute them with {@link #execute}.
 * Immutable and thread-safe.
 *
 * <p>Functions: Go's builtins ({@code and or not len index print printf println eq ne lt le gt ge
 * urlquery html}) and Alertmanager's {@code toUpper toLower title join match safeHtml reReplaceAll
 * stringSlice trimSpace date tz}.
 */
public final class NotifyTemplates {
  private static final FunctionTable FUNCTIONS = functions();
  private static final TemplateSet DEFAULTS = defaults();

  private final TemplateSet set;

  private NotifyTemplates(TemplateSet set) {
    this.set = set;
  }

  /** The default templates only. */
  public static NotifyTemplates defaultsOnly() {
    return new NotifyTemplates(DEFAULTS);
  }

  /**
   * The defaults overlaid by {@code files}, in order.
   *
   * @throws TemplateException when a file does not parse; its message names the file and line
   * @throws IOException when a file cannot be read
   */
  public static NotifyTemplates load(List<Path> files) throws TemplateException, IOException {
    TemplateSet s = DEFAULTS;
    for (Path f : files) {
      s = s.add(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
    }
    return new NotifyTemplates(s);
  }

  /** The defaults overlaid by template texts given by name (tests, or files read elsewhere). */
  public static NotifyTemplates of(Map<String, String> texts) throws TemplateException {
    TemplateSet s = DEFAULTS;
    for (Map.Entry<String, String> e : texts.entrySet()) {
      s = s.add(e.getKey(), e.getValue());
    }
    return new NotifyTemplates(s);
  }

  /**
   * Parses a field's template against this namespace.
   *
   * @param name the field's name for errors, e.g. {@code receivers[0].slack_configs[0].title}
   * @throws TemplateException when it does not parse
   */
  public GoTemplate parse(String name, String text) throws TemplateException {
    return set.parse(name, text);
  }

  /** Whether a template of this name is defined. */
  public boolean defines(String name) {
    return set.defines(name);
  }

  /**
   * Executes a parsed template with notification data.
   *
   * @throws TemplateException when execution fails
   */
  public static String execute(GoTemplate template, TemplateData data) throws TemplateException {
    return template.execute(data, Map.of(), null);
  }

  /**
   * Parses and executes {@code text} in one go.
   *
   * @throws TemplateException when it does not parse or execution fails
   */
  public String render(String name, String text, TemplateData data) throws TemplateException {
    return execute(parse(name, text), data);
  }

  private static TemplateSet defaults() {
    try (InputStream in = NotifyTemplates.class.getResourceAsStream("default.tmpl")) {
      if (in == null) {
        throw new IllegalStateException("default.tmpl missing from the notify jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return TemplateSet.of(FUNCTIONS, Set.of()).add("default.tmpl", text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TemplateException e) {
      throw new IllegalStateException("default.tmpl does not parse: " + e.getMessage(), e);
    }
  }

  private static FunctionTable functions() {
    return FunctionTable.builtins()
        .with(
            "join",
            (a, c) -> {
              need("join", a, 2, 2);
              String sep = string("join", a.get(0));
              if (!(a.get(1) instanceof List<?> l)) {
                throw new CallException("error calling join: expected a list of strings");
              }
              List<String> parts = new ArrayList<>();
              for (Object o : l) {
                parts.add(String.valueOf(o));
              }
              return String.join(sep, parts);
            })
        .with(
            "stringSlice",
            (a, c) -> {
              List<String> out = new ArrayList<>();
              for (Object o : a) {
                out.add(string("stringSlice", o));
              }
              return out;
            })
        .with(
            "trimSpace",
            (a, c) -> {
              need("trimSpace", a, 1, 1);
              return string("trimSpace", a.get(0)).strip();
            })
        .with(
            "html",
            (a, c) -> {
              StringBuilder out = new StringBuilder();
              for (char ch : FunctionTable.sprint(a, false).toCharArray()) {
                switch (ch) {
                  case '<' -> out.append("&lt;");
                  case '>' -> out.append("&gt;");
                  case '&' -> out.append("&amp;");
                  case '"' -> out.append("&#34;");
                  case '\'' -> out.append("&#39;");
                  case 0 -> out.append('\uFFFD');
                  default -> out.append(ch);
                }
              }
              return out.toString();
            })
        .with(
            "tz",
            (a, c) -> {
              need("tz", a, 2, 2);
              String zone = string("tz", a.get(0));
              if (!(a.get(1) instanceof GoTime t)) {
                throw new CallException("error calling tz: expected a time");
              }
              try {
                ZoneId.of(zone);
              } catch (java.time.DateTimeException e) {
                throw new CallException("error calling tz: unknown time zone " + zone);
              }
              return t; // Times print in UTC; tz only validates the zone (see docs/notify.md).
            })
        .with(
            "date",
            (a, c) -> {
              need("date", a, 2, 2);
              String layout = string("date", a.get(0));
              if (!(a.get(1) instanceof GoTime t)) {
                throw new CallException("error calling date: expected a time");
              }
              return DateTimeFormatter.ofPattern(goLayout(layout), Locale.ROOT)
                  .withZone(java.time.ZoneOffset.UTC)
                  .format(t.instant());
            });
  }

  /** Translates the common elements of a Go time layout to a {@link DateTimeFormatter} pattern. */
  static String goLayout(String layout) {
    String[][] map = {
      {"2006", "uuuu"},
      {"January", "MMMM"},
      {"Jan", "MMM"},
      {"Monday", "EEEE"},
      {"Mon", "EEE"},
      {"MST", "'UTC'"},
      {"01", "MM"},
      {"02", "dd"},
      {"15", "HH"},
      {"03", "hh"},
      {"04", "mm"},
      {"05", "ss"},
      {"PM", "a"},
      {"-0700", "xx"},
      {"Z07:00", "XXX"},
      {".000", ".SSS"},
    };
    StringBuilder out = new StringBuilder();
    int i = 0;
    outer:
    while (i < layout.length()) {
      for (String[] m : map) {
        if (layout.startsWith(m[0], i)) {
          out.append(m[1]);
          i += m[0].length();
          continue outer;
        }
      }
      char ch = layout.charAt(i++);
      if (Character.isLetter(ch)) {
        out.append('\'').append(ch).append('\'');
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
