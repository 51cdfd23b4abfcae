package dev.nines.ingest.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.Labels;
import dev.nines.ingest.relabel.RelabelConfig.Action;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of relabelling cases for every action, written from Prometheus's configuration docs. */
class RelabelerTest {

  private static final Labels INPUT =
      Labels.of("__address__", "host-a:9100", "a", "foo", "b", "bar", "__meta_x_y", "v1");

  private static RelabelConfig.Builder rc(Action action) {
    return RelabelConfig.builder().action(action);
  }

  private static Arguments row(String name, Labels in, @Nullable Labels out, RelabelConfig... cs) {
    return Arguments.of(name, in, out, List.of(cs));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        row(
            "replace with defaults copies the source value",
            INPUT,
            INPUT.toBuilder().set("c", "foo").build(),
            rc(Action.REPLACE).sourceLabels("a").targetLabel("c").build()),
        row(
            "replace joins sources with the separator and expands groups",
            INPUT,
            INPUT.toBuilder().set("c", "bar-foo").build(),
            rc(Action.REPLACE)
                .sourceLabels("a", "b")
                .separator("|")
                .regex("(f.o)\\|(b..)")
                .replacement("$2-${1}")
                .targetLabel("c")
                .build()),
        row(
            "replace without a match changes nothing",
            INPUT,
            INPUT,
            rc(Action.REPLACE).sourceLabels("a").regex("x.*").targetLabel("c").build()),
        row(
            "replace regex is fully anchored",
            INPUT,
            INPUT,
            rc(Action.REPLACE).sourceLabels("a").regex("o+").targetLabel("c").build()),
        row(
            "replace expanding to empty deletes the target",
            INPUT,
            Labels.of("__address__", "host-a:9100", "b", "bar", "__meta_x_y", "v1"),
            rc(Action.REPLACE)
                .sourceLabels("b")
                .regex("bar")
                .replacement("")
                .targetLabel("a")
                .build()),
        row(
            "replace target label from a group",
            INPUT,
            INPUT.toBuilder().set("foo_label", "bar").build(),
            rc(Action.REPLACE)
                .sourceLabels("a", "b")
                .regex("(.*);(.*)")
                .targetLabel("${1}_label")
                .replacement("$2")
                .build()),
        row(
            "replace with an invalid expanded target leaves labels unchanged",
            Labels.of("a", "1bad"),
            Labels.of("a", "1bad"),
            rc(Action.REPLACE).sourceLabels("a").regex("(.*)").targetLabel("$1").build()),
        row(
            "$1x is the named group 1x, which is empty",
            INPUT,
            INPUT.toBuilder().set("c", "-").build(),
            rc(Action.REPLACE).sourceLabels("a").targetLabel("c").replacement("$1x-").build()),
        row(
            "named groups and $$",
            INPUT,
            INPUT.toBuilder().set("c", "$foo").build(),
            rc(Action.REPLACE)
                .sourceLabels("a")
                .regex("(?P<word>.*)")
                .targetLabel("c")
                .replacement("$$$word")
                .build()),
        row(
            "replace without sources sets a constant",
            INPUT,
            INPUT.toBuilder().set("env", "prod").build(),
            rc(Action.REPLACE).targetLabel("env").replacement("prod").build()),
        row(
            "regex matches across newlines (DOTALL)",
            Labels.of("a", "x\ny"),
            Labels.of("a", "x\ny", "c", "x\ny"),
            rc(Action.REPLACE)
                .sourceLabels("a")
                .regex("x.y")
                .replacement("$0")
                .targetLabel("c")
                .build()),
        row("keep on match", INPUT, INPUT, rc(Action.KEEP).sourceLabels("a").regex("fo+").build()),
        row(
            "keep drops on mismatch",
            INPUT,
            null,
            rc(Action.KEEP).sourceLabels("a").regex("x").build()),
        row(
            "keep of a missing label matches empty",
            INPUT,
            INPUT,
            rc(Action.KEEP).sourceLabels("zz").regex("").build()),
        row("drop on match", INPUT, null, rc(Action.DROP).sourceLabels("b").regex("ba.").build()),
        row(
            "drop keeps on mismatch",
            INPUT,
            INPUT,
            rc(Action.DROP).sourceLabels("b").regex("ba").build()),
        row(
            "keepequal keeps when equal",
            Labels.of("a", "1", "b", "1"),
            Labels.of("a", "1", "b", "1"),
            rc(Action.KEEPEQUAL).sourceLabels("a").targetLabel("b").build()),
        row(
            "keepequal drops when different",
            Labels.of("a", "1", "b", "2"),
            null,
            rc(Action.KEEPEQUAL).sourceLabels("a").targetLabel("b").build()),
        row(
            "dropequal drops when equal",
            Labels.of("a", "1", "b", "1"),
            null,
            rc(Action.DROPEQUAL).sourceLabels("a").targetLabel("b").build()),
        row(
            "dropequal keeps when different",
            Labels.of("a", "1", "b", "2"),
            Labels.of("a", "1", "b", "2"),
            rc(Action.DROPEQUAL).sourceLabels("a").targetLabel("b").build()),
        row(
            "hashmod",
            Labels.of("a", "foo"),
            Labels.of(
                "a",
                "foo",
                "h",
                Long.toUnsignedString(Long.remainderUnsigned(Relabeler.hashValue("foo"), 1000))),
            rc(Action.HASHMOD).sourceLabels("a").modulus(1000).targetLabel("h").build()),
        row(
            "labelmap copies matching labels under the new name",
            INPUT,
            INPUT.toBuilder().set("x_y", "v1").build(),
            rc(Action.LABELMAP).regex("__meta_(.+)").build()),
        row(
            "labelmap with a replacement template",
            Labels.of("__meta_k", "v"),
            Labels.of("__meta_k", "v", "meta_k_copy", "v"),
            rc(Action.LABELMAP).regex("__(meta_.+)").replacement("${1}_copy").build()),
        row(
            "labeldrop",
            INPUT,
            Labels.of("__address__", "host-a:9100", "__meta_x_y", "v1"),
            rc(Action.LABELDROP).regex("a|b").build()),
        row(
            "labelkeep",
            INPUT,
            Labels.of("a", "foo", "b", "bar"),
            rc(Action.LABELKEEP).regex("a|b").build()),
        row(
            "labelkeep of nothing drops the whole set",
            INPUT,
            null,
            rc(Action.LABELKEEP).regex("zz").build()),
        row(
            "lowercase",
            Labels.of("a", "FoO"),
            Labels.of("a", "FoO", "l", "foo"),
            rc(Action.LOWERCASE).sourceLabels("a").targetLabel("l").build()),
        row(
            "uppercase",
            Labels.of("a", "FoO"),
            Labels.of("a", "FOO"),
            rc(Action.UPPERCASE).sourceLabels("a").targetLabel("a").build()),
        row(
            "steps run in order",
            Labels.of("a", "1"),
            Labels.of("b", "1"),
            rc(Action.REPLACE).sourceLabels("a").targetLabel("b").build(),
            rc(Action.LABELDROP).regex("a").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void relabels(String name, Labels in, @Nullable Labels out, List<RelabelConfig> configs) {
    assertThat(Relabeler.process(in, configs)).isEqualTo(out);
  }

  @Test
  void hashmodUsesTheLastEightBytesOfMd5BigEndian() {
    // md5("foo") = acbd18db4cc2f85cedef654fccc4a4d8; last 8 bytes = edef654fccc4a4d8.
    assertThat(Relabeler.hashValue("foo")).isEqualTo(0xedef654fccc4a4d8L);
    assertThat(Long.remainderUnsigned(0xedef654fccc4a4d8L, 10)).isEqualTo(6);
    Labels out =
        Relabeler.process(
            Labels.of("a", "foo"),
            List.of(rc(Action.HASHMOD).sourceLabels("a").modulus(10).targetLabel("h").build()));
    assertThat(out.get("h")).isEqualTo("6");
  }

  @Test
  void validationNamesTheField() {
    assertThatThrownBy(() -> rc(Action.HASHMOD).sourceLabels("a").targetLabel("h").build())
        .isInstanceOf(RelabelException.class)
        .hasMessageStartingWith("modulus:");
    assertThatThrownBy(() -> rc(Action.REPLACE).sourceLabels("a").build())
        .hasMessageStartingWith("target_label:");
    assertThatThrownBy(() -> rc(Action.LABELMAP).replacement("bad-name").build())
        .hasMessageStartingWith("replacement:");
    assertThatThrownBy(() -> rc(Action.LABELDROP).sourceLabels("a").build())
        .hasMessageStartingWith("source_labels:");
    assertThatThrownBy(() -> rc(Action.LOWERCASE).targetLabel("x").replacement("y").build())
        .hasMessageStartingWith("replacement:");
    assertThatThrownBy(
            () -> rc(Action.KEEPEQUAL).sourceLabels("a").targetLabel("b").regex("x").build())
        .hasMessageStartingWith("regex:");
    assertThatThrownBy(() -> rc(Action.KEEP).regex("(").build()).hasMessageStartingWith("regex:");
    assertThatThrownBy(() -> rc(Action.KEEP).sourceLabels("1a").build())
        .hasMessageStartingWith("source_labels:");
    assertThatThrownBy(() -> Action.parse("nope")).hasMessageStartingWith("action:");
    assertThat(Action.parse("LabelMap")).isEqualTo(Action.LABELMAP);
  }
}
