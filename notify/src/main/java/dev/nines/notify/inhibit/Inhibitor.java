package dev.nines.notify.inhibit;

import dev.nines.common.Labels;
import dev.nines.notify.Alert;
import dev.nines.notify.config.InhibitRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies inhibition rules: a target alert is muted while a firing alert matches a rule's source
 * side and has the same values for the rule's {@code equal} labels.
 *
 * <p>Design notes. Per rule, the alerts matching the source side are indexed by their {@code equal}
 * label values ({@link #observe} keeps the index current as alerts arrive and go), so a check is
 * one lookup per rule rather than a scan of every alert. Whether a source fires is decided at check
 * time, by its {@code endsAt}. As in Alertmanager, when the target itself matches the source side,
 * sources that also match the target side do not count: an alert never inhibits itself, and two
 * alerts that match both sides do not inhibit each other.
 */
public final class Inhibitor {
  private record Indexed(InhibitRule rule, Map<String, Map<Long, Alert>> sources) {}

  private final List<Indexed> rules;

  /** An inhibitor for these rules, with no alerts yet. */
  public Inhibitor(List<InhibitRule> rules) {
    List<Indexed> list = new ArrayList<>(rules.size());
    for (InhibitRule r : rules) {
      list.add(new Indexed(r, new ConcurrentHashMap<>()));
    }
    this.rules = List.copyOf(list);
  }

  /** Records the current version of an alert (call on every change). */
  public void observe(Alert alert) {
    long fp = alert.fingerprint();
    for (Indexed r : rules) {
      if (r.rule().sourceMatches(alert.labels())) {
        r.sources()
            .computeIfAbsent(key(r.rule(), alert.labels()), k -> new ConcurrentHashMap<>())
            .put(fp, alert);
      }
    }
  }

  /** Forgets an alert that was dropped. */
  public void forget(Alert alert) {
    for (Indexed r : rules) {
      Map<Long, Alert> bucket = r.sources().get(key(r.rule(), alert.labels()));
      if (bucket != null) {
        bucket.remove(alert.fingerprint());
      }
    }
  }

  /** The fingerprints of the firing alerts that inhibit {@code target} at {@code now}, sorted. */
  public List<Long> mutedBy(Alert target, Instant now) {
    List<Long> out = new ArrayList<>();
    Labels labels = target.labels();
    long targetFp = target.fingerprint();
    for (Indexed r : rules) {
      InhibitRule rule = r.rule();
      if (!rule.targetMatches(labels)) {
        continue;
      }
      Map<Long, Alert> bucket = r.sources().get(key(rule, labels));
      if (bucket == null) {
        continue;
      }
      boolean twoSided = rule.sourceMatches(labels);
      for (Alert source : bucket.values()) {
        if (source.fingerprint() == targetFp || source.resolvedAt(now)) {
          continue;
        }
        if (twoSided && rule.targetMatches(source.labels())) {
          continue;
        }
        if (!out.contains(source.fingerprint())) {
          out.add(source.fingerprint());
        }
      }
    }
    out.sort(Long::compareUnsigned);
    return out;
  }

  private static String key(InhibitRule rule, Labels labels) {
    StringBuilder sb = new StringBuilder();
    for (String name : rule.equal()) {
      String v = labels.get(name);
      sb.append(v == null ? "" : v).append('\u0000');
    }
    return sb.toString();
  }
}
