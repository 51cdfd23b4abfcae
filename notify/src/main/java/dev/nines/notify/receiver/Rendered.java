package dev.nines.notify.receiver;

import dev.nines.common.gotemplate.GoTemplate;
import dev.nines.common.gotemplate.TemplateException;
import dev.nines.notify.template.NotifyTemplates;
import dev.nines.notify.template.TemplateData;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders an integration's template fields for one notification. Fields are parsed once, when the
 * integration is built; a failure while executing names the field.
 */
final class Rendered {
  private final Map<String, GoTemplate> parsed = new HashMap<>();
  private final String owner;

  /**
   * Parses {@code fields} (name to template text) against {@code templates}.
   *
   * @throws TemplateException when one does not parse
   */
  Rendered(String owner, NotifyTemplates templates, Map<String, String> fields)
      throws TemplateException {
    this.owner = owner;
    for (Map.Entry<String, String> f : fields.entrySet()) {
      parsed.put(f.getKey(), templates.parse(owner + "." + f.getKey(), f.getValue()));
    }
  }

  /** The field's text for {@code data}; an unknown field is empty. */
  String render(String field, TemplateData data) throws TemplateException {
    GoTemplate t = parsed.get(field);
    return t == null ? "" : NotifyTemplates.execute(t, data);
  }

  String owner() {
    return owner;
  }

  /** Truncates to {@code max} code points, with an ellipsis as Alertmanager does. */
  static String truncate(String s, int max) {
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    int end = s.offsetByCodePoints(0, max - 1);
    return s.substring(0, end) + "…";
  }
}
