package dev.nines.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nines.common.gotemplate.TemplateException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
  static final TemplateData DATA =
      new TemplateData(
          Map.of("instance", "host-1.example.com:9100", "job", "node"),
          Map.of("cluster", "eu1"),
          "http://nines:9595",
          1234567.0);

  static final Template.QueryFunc QUERY =
      expr ->
          switch (expr) {
            case "up" ->
                List.of(
                    new TemplateSample(Map.of("__name__", "up", "instance", "b"), 0),
                    new TemplateSample(Map.of("__name__", "up", "instance", "a"), 1));
            case "none" -> List.of();
            default -> throw new Exception("bad query " + expr);
          };

  static String run(String text) throws TemplateException {
    return Template.parse("t", text).execute(DATA, QUERY);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      quoteCharacter = '\'',
      value = {
        "{{ $labels.job }} => node",
        "{{ .Labels.job }} => node",
        "{{ $labels.missing }}x => x",
        "{{ $externalLabels.cluster }} => eu1",
        "{{ .ExternalLabels.cluster }} => eu1",
        "{{ $externalURL }} => http://nines:9595",
        "{{ $value }} => 1.234567e+06",
        "{{ .Value }} => 1.234567e+06",
        "{{ $value | humanize }} => 1.235M",
        "{{ humanize $value }} => 1.235M",
        "{{ printf \"%.2f\" $value }} => 1234567.00",
        "{{ printf \"%s=%d\" \"a\" 3 }} => a=3",
        "{{ printf \"%d\" $value }} => %!d(float64=1.234567e+06)",
        "{{ printf \"%5.1f|\" 3.14159 }} => '  3.1|'",
        "{{ printf \"%q\" \"a\" }} => \"a\"",
        "{{ title \"hello wORLD-foo_bar\" }} => Hello WORLD-Foo_bar",
        "{{ toUpper \"abc\" }} => ABC",
        "{{ toLower \"ABC\" }} => abc",
        "{{ if gt $value 1000.0 }}big{{ else }}small{{ end }} => big",
        "{{ if eq $labels.job \"x\" }}x{{ else if eq $labels.job \"node\" }}n{{ end }} => n",
        "{{ with query \"up\" }}{{ . | first | value }}{{ end }} => 0",
        "{{ query \"up\" | first | label \"instance\" }} => b",
        "{{ range query \"up\" }}{{ .Labels.instance }}={{ .Value }};{{ end }} => b=0;a=1;",
        "{{ range sortByLabel \"instance\" (query \"up\") }}{{ .Labels.instance }}{{ end }} => ab",
        "{{ range query \"none\" }}x{{ else }}empty{{ end }} => empty",
        "{{ range $k, $v := $labels }}{{ $k }}={{ $v }},{{ end }} => instance=host-1.example.com:9100,job=node,",
        "{{ $x := 3 }}{{ $x }} => 3",
        "{{ reReplaceAll \"(.*):.*\" \"$1\" $labels.instance }} => host-1.example.com",
        "{{ match \"^node$\" $labels.job }} => true",
        "{{ $labels.instance | stripPort }} => host-1.example.com",
        "{{ $labels.instance | stripDomain }} => host-1:9100",
        "{{ safeHtml \"<b>\" }} => <b>",
        "{{ len $labels }} => 2",
        "{{ index $labels \"job\" }} => node",
        "{{ \"a\" }}{{ 1 }}{{ 1.5 }}{{ true }} => a11.5true",
        "a {{- \" b \" -}} c => a b c",
        "{{/* comment */}}x => x",
        "{{ and 1 0 }} {{ or 0 2 }} {{ not true }} => 0 2 false",
        "{{ parseDuration \"1m30s\" }} => 90",
      })
  void executes(String template, String expected) throws Exception {
    assertThat(run(template)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "{{ foo }} => template: t:1: function \"foo\" not defined",
        "{{ $nope }} => template: t:1: undefined variable \"$nope\"",
        "x\\n{{ if true }} => template: t:2: unexpected EOF",
        "{{ end }} => template: t:1: unexpected {{end}}",
        "{{ \"a }} => template: t:1: unterminated quoted string",
        "{{ .Labels.x => template: t:1: unclosed action",
      })
  void parseErrors(String template, String message) {
    assertThatThrownBy(() -> Template.parse("t", template.replace("\\n", "\n")))
        .isInstanceOf(TemplateException.class)
        .hasMessage(message);
  }

  @Test
  void executionErrors() {
    assertThatThrownBy(() -> run("{{ query \"none\" | first }}"))
        .hasMessageContaining("first() called on vector with no elements");
    assertThatThrownBy(() -> run("{{ query \"boom\" }}")).hasMessageContaining("bad query boom");
    assertThatThrownBy(() -> run("{{ humanize \"abc\" }}"))
        .hasMessageContaining("strconv.ParseFloat: parsing \"abc\": invalid syntax");
    assertThatThrownBy(() -> run("{{ $value.foo }}"))
        .hasMessageContaining("can't evaluate field foo in type float64");
  }

  @Test
  void constantTemplate() throws Exception {
    assertThat(Template.parse("t", "plain").isConstant()).isTrue();
    assertThat(Template.parse("t", "{{ 1 }}").isConstant()).isFalse();
  }
}
