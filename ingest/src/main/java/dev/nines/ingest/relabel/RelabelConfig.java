package dev.nines.ingest.relabel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * One relabelling step, as Prometheus's {@code relabel_config}: the values of {@code source_labels}
 * joined by {@code separator} are matched against the fully anchored RE2 {@code regex}, and {@code
 * action} decides what happens. Built only through {@link #of} or {@link #builder()}, which apply
 * Prometheus's defaults and its validation per action.
 *
 * @param sourceLabels label names whose values are concatenated (may be empty)
 * @param separator joins the source values; default {@code ;}
 * @param regex the regex as written (unanchored text; default {@code (.*)})
 * @param pattern {@code regex} compiled as {@code ^(?s:regex)$}
 * @param modulus for {@code hashmod}; 0 when unset
 * @param targetLabel the label written by {@code replace}, {@code hashmod}, {@code lowercase},
 *     {@code uppercase}, or compared by {@code keepequal}/{@code dropequal}; empty when unset
 * @param replacement the template for {@code replace} and {@code labelmap}; default {@code $1}
 * @param action what the step does
 */
public record RelabelConfig(
    List<String> sourceLabels,
    String separator,
    String regex,
    Pattern pattern,
    long modulus,
    String targetLabel,
    String replacement,
    Action action) {

  /** The default separator. */
  public static final String DEFAULT_SEPARATOR = ";";

  /** The default regex. */
  public static final String DEFAULT_REGEX = "(.*)";

  /** The default replacement. */
  public static final String DEFAULT_REPLACEMENT = "$1";

  private static final java.util.regex.Pattern LABEL_NAME =
      java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** A target label or labelmap replacement: label-name characters and {@code $} references. */
  private static final java.util.regex.Pattern RELABEL_TARGET =
      java.util.regex.Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

  /** The relabel actions Prometheus documents, by their configuration names. */
  public enum Action {
    REPLACE,
    KEEP,
    DROP,
    KEEPEQUAL,
    DROPEQUAL,
    HASHMOD,
    LABELMAP,
    LABELDROP,
    LABELKEEP,
    LOWERCASE,
    UPPERCASE;

    /** The name written in configuration, such as {@code labelmap}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The action named {@code name} in configuration (case-insensitive, as Prometheus). */
    public static Action parse(String name) {
      for (Action a : values()) {
        if (a.configName().equalsIgnoreCase(name)) {
          return a;
        }
      }
      throw new RelabelException("action", "unknown relabel action \"" + name + "\"");
    }
  }

  /** Validates the combination of fields for the action, as Prometheus does at config load. */
  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
    for (String s : sourceLabels) {
      if (!isValidLabelName(s)) {
        throw new RelabelException("source_labels", "\"" + s + "\" is not a valid label name");
      }
    }
    boolean defaults =
        separator.equals(DEFAULT_SEPARATOR)
            && regex.equals(DEFAULT_REGEX)
            && modulus == 0
            && replacement.equals(DEFAULT_REPLACEMENT);
    String a = action.configName();
    switch (action) {
      case REPLACE -> {
        requireTarget(targetLabel, a);
        if (!RELABEL_TARGET.matcher(targetLabel).matches()) {
          throw new RelabelException(
              "target_label", "\"" + targetLabel + "\" is invalid 'target_label' for " + a);
        }
      }
      case HASHMOD -> {
        requireTarget(targetLabel, a);
        requireLabelName(targetLabel, a);
        if (modulus == 0) {
          throw new RelabelException("modulus", "hashmod requires a non-zero 'modulus'");
        }
      }
      case LOWERCASE, UPPERCASE -> {
        requireTarget(targetLabel, a);
        requireLabelName(targetLabel, a);
        if (!replacement.equals(DEFAULT_REPLACEMENT)) {
          throw new RelabelException("replacement", "'replacement' can not be set for " + a);
        }
      }
      case KEEPEQUAL, DROPEQUAL -> {
        requireTarget(targetLabel, a);
        requireLabelName(targetLabel, a);
        if (!defaults) {
          throw new RelabelException(
              firstNonDefault(separator, regex, modulus, replacement),
              a + " requires only 'source_labels' and 'target_label', and no other fields");
        }
      }
      case LABELMAP -> {
        if (!RELABEL_TARGET.matcher(replacement).matches()) {
          throw new RelabelException(
              "replacement", "\"" + replacement + "\" is invalid 'replacement' for " + a);
        }
      }
      case LABELDROP, LABELKEEP -> {
        if (!sourceLabels.isEmpty()) {
          throw new RelabelException("source_labels", a + " requires only 'regex'");
        }
        if (!targetLabel.isEmpty()) {
          throw new RelabelException("target_label", a + " requires only 'regex'");
        }
        if (modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR)
            || !replacement.equals(DEFAULT_REPLACEMENT)) {
          throw new RelabelException(
              firstNonDefault(separator, DEFAULT_REGEX, modulus, replacement),
              a + " requires only 'regex', and no other fields");
        }
      }
      case KEEP, DROP -> {
        // Only source_labels, separator and regex matter.
      }
    }
  }

  /** A step with Prometheus's defaults, compiling {@code regex} (fully anchored). */
  public static RelabelConfig of(
      List<String> sourceLabels,
      String separator,
      String regex,
      long modulus,
      String targetLabel,
      String replacement,
      Action action) {
    return new RelabelConfig(
        sourceLabels, separator, regex, compile(regex), modulus, targetLabel, replacement, action);
  }

  /** A builder starting from Prometheus's defaults (action {@code replace}). */
  public static Builder builder() {
    return new Builder();
  }

  /** Compiles a relabel regex the way Prometheus does: {@code ^(?s:regex)$}. */
  public static Pattern compile(String regex) {
    try {
      return Pattern.compile("^(?s:" + regex + ")$");
    } catch (PatternSyntaxException e) {
      throw new RelabelException("regex", "invalid regex \"" + regex + "\": " + e.getMessage());
    }
  }

  /** Whether {@code name} is a valid Prometheus label name. */
  public static boolean isValidLabelName(String name) {
    return LABEL_NAME.matcher(name).matches();
  }

  private static void requireTarget(String targetLabel, String action) {
    if (targetLabel.isEmpty()) {
      throw new RelabelException("target_label", action + " requires a 'target_label' value");
    }
  }

  private static void requireLabelName(String targetLabel, String action) {
    if (!isValidLabelName(targetLabel)) {
      throw new RelabelException(
          "target_label", "\"" + targetLabel + "\" is invalid 'target_label' for " + action);
    }
  }

  private static String firstNonDefault(
      String separator, String regex, long modulus, String replacement) {
    if (!separator.equals(DEFAULT_SEPARATOR)) {
      return "separator";
    }
    if (!regex.equals(DEFAULT_REGEX)) {
      return "regex";
    }
    if (modulus != 0) {
      return "modulus";
    }
    return replacement.equals(DEFAULT_REPLACEMENT) ? "action" : "replacement";
  }

  /** Builds a {@link RelabelConfig} from Prometheus's defaults. */
  public static final class Builder {
    private List<String> sourceLabels = List.of();
    private String separator = DEFAULT_SEPARATOR;
    private String regex = DEFAULT_REGEX;
    private long modulus;
    private String targetLabel = "";
    private String replacement = DEFAULT_REPLACEMENT;
    private Action action = Action.REPLACE;

    private Builder() {}

    /** Sets {@code source_labels}. */
    public Builder sourceLabels(String... names) {
      this.sourceLabels = List.of(names);
      return this;
    }

    /** Sets {@code source_labels}. */
    public Builder sourceLabels(List<String> names) {
      this.sourceLabels = List.copyOf(names);
      return this;
    }

    /** Sets {@code separator}. */
    public Builder separator(String separator) {
      this.separator = separator;
      return this;
    }

    /** Sets {@code regex} (anchored when built). */
    public Builder regex(String regex) {
      this.regex = regex;
      return this;
    }

    /** Sets {@code modulus}. */
    public Builder modulus(long modulus) {
      this.modulus = modulus;
      return this;
    }

    /** Sets {@code target_label}. */
    public Builder targetLabel(String targetLabel) {
      this.targetLabel = targetLabel;
      return this;
    }

    /** Sets {@code replacement}. */
    public Builder replacement(String replacement) {
      this.replacement = replacement;
      return this;
    }

    /** Sets {@code action}. */
    public Builder action(Action action) {
      this.action = action;
      return this;
    }

    /** The validated step. */
    public RelabelConfig build() {
      return of(sourceLabels, separator, regex, modulus, targetLabel, replacement, action);
    }
  }
}
