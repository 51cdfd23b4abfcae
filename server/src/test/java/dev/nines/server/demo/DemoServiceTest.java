package dev.nines.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DemoServiceTest {
  static final class MovableClock extends Clock {
    final AtomicReference<Instant> now =
        new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void servesRequestCountersAndBurstsOnSchedule() throws Exception {
    MovableClock clock = new MovableClock();
    DemoService.Profile profile =
        new DemoService.Profile(50, 0.0, Duration.ofMinutes(2), Duration.ofMinutes(10), 1.0);
    try (DemoService s = DemoService.start(profile, clock)) {
      Instant t0 = clock.instant();
      assertThat(s.errorRatioAt(t0.plusSeconds(119))).isZero();
      assertThat(s.errorRatioAt(t0.plusSeconds(120))).isEqualTo(1.0);
      assertThat(s.errorRatioAt(t0.plusSeconds(720))).isZero();

      clock.now.set(t0.plusSeconds(300)); // in the burst: every request fails
      s.tick();
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + s.target() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains("# TYPE demo_http_requests_total counter")
          .contains(
              "demo_http_requests_total{code=\"500\",route=\"/api/pay\",service=\"checkout\"}")
          .contains("demo_http_request_duration_seconds_bucket{");
      // All of this tick's requests failed, so the 500 counters are positive.
      assertThat(body)
          .containsPattern("code=\"500\",route=\"/api/cart\",service=\"checkout\"} [1-9]");
    }
  }
}
