package dev.nines.notify.incident;

import dev.nines.store.AlertIncidentLink;
import dev.nines.store.AlertIncidentLinkRepository;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Alert occurrences linked to the incidents they led to: one incident per occurrence (fingerprint
 * and {@code startsAt}), written to the store before a call returns, with the newest link of each
 * fingerprint cached for the alert views.
 *
 * <p>Design notes. An incident reference is what the on-call engineer has at hand when they
 * acknowledge: an id from the incident tool ({@code INC-42}) or its URL. Nines does not own
 * incidents yet, so it keeps the reference as given and checks only that it is one line of
 * reasonable length and, when it names a scheme ({@code ://}), an http(s) URL; the console links
 * only http(s) URLs, so a {@code javascript:} reference stays text. Links outlive their alert (an
 * incident is often tied to an alert after it resolved) and are deleted with the history.
 */
public final class IncidentLinks {
  /** The longest incident reference taken, in characters. */
  public static final int MAX_LENGTH = 2048;

  private final AlertIncidentLinkRepository repository;
  private final Map<Long, AlertIncidentLink> newest = new ConcurrentHashMap<>();

  /** Loads the stored links. */
  public IncidentLinks(AlertIncidentLinkRepository repository) {
    this.repository = repository;
    for (AlertIncidentLink l : repository.list()) {
      cache(l);
    }
  }

  /**
   * Checks an incident reference and returns it without surrounding blanks.
   *
   * @throws IllegalArgumentException naming the field {@code incident} and what is wrong
   */
  public static String validate(@Nullable String incident) {
    String s = incident == null ? "" : incident.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("incident: required (an incident id or URL)");
    }
    if (s.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "incident: longer than " + MAX_LENGTH + " characters (" + s.length() + ")");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(
            "incident: control character U+"
                + String.format(Locale.ROOT, "%04X", (int) s.charAt(i))
                + " at position "
                + i);
      }
    }
    if (s.contains("://") && !isHttpUrl(s)) {
      throw new IllegalArgumentException(
          "incident: \"" + s + "\" looks like a URL but is not an absolute http(s) URL");
    }
    return s;
  }

  /** Whether {@code s} is an absolute http or https URL with a host. */
  public static boolean isHttpUrl(String s) {
    try {
      URI u = new URI(s);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && u.getHost() != null
          && !u.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * One occurrence to link.
   *
   * @param fingerprint the alert's fingerprint
   * @param startsAt the occurrence's {@code startsAt}
   * @param alertname the alert's {@code alertname}
   */
  public record Occurrence(long fingerprint, Instant startsAt, String alertname) {}

  /**
   * Links these occurrences to {@code incident} (already {@link #validate validated}), replacing
   * any incident they were linked to, in one transaction.
   *
   * @return the links written, in the order given
   */
  public List<AlertIncidentLink> link(
      Collection<Occurrence> occurrences, String incident, String by, Instant now) {
    List<AlertIncidentLink> links =
        occurrences.stream()
            .map(
                o ->
                    new AlertIncidentLink(
                        o.fingerprint(), o.startsAt(), o.alertname(), incident, now, by))
            .toList();
    repository.upsertAll(links);
    links.forEach(this::cache);
    return links;
  }

  private void cache(AlertIncidentLink l) {
    newest.merge(
        l.fingerprint(),
        l,
        (old, l2) -> l2.alertStartsAt().isBefore(old.alertStartsAt()) ? old : l2);
  }

  /** The link of the occurrence of this fingerprint that started at {@code startsAt}, or null. */
  public @Nullable AlertIncidentLink of(long fingerprint, Instant startsAt) {
    AlertIncidentLink l = newest.get(fingerprint);
    return l != null && l.alertStartsAt().equals(startsAt.truncatedTo(ChronoUnit.MILLIS))
        ? l
        : null;
  }

  /**
   * Deletes the links made before {@code before}.
   *
   * @return how many
   */
  public int collect(Instant before) {
    int n = repository.deleteBefore(before);
    newest.values().removeIf(l -> l.linkedAt().isBefore(before));
    return n;
  }

  /** How many fingerprints have a link cached. */
  public int size() {
    return newest.size();
  }
}
