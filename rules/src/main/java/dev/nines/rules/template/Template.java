package dev.nines.rules.template;

import dev.nines.common.gotemplate.GoTemplate;
import dev.nines.common.gotemplate.TemplateException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A parsed alert template: Go {@code text/template} syntax (the engine in {@code
 * dev.nines.common.gotemplate}) with Prometheus's functions and its predefined variables {@code
 * $labels}, {@code $externalLabels}, {@code $externalURL} and {@code $value}. Parse once ({@link
 * #parse}), execute per alert ({@link #execute}). Immutable and thread-safe.
 */
public final class Template {
  private static final Set<String> PREDEFINED =
      Set.of("labels", "externalLabels", "externalURL", "value");

  /** Runs a PromQL instant query for the {@code query} function, at the evaluation time. */
  @FunctionalInterface
  public interface QueryFunc {
    /**
     * The query's result as samples.
     *
     * @throws Exception with a message when the query fails
     */
    List<TemplateSample> query(String expr) throws Exception;
  }

  private final GoTemplate template;

  private Template(GoTemplate template) {
    this.template = template;
  }

  /**
   * Parses a template.
   *
   * @param name the name used in errors, e.g. {@code __alert_HighLatency}
   * @throws TemplateException when it does not parse, uses an unknown function or an undefined
   *     variable
   */
  public static Template parse(String name, String text) throws TemplateException {
    return new Template(GoTemplate.parse(name, text, Functions.TABLE, PREDEFINED));
  }

  /** The template's source text. */
  public String text() {
    return template.text();
  }

  /** Whether the text has no actions, so that executing it returns it unchanged. */
  public boolean isConstant() {
    return template.isConstant();
  }

  /**
   * Executes the template.
   *
   * @param query runs {@code query "..."} calls
   * @throws TemplateException when a function fails, a field does not exist or a query fails
   */
  public String execute(TemplateData data, QueryFunc query) throws TemplateException {
    Map<String, Object> dot = new LinkedHashMap<>();
    dot.put("Labels", data.labels());
    dot.put("ExternalLabels", data.externalLabels());
    dot.put("ExternalURL", data.externalUrl());
    dot.put("Value", data.value());
    Map<String, @Nullable Object> vars = new HashMap<>();
    vars.put("labels", data.labels());
    vars.put("externalLabels", data.externalLabels());
    vars.put("externalURL", data.externalUrl());
    vars.put("value", data.value());
    Functions.Context ctx =
        new Functions.Context() {
          @Override
          public List<TemplateSample> query(String expr) throws Exception {
            return query.query(expr);
          }

          @Override
          public String externalUrl() {
            return data.externalUrl();
          }
        };
    return template.execute(dot, vars, ctx);
  }
}
