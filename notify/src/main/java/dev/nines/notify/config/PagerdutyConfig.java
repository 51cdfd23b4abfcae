package dev.nines.notify.config;

import java.util.List;
import java.util.Map;

/**
 * One {@code pagerduty_configs} entry, for the Events API v2. Text fields are templates.
 *
 * @param sendResolved {@code send_resolved} (default true)
 * @param httpConfig {@code http_config}, or the global one
 * @param routingKey {@code routing_key}
 * @param url {@code url}, or the global {@code pagerduty_url}
 * @param client {@code client}
 * @param clientUrl {@code client_url}
 * @param description {@code description}: the event's summary
 * @param details {@code details}: Alertmanager's defaults ({@code firing}, {@code resolved}, {@code
 *     num_firing}, {@code num_resolved}) merged under the configured ones
 * @param images {@code images}
 * @param links {@code links}
 * @param source {@code source} (default: the client)
 * @param severity {@code severity} (default {@code error})
 * @param eventClass {@code class}
 * @param component {@code component}
 * @param group {@code group}
 */
public record PagerdutyConfig(
    boolean sendResolved,
    HttpConfig httpConfig,
    String routingKey,
    String url,
    String client,
    String clientUrl,
    String description,
    Map<String, String> details,
    List<Image> images,
    List<Link> links,
    String source,
    String severity,
    String eventClass,
    String component,
    String group) {

  /** Copies the collections, keeping their order. */
  public PagerdutyConfig {
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    images = List.copyOf(images);
    links = List.copyOf(links);
  }

  /**
   * An image attached to the event.
   *
   * @param src {@code src}
   * @param alt {@code alt}
   * @param href {@code href}
   */
  public record Image(String src, String alt, String href) {}

  /**
   * A link attached to the event.
   *
   * @param href {@code href}
   * @param text {@code text}
   */
  public record Link(String href, String text) {}
}
