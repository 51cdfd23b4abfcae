package dev.nines.common.gotemplate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A namespace of named templates ({@code {{define "name"}}}) and the functions they may call, like
 * a Go {@code *template.Template} after {@code ParseFiles}: texts added later override earlier
 * definitions of the same name. Immutable; {@link #add} returns a new set.
 */
public final class TemplateSet {
  private final FunctionTable functions;
  private final Set<String> predefined;
  private final Map<String, List<Node>> defines;

  private TemplateSet(
      FunctionTable functions, Set<String> predefined, Map<String, List<Node>> defines) {
    this.functions = functions;
    this.predefined = Set.copyOf(predefined);
    this.defines = Collections.unmodifiableMap(new LinkedHashMap<>(defines));
  }

  /**
   * An empty set.
   *
   * @param functions the functions templates may call
   * @param predefined variables (without {@code $}) every template may use, set by the caller of
   *     {@link GoTemplate#execute}
   */
  public static TemplateSet of(FunctionTable functions, Set<String> predefined) {
    return new TemplateSet(functions, predefined, Map.of());
  }

  /**
   * This set with the definitions of {@code text} added (text outside definitions is ignored, as Go
   * ignores it for template files).
   *
   * @param name the file's name, used in errors
   * @throws TemplateException when the text does not parse
   */
  public TemplateSet add(String name, String text) throws TemplateException {
    TemplateParser.Parsed p = TemplateParser.parse(name, text, functions, predefined);
    Map<String, List<Node>> all = new LinkedHashMap<>(defines);
    all.putAll(p.defines());
    return new TemplateSet(functions, predefined, all);
  }

  /**
   * Parses a template that can call this set's definitions (and defines its own).
   *
   * @param name the name used in errors, e.g. {@code slack_configs[0].title}
   * @throws TemplateException when it does not parse, calls an unknown function or uses an
   *     undefined variable
   */
  public GoTemplate parse(String name, String text) throws TemplateException {
    TemplateParser.Parsed p = TemplateParser.parse(name, text, functions, predefined);
    Map<String, List<Node>> all = defines;
    if (!p.defines().isEmpty()) {
      all = new LinkedHashMap<>(defines);
      all.putAll(p.defines());
    }
    return new GoTemplate(name, text, p.body(), all, functions);
  }

  /** Whether a template of this name is defined. */
  public boolean defines(String name) {
    return defines.containsKey(name);
  }

  /** The functions templates of this set may call. */
  public FunctionTable functions() {
    return functions;
  }
}
