package dev.nines.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value records check their fields and encode as the schema expects. */
class ValuesTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00.123456Z");

  @Test
  void silenceNeedsMatchersAndAnOrderedInterval() {
    List<Matcher> one = List.of(new Matcher("a", "b", Matcher.Type.EQUAL));
    assertThatThrownBy(() -> new Silence("id", List.of(), T, T, "me", "", T))
        .hasMessageContaining("silence matchers");
    assertThatThrownBy(() -> new Silence("id", one, T, T.minusSeconds(1), "me", "", T))
        .hasMessageStartingWith("silence endsAt");
    assertThatThrownBy(() -> new Silence(" ", one, T, T, "me", "", T))
        .hasMessageStartingWith("silence id");
    assertThatThrownBy(() -> new Matcher("", "x", Matcher.Type.REGEX))
        .hasMessageStartingWith("matcher name");
    Silence s = new Silence("id", one, T, T.plusSeconds(1), "me", "", T);
    assertThat(s.startsAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00.123Z"));
    assertThat(Silence.newId()).hasSize(36);
  }

  @Test
  void alertStateSortsAndCopiesLabels() {
    Map<String, String> labels = new HashMap<>(Map.of("b", "2", "a", "1"));
    AlertStateEntry e =
        new AlertStateEntry(
            "g", 1, AlertStateEntry.State.PENDING, T, null, Double.NaN, labels, Map.of(), T);
    labels.put("c", "3");
    assertThat(e.labels().keySet()).containsExactly("a", "b");
    assertThat(e)
        .isEqualTo(
            new AlertStateEntry(
                "g",
                1,
                AlertStateEntry.State.PENDING,
                T,
                null,
                Double.NaN,
                Map.of("a", "1", "b", "2"),
                Map.of(),
                T));
  }

  @Test
  void fingerprintsEncodeAsSortedUnsignedDecimals() {
    assertThat(Codecs.fingerprintsToText(Set.of(-1L, 0L, 10L, 2L)))
        .isEqualTo("0,2,10,18446744073709551615");
    assertThat(Codecs.fingerprintsFromText("0,2,10,18446744073709551615", "c"))
        .containsExactlyInAnyOrder(-1L, 0L, 10L, 2L);
    assertThat(Codecs.fingerprintsToText(Set.of())).isEmpty();
    assertThat(Codecs.fingerprintsFromText("", "c")).isEmpty();
    assertThatThrownBy(() -> Codecs.fingerprintsFromText("1,x", "notification_log.firing"))
        .hasMessageStartingWith("notification_log.firing: ");
  }

  @Test
  void historyIdsAreTimeOrderedUuids() {
    long before = System.currentTimeMillis();
    String id = AlertHistoryEvent.newId();
    long after = System.currentTimeMillis();
    java.util.UUID u = java.util.UUID.fromString(id);
    assertThat(id).hasSize(36);
    assertThat(u.version()).isEqualTo(7);
    assertThat(u.variant()).isEqualTo(2);
    // The first 48 bits are the Unix time in milliseconds, so ids sort by creation time.
    assertThat(u.getMostSignificantBits() >>> 16).isBetween(before, after);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(AlertHistoryEvent.newId());
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void labelsEncodeAsJsonObjects() {
    String json = Codecs.labelsToJson(Map.of("b", "x\"y", "a", "é\n"));
    assertThat(json).isEqualTo("{\"a\":\"é\\n\",\"b\":\"x\\\"y\"}");
    String controls = Codecs.labelsToJson(Map.of("k", "\\\t\u0001\u001f/\u2028"));
    assertThat(controls).isEqualTo("{\"k\":\"\\\\\\t\\u0001\\u001F/\u2028\"}");
    assertThat(Codecs.labelsFromJson(controls, "c")).containsEntry("k", "\\\t\u0001\u001f/\u2028");
    assertThat(Codecs.labelsToJson(Map.of())).isEqualTo("{}");
    assertThat(Codecs.labelsFromJson(json, "c")).isEqualTo(Map.of("b", "x\"y", "a", "é\n"));
    assertThatThrownBy(() -> Codecs.labelsFromJson("[1]", "alert_state.labels"))
        .hasMessageStartingWith("alert_state.labels: ");
  }
}
