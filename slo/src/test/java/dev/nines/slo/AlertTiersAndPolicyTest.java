package dev.nines.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertTiersAndPolicyTest {

  @Test
  void thirtyDaysKeepsTheWorkbookWindows() {
    assertThat(AlertTiers.DEFAULTS.scaledTo(Duration.ofDays(30))).isSameAs(AlertTiers.DEFAULTS);
    assertThat(AlertTiers.DEFAULTS.windows())
        .containsExactly(
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(6),
            Duration.ofDays(1),
            Duration.ofDays(3));
  }

  @Test
  void windowsScaleWithTheSloWindowAndFactorsStay() {
    AlertTiers week = AlertTiers.DEFAULTS.scaledTo(Duration.ofDays(7));
    assertThat(week.page().get(0))
        .isEqualTo(
            new AlertTiers.BurnRateWindow(14.4, Duration.ofMinutes(14), Duration.ofMinutes(1)));
    assertThat(week.ticket().get(1))
        .isEqualTo(
            new AlertTiers.BurnRateWindow(1, Duration.ofMinutes(1008), Duration.ofMinutes(84)));
    AlertTiers quarter = AlertTiers.DEFAULTS.scaledTo(Duration.ofDays(90));
    assertThat(quarter.page().get(0).longWindow()).isEqualTo(Duration.ofHours(3));
    assertThat(quarter.page().get(0).shortWindow()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void policyActionsByBudgetRemaining() {
    BudgetPolicy p = BudgetPolicy.DEFAULT;
    assertThat(p.actionsAt(0.3)).isEmpty();
    assertThat(p.actionsAt(0.25)).containsExactly(BudgetPolicy.Action.NOTIFY);
    assertThat(p.actionsAt(0.1)).containsExactly(BudgetPolicy.Action.NOTIFY);
    assertThat(p.actionsAt(0))
        .isEqualTo(Set.of(BudgetPolicy.Action.NOTIFY, BudgetPolicy.Action.FREEZE));
    assertThat(p.actionsAt(-0.5)).contains(BudgetPolicy.Action.FREEZE);
    assertThat(BudgetPolicy.parse("0%:freeze, 25%:notify")).isEqualTo(p);
    assertThatThrownBy(() -> BudgetPolicy.parse("25%:panic"))
        .hasMessage("\"panic\" is not an action; known actions: freeze, notify");
    assertThatThrownBy(() -> BudgetPolicy.parse("120%:notify"))
        .hasMessageContaining("percentage must be in [0, 100]");
  }
}
