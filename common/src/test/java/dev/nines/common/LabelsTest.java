package dev.nines.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LabelsTest {

  @Test
  void sortsByNameWhateverTheInputOrder() {
    Labels l = Labels.of("job", "node", "__name__", "up", "instance", "a:9100");
    assertThat(l.name(0)).isEqualTo("__name__");
    assertThat(l.name(1)).isEqualTo("instance");
    assertThat(l.name(2)).isEqualTo("job");
    assertThat(l.metricName()).isEqualTo("up");
    assertThat(l.get("job")).isEqualTo("node");
    assertThat(l.get("absent")).isNull();
    assertThat(l).isEqualTo(Labels.of("__name__", "up", "instance", "a:9100", "job", "node"));
    assertThat(l.hashCode())
        .isEqualTo(Labels.of("__name__", "up", "instance", "a:9100", "job", "node").hashCode());
  }

  @Test
  void emptyValueMeansAbsent() {
    Labels l = Labels.builder().set("a", "1").set("b", "").build();
    assertThat(l.size()).isEqualTo(1);
    assertThat(l.toBuilder().set("a", "").build()).isSameAs(Labels.EMPTY);
  }

  @Test
  void rejectsRepeatedNamesAndOddCounts() {
    assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).hasMessageContaining("\"a\" repeated");
    assertThatThrownBy(() -> Labels.of("a")).hasMessageContaining("odd");
  }

  @Test
  void printsInPrometheusNotationWithEscapes() {
    assertThat(Labels.of("__name__", "up", "path", "C:\\x \"q\"\n").toString())
        .isEqualTo("{__name__=\"up\", path=\"C:\\\\x \\\"q\\\"\\n\"}");
  }

  @Test
  void ordersPairByPairThenByLength() {
    Labels a = Labels.of("a", "1");
    Labels ab = Labels.of("a", "1", "b", "1");
    Labels a2 = Labels.of("a", "2");
    assertThat(a).isLessThan(ab);
    assertThat(ab).isLessThan(a2);
    assertThat(Labels.EMPTY).isLessThan(a);
  }

  @Test
  void builderAgreesWithASortedMapOnRandomEdits() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      java.util.TreeMap<String, String> model = new java.util.TreeMap<>();
      Labels.Builder b = Labels.builder();
      for (int op = 0; op < 30; op++) {
        String name = "l" + random.nextInt(12);
        if (random.nextInt(4) == 0) {
          model.remove(name);
          b.delete(name);
        } else {
          String value = Integer.toString(random.nextInt(3));
          model.put(name, value);
          b.set(name, value);
        }
      }
      Labels built = b.build();
      List<String> flat = new ArrayList<>();
      built.forEach(
          (n, v) -> {
            flat.add(n);
            flat.add(v);
          });
      List<String> expected = new ArrayList<>();
      model.forEach(
          (n, v) -> {
            expected.add(n);
            expected.add(v);
          });
      assertThat(flat).isEqualTo(expected);
    }
  }

  @Test
  void hash64IsStableAndSeparatesNameValueBoundaries() {
    assertThat(Labels.of("ab", "c").hash64()).isNotEqualTo(Labels.of("a", "bc").hash64());
    assertThat(Labels.of("a", "1").hash64()).isEqualTo(Labels.of("a", "1").hash64());
  }
}
