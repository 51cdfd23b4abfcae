package dev.nines.notify.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.notify.Integration;
import dev.nines.notify.Notification;
import dev.nines.notify.SendResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendLimiterTest {
  record Fake(String name, int index) implements Integration {
    @Override
    public boolean sendResolved() {
      return true;
    }

    @Override
    public SendResult send(Notification n) {
      return SendResult.success();
    }
  }

  final NotifyStats stats = new NotifyStats();
  final SendLimiter limiter = new SendLimiter(2, stats);
  final NotifyStats.AttemptKey key = new NotifyStats.AttemptKey("webhook", "team");

  @Test
  void givesAtMostTheLimitPerIntegrationAndCountsWhatWaits() throws Exception {
    Integration hook = new Fake("webhook", 0);
    SendLimiter.Slot a = limiter.acquire("team", hook, Duration.ZERO);
    SendLimiter.Slot b = limiter.acquire("team", hook, Duration.ZERO);
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    assertThat(stats.sendsInFlight()).containsEntry(key, 2L);
    // Full: a third send waits, here not at all, and gets nothing.
    assertThat(limiter.acquire("team", hook, Duration.ZERO)).isNull();
    assertThat(stats.sendsWaitedTotal()).containsEntry(key, 1L);
    assertThat(stats.sendsWaiting()).containsEntry(key, 0L);
    // Another integration of the same receiver, or another receiver, has its own slots.
    SendLimiter.Slot other = limiter.acquire("team", new Fake("webhook", 1), Duration.ZERO);
    SendLimiter.Slot elsewhere = limiter.acquire("ops", hook, Duration.ZERO);
    assertThat(other).isNotNull();
    assertThat(elsewhere).isNotNull();
    a.close();
    SendLimiter.Slot c = limiter.acquire("team", hook, Duration.ZERO);
    assertThat(c).isNotNull();
    b.close();
    c.close();
    other.close();
    elsewhere.close();
    assertThat(stats.sendsInFlight()).containsEntry(key, 0L);
  }

  @Test
  void aWaitingSendGetsTheSlotThatIsGivenBack() throws Exception {
    Integration hook = new Fake("webhook", 0);
    SendLimiter.Slot a = limiter.acquire("team", hook, Duration.ZERO);
    SendLimiter.Slot b = limiter.acquire("team", hook, Duration.ZERO);
    SendLimiter.Slot[] got = new SendLimiter.Slot[1];
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    got[0] = limiter.acquire("team", hook, Duration.ofMinutes(1));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    org.awaitility.Awaitility.await()
        .untilAsserted(() -> assertThat(stats.sendsWaiting()).containsEntry(key, 1L));
    a.close();
    waiter.join();
    assertThat(got[0]).isNotNull();
    assertThat(stats.sendsWaiting()).containsEntry(key, 0L);
    assertThat(stats.sendsInFlight()).containsEntry(key, 2L);
    got[0].close();
    b.close();
  }

  @Test
  void refusesALimitBelowOne() {
    assertThatThrownBy(() -> new SendLimiter(0, stats))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
