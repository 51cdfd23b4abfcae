package dev.nines.common.gotemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class GoTemplateTest {

  /** A data object with a field and a method that takes an argument. */
  record Box(String name, List<String> items) implements GoObject {
    @Override
    public @Nullable Object field(String f, List<@Nullable Object> args) {
      return switch (f) {
        case "Name" -> name;
        case "Items" -> items;
        case "Has" -> args.size() == 1 && items.contains(args.get(0));
        default -> NO_SUCH_FIELD;
      };
    }

    @Override
    public String goTypeName() {
      return "test.Box";
    }
  }

  private static String run(String text, Object dot) throws TemplateException {
    return GoTemplate.parse("t", text, FunctionTable.builtins(), Set.of())
        .execute(dot, Map.of(), null);
  }

  @Test
  void fieldsMethodsAndBuiltins() throws Exception {
    Box b = new Box("box", List.of("a", "b"));
    assertThat(run("{{ .Name | toUpper }} {{ len .Items }} {{ index .Items 1 }}", b))
        .isEqualTo("BOX 2 b");
    assertThat(run("{{ if .Has \"a\" }}yes{{ end }}{{ if not (.Has \"z\") }} no{{ end }}", b))
        .isEqualTo("yes no");
    assertThat(run("{{ range $i, $v := .Items }}{{ $i }}={{ $v }};{{ end }}", b))
        .isEqualTo("0=a;1=b;");
    assertThat(run("{{ printf \"%s-%d\" .Name 3 }} {{ eq .Name \"x\" \"box\" }}", b))
        .isEqualTo("box-3 true");
    assertThat(run("{{ .m.missing }}|{{ .m.k }}", Map.of("m", Map.of("k", "v")))).isEqualTo("|v");
    assertThatThrownBy(() -> run("{{ .Nope }}", b))
        .hasMessage("template: t:1: can't evaluate field Nope in type test.Box");
  }

  @Test
  void defineTemplateAndBlock() throws Exception {
    TemplateSet set =
        TemplateSet.of(FunctionTable.builtins(), Set.of())
            .add("a.tmpl", "{{ define \"greet\" }}hello {{ . }}{{ end }}ignored")
            .add(
                "b.tmpl",
                "{{ define \"twice\" }}{{ template \"greet\" . }}, {{ template \"greet\" . }}{{ end }}");
    assertThat(
            set.parse("x", "{{ template \"twice\" .Name }}!")
                .execute(Map.of("Name", "bob"), Map.of(), null))
        .isEqualTo("hello bob, hello bob!");
    assertThat(
            set.parse("y", "[{{ block \"b\" . }}default {{ . }}{{ end }}]")
                .execute("z", Map.of(), null))
        .isEqualTo("[default z]");
    // A later definition replaces an earlier one.
    TemplateSet over = set.add("c.tmpl", "{{ define \"greet\" }}hi {{ . }}{{ end }}");
    assertThat(over.parse("x", "{{ template \"twice\" \"al\" }}").execute(null, Map.of(), null))
        .isEqualTo("hi al, hi al");
    assertThatThrownBy(
            () -> set.parse("x", "{{ template \"nope\" }}").execute(null, Map.of(), null))
        .hasMessage("template: x:1: no such template \"nope\"");
    assertThatThrownBy(() -> set.parse("x", "{{ if 1 }}{{ define \"a\" }}{{ end }}{{ end }}"))
        .hasMessage("template: x:1: unexpected <define> in command");
  }

  @Test
  void unknownFunctionsFailAtParse() {
    assertThatThrownBy(() -> run("{{ nope 1 }}", ""))
        .hasMessage("template: t:1: function \"nope\" not defined");
  }
}
