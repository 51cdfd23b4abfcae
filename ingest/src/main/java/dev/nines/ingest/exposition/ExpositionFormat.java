package dev.nines.ingest.exposition;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The text exposition formats Nines reads, and content negotiation between them: the {@code Accept}
 * header a scraper sends, and the format a response's {@code Content-Type} selects.
 */
public enum ExpositionFormat {
  /** The Prometheus text format 0.0.4 ({@code text/plain; version=0.0.4}). */
  PROMETHEUS_TEXT_0_0_4("text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics 1.0 text ({@code application/openmetrics-text; version=1.0.0}). */
  OPENMETRICS_1_0_0("application/openmetrics-text; version=1.0.0; charset=utf-8");

  /**
   * The {@code Accept} header a scrape sends: Prometheus 2.42's own header with the entries for the
   * formats Nines does not negotiate (OpenMetrics 0.0.1) left out, and the same q-values.
   */
  public static final String SCRAPE_ACCEPT_HEADER =
      "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The {@code Content-Type} a server sends with a body in this format. */
  public String contentType() {
    return contentType;
  }

  /**
   * The format a scrape response's {@code Content-Type} selects: OpenMetrics for {@code
   * application/openmetrics-text} with version 1.0.0, 0.0.1 or none; the Prometheus text format for
   * everything else, including a missing header, as Prometheus falls back.
   */
  public static ExpositionFormat forContentType(@Nullable String contentType) {
    if (contentType == null) {
      return PROMETHEUS_TEXT_0_0_4;
    }
    String[] parts = contentType.split(";", -1);
    String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/openmetrics-text")) {
      return PROMETHEUS_TEXT_0_0_4;
    }
    String version = null;
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip();
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("version")) {
        version = unquote(param.substring(eq + 1).strip());
      }
    }
    if (version == null || version.equals("1.0.0") || version.equals("0.0.1")) {
      return OPENMETRICS_1_0_0;
    }
    return PROMETHEUS_TEXT_0_0_4;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
