package dev.nines.ingest.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.nines.common.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Applies a list of {@link RelabelConfig} steps to a label set, in order, as Prometheus's {@code
 * relabel.Process} does.
 *
 * <p>Semantics, per action (from Prometheus's configuration docs and its {@code relabel.go}):
 *
 * <ul>
 *   <li>{@code replace}: when the regex matches the joined source values, {@code target_label} and
 *       {@code replacement} are expanded with the match (Go's {@code Regexp.Expand}: {@code $1},
 *       {@code ${1}}, {@code $name}, {@code $$}); an expanded target that is not a valid label name
 *       leaves the labels unchanged; an empty result deletes the target label. No match: no change.
 *   <li>{@code keep}/{@code drop}: drop the set when the regex does not match / matches.
 *   <li>{@code keepequal}/{@code dropequal}: drop when the joined source values differ from / equal
 *       the value of {@code target_label}.
 *   <li>{@code hashmod}: MD5 of the joined values, the last 8 bytes as an unsigned big-endian
 *       integer, modulo {@code modulus}, written in decimal to {@code target_label}.
 *   <li>{@code labelmap}: for every label whose name matches, copy its value to the name given by
 *       expanding {@code replacement} against the name (the original stays).
 *   <li>{@code labeldrop}/{@code labelkeep}: delete the labels whose names match / do not match.
 *   <li>{@code lowercase}/{@code uppercase}: write the joined values in that case to {@code
 *       target_label}.
 * </ul>
 */
public final class Relabeler {
  private Relabeler() {}

  /**
   * The label set after every step, or {@code null} when a step dropped it. An empty result is also
   * reported as dropped, as Prometheus does for targets and samples.
   */
  public static @Nullable Labels process(Labels labels, List<RelabelConfig> configs) {
    if (configs.isEmpty()) {
      return labels;
    }
    Labels.Builder b = labels.toBuilder();
    for (RelabelConfig c : configs) {
      if (!apply(b, c)) {
        return null;
      }
    }
    Labels out = b.build();
    return out.isEmpty() ? null : out;
  }

  /** Applies one step to {@code b}; false when the set is dropped. */
  static boolean apply(Labels.Builder b, RelabelConfig c) {
    String val = joined(b, c);
    Pattern p = c.pattern();
    switch (c.action()) {
      case DROP -> {
        return !p.matches(val);
      }
      case KEEP -> {
        return p.matches(val);
      }
      case DROPEQUAL -> {
        return !val.equals(nullToEmpty(b.get(c.targetLabel())));
      }
      case KEEPEQUAL -> {
        return val.equals(nullToEmpty(b.get(c.targetLabel())));
      }
      case REPLACE -> {
        Matcher m = p.matcher(val);
        if (!m.matches()) {
          return true;
        }
        String target = expand(c.targetLabel(), m, p);
        if (!RelabelConfig.isValidLabelName(target)) {
          return true;
        }
        String res = expand(c.replacement(), m, p);
        if (res.isEmpty()) {
          b.delete(target);
        } else {
          b.set(target, res);
        }
      }
      case LOWERCASE -> b.set(c.targetLabel(), val.toLowerCase(Locale.ROOT));
      case UPPERCASE -> b.set(c.targetLabel(), val.toUpperCase(Locale.ROOT));
      case HASHMOD -> {
        long mod = Long.remainderUnsigned(hashValue(val), c.modulus());
        b.set(c.targetLabel(), Long.toUnsignedString(mod));
      }
      case LABELMAP -> {
        Labels snapshot = b.build();
        for (int i = 0; i < snapshot.size(); i++) {
          String name = snapshot.name(i);
          Matcher m = p.matcher(name);
          if (m.matches()) {
            String res = expand(c.replacement(), m, p);
            if (RelabelConfig.isValidLabelName(res)) {
              b.set(res, snapshot.value(i));
            }
          }
        }
      }
      case LABELDROP, LABELKEEP -> {
        boolean dropMatching = c.action() == RelabelConfig.Action.LABELDROP;
        Labels snapshot = b.build();
        for (int i = 0; i < snapshot.size(); i++) {
          String name = snapshot.name(i);
          if (p.matches(name) == dropMatching) {
            b.delete(name);
          }
        }
      }
    }
    return true;
  }

  /** The hashmod hash: the last 8 bytes of MD5({@code value}) as a big-endian unsigned long. */
  static long hashValue(String value) {
    byte[] md5;
    try {
      md5 = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every JDK", e);
    }
    long s = 0;
    for (int i = 8; i < 16; i++) {
      s = (s << 8) | (md5[i] & 0xff);
    }
    return s;
  }

  private static String joined(Labels.Builder b, RelabelConfig c) {
    List<String> names = c.sourceLabels();
    if (names.isEmpty()) {
      return "";
    }
    if (names.size() == 1) {
      return nullToEmpty(b.get(names.get(0)));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(c.separator());
      }
      sb.append(nullToEmpty(b.get(names.get(i))));
    }
    return sb.toString();
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  /**
   * Expands {@code template} against a successful match as Go's {@code Regexp.Expand}: {@code $$}
   * is a literal {@code $}; {@code $name} takes the longest run of letters, digits and underscores;
   * {@code ${name}} is delimited; a number is a group index, anything else a group name; unknown or
   * unmatched groups expand to nothing; a malformed reference keeps its {@code $}.
   */
  static String expand(String template, Matcher m, Pattern p) {
    int dollar = template.indexOf('$');
    if (dollar < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    int n = template.length();
    while (i < n) {
      char ch = template.charAt(i);
      if (ch != '$') {
        out.append(ch);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      int start = i + 1;
      boolean brace = start < n && template.charAt(start) == '{';
      if (brace) {
        start++;
      }
      int end = start;
      while (end < n && isNameChar(template.charAt(end))) {
        end++;
      }
      if (end == start || (brace && (end >= n || template.charAt(end) != '}'))) {
        out.append('$');
        i++;
        continue;
      }
      String name = template.substring(start, end);
      i = brace ? end + 1 : end;
      String group = group(name, m, p);
      if (group != null) {
        out.append(group);
      }
    }
    return out.toString();
  }

  private static @Nullable String group(String name, Matcher m, Pattern p) {
    int index = -1;
    if (name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        index = Integer.parseInt(name);
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      Integer named = p.namedGroups().get(name);
      if (named == null) {
        return null;
      }
      index = named;
    }
    if (index > m.groupCount()) {
      return null;
    }
    return m.group(index);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
