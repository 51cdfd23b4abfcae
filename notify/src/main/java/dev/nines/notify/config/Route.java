package dev.nines.notify.config;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node of the routing tree, with its options already inherited from its parents. Matching follows
 * Alertmanager: an alert enters a node whose matchers all match; the deepest matching children win;
 * a child with {@code continue: false} stops the search among its siblings; a node none of whose
 * children match is itself the match.
 *
 * @param key the route's key as Alertmanager builds it: the parent's key, {@code /}, and this
 *     route's matchers in braces ({@code {}} at the root); part of every group key
 * @param matchers all must match for an alert to enter this route (none at the root)
 * @param continueMatching {@code continue}: whether later siblings are tried after this one matched
 * @param options the resolved options
 * @param routes the children, in the order written
 */
public record Route(
    String key,
    List<LabelMatcher> matchers,
    boolean continueMatching,
    RouteOptions options,
    List<Route> routes) {

  /** Checks the fields; lists are copied. */
  public Route {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    matchers = List.copyOf(matchers);
    routes = List.copyOf(routes);
  }

  /**
   * The routes an alert with {@code labels} goes to, in tree order; empty if this one does not
   * match.
   */
  public List<Route> match(Labels labels) {
    List<Route> out = new ArrayList<>();
    if (matches(labels)) {
      collect(labels, out);
    }
    return out;
  }

  private void collect(Labels labels, List<Route> out) {
    boolean matchedChild = false;
    for (Route child : routes) {
      if (!child.matches(labels)) {
        continue;
      }
      child.collect(labels, out);
      matchedChild = true;
      if (!child.continueMatching) {
        break;
      }
    }
    if (!matchedChild) {
      out.add(this);
    }
  }

  private boolean matches(Labels labels) {
    for (LabelMatcher m : matchers) {
      String v = labels.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }
}
