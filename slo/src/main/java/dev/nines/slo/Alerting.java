package dev.nines.slo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The alerts an SLO generates: the page and ticket burn-rate alerts, plus any alert policies an
 * OpenSLO spec lists.
 *
 * @param page the page tier's alert
 * @param ticket the ticket tier's alert
 * @param labels labels for every alert of this SLO
 * @param annotations annotations for every alert of this SLO
 * @param runbookUrl written as the {@code runbook_url} annotation, when given
 * @param policies OpenSLO alert policies; when present they replace the page and ticket tiers
 */
public record Alerting(
    AlertSpec page,
    AlertSpec ticket,
    Map<String, String> labels,
    Map<String, String> annotations,
    @Nullable String runbookUrl,
    List<PolicyAlert> policies) {

  /** Creates alerting settings; maps and lists are copied. */
  public Alerting {
    labels = Map.copyOf(new TreeMap<>(labels));
    annotations = Map.copyOf(new TreeMap<>(annotations));
    policies = List.copyOf(policies);
  }

  /**
   * One tier's alert.
   *
   * @param name the alert name ({@code alert:} in the rule file)
   * @param disabled whether the alert is left out
   * @param labels labels of this alert only; they win over the SLO's
   * @param annotations annotations of this alert only; they win over the SLO's
   */
  public record AlertSpec(
      String name, boolean disabled, Map<String, String> labels, Map<String, String> annotations) {
    /** Creates an alert spec; maps are copied. */
    public AlertSpec {
      labels = Map.copyOf(new TreeMap<>(labels));
      annotations = Map.copyOf(new TreeMap<>(annotations));
    }
  }

  /**
   * A single-window burn-rate alert from an OpenSLO {@code AlertPolicy} and its {@code
   * AlertCondition}: fires when the burn rate over {@code lookbackWindow} compares with {@code
   * threshold} by {@code op} for {@code alertAfter}.
   *
   * @param name the alert name
   * @param severity the {@code severity} label
   * @param op the comparison
   * @param threshold the burn rate compared against
   * @param lookbackWindow the window the burn rate is measured over
   * @param alertAfter how long the condition must hold ({@code for:})
   * @param labels extra labels (the notification targets)
   * @param annotations extra annotations (the descriptions)
   */
  public record PolicyAlert(
      String name,
      String severity,
      Sli.Op op,
      double threshold,
      java.time.Duration lookbackWindow,
      java.time.Duration alertAfter,
      Map<String, String> labels,
      Map<String, String> annotations) {
    /** Creates a policy alert; maps are copied. */
    public PolicyAlert {
      labels = Map.copyOf(new TreeMap<>(labels));
      annotations = Map.copyOf(new TreeMap<>(annotations));
    }
  }
}
