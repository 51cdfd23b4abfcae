package dev.nines.server.http;

import dev.nines.rules.RuleManager;
import dev.nines.rules.api.RulesApi;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/rules} and {@code GET /api/v1/alerts} in Prometheus's shapes, read from the
 * rule manager; {@code /api/v1/rules} takes Prometheus's {@code type}, {@code rule_name[]}, {@code
 * rule_group[]}, {@code file[]} and {@code exclude_alerts} filters.
 */
public final class RulesRoutes implements Consumer<RoutesConfig> {
  private final Supplier<RuleManager> rules;

  /** Routes reading from the manager {@code rules} returns (null before start: no groups). */
  public RulesRoutes(Supplier<RuleManager> rules) {
    this.rules = rules;
  }

  @Override
  public void accept(RoutesConfig routes) {
    routes.get("/api/v1/rules", this::rules);
    routes.get("/api/v1/alerts", this::alerts);
  }

  private void rules(Context ctx) {
    RulesApi.Filter filter;
    try {
      filter =
          new RulesApi.Filter(
                  ctx.queryParam("type"),
                  new HashSet<>(ctx.queryParams("rule_name[]")),
                  new HashSet<>(ctx.queryParams("rule_group[]")),
                  new HashSet<>(ctx.queryParams("file[]")),
                  Boolean.parseBoolean(ctx.queryParam("exclude_alerts")))
              .validate();
    } catch (IllegalArgumentException e) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("status", "error");
      error.put("errorType", "bad_data");
      error.put("error", e.getMessage());
      ctx.status(HttpStatus.BAD_REQUEST).json(error);
      return;
    }
    RuleManager m = rules.get();
    ctx.json(
        new StatusRoutes.Success(
            RulesApi.rules(m == null ? java.util.List.of() : m.groups(), filter)));
  }

  private void alerts(Context ctx) {
    RuleManager m = rules.get();
    ctx.json(
        new StatusRoutes.Success(RulesApi.alerts(m == null ? java.util.List.of() : m.groups())));
  }
}
