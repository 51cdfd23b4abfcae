package dev.nines.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelMatcherTest {

  /** Regex, value, whether {@code =~} matches: fast paths and the RE2 engine agree. */
  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "foo;foo;true",
        "foo;foox;false",
        "foo;xfoo;false",
        ".*;'';true",
        ".*;anything;true",
        ".+;'';false",
        ".+;x;true",
        "foo.*;foobar;true",
        "foo.*;foo;true",
        "foo.*;xfoo;false",
        ".*bar;foobar;true",
        ".*bar;barx;false",
        ".*oo.*;foo;true",
        ".*oo.*;fo;false",
        "a|b|c;b;true",
        "a|b|c;d;false",
        "a|b|;'';true",
        "b.r;bar;true",
        "b.r;bxrx;false",
        "(?i)FOO;foo;true",
        "[0-9]+;123;true",
        "[0-9]+;12a;false",
        "a(b|c);ac;true",
        "foo;FOO;false",
      })
  void regexIsFullyAnchored(String regex, String value, boolean expected) {
    assertThat(LabelMatcher.of(LabelMatcher.Type.REGEX, "l", regex).matches(value))
        .isEqualTo(expected);
    assertThat(LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "l", regex).matches(value))
        .isEqualTo(!expected);
  }

  @ParameterizedTest
  @CsvSource({"a.b, a~b", ".*, line1~line2", "x.*, x~y", ".+, ~", "(?:a.)+, a~a~"})
  void dotMatchesNewlines(String regex, String value) {
    assertThat(
            LabelMatcher.of(LabelMatcher.Type.REGEX, "l", regex).matches(value.replace('~', '\n')))
        .isTrue();
  }

  @ParameterizedTest
  @CsvSource({"a, a, true", "a, b, false", "'', '', true"})
  void equalityMatchers(String value, String label, boolean expected) {
    assertThat(LabelMatcher.of(LabelMatcher.Type.EQUAL, "l", value).matches(label))
        .isEqualTo(expected);
    assertThat(LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "l", value).matches(label))
        .isEqualTo(!expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"(", "[a-", "*", "a)(b", "a)"})
  void badRegexIsRejected(String regex) {
    assertThatThrownBy(() -> LabelMatcher.of(LabelMatcher.Type.REGEX, "l", regex))
        .isInstanceOf(PatternSyntaxException.class)
        .hasMessageStartingWith("error parsing regexp: ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"job|api|job=\"api\"", "my.label|x|\"my.label\"=\"x\"", "a|\"q\"|a=\"\\\"q\\\"\""})
  void printsAsPromql(String name, String value, String expected) {
    assertThat(LabelMatcher.of(LabelMatcher.Type.EQUAL, name, value).toString())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"a|b", "a.*|a.*"})
  void equalityIgnoresTheCompiledForm(String v1, String v2) {
    assertThat(LabelMatcher.of(LabelMatcher.Type.REGEX, "l", v1))
        .isEqualTo(LabelMatcher.of(LabelMatcher.Type.REGEX, "l", v1))
        .hasSameHashCodeAs(LabelMatcher.of(LabelMatcher.Type.REGEX, "l", v1));
    assertThat(
            LabelMatcher.of(LabelMatcher.Type.REGEX, "l", v1)
                .equals(LabelMatcher.of(LabelMatcher.Type.REGEX, "l", v2)))
        .isEqualTo(v1.equals(v2));
  }

  @org.junit.jupiter.api.Test
  void repeatedAlternativesDoNotBreakTheAlternationFastPath() {
    LabelMatcher m = LabelMatcher.of(LabelMatcher.Type.REGEX, "a", "x|x|y");
    org.assertj.core.api.Assertions.assertThat(m.matches("x")).isTrue();
    org.assertj.core.api.Assertions.assertThat(m.matches("y")).isTrue();
    org.assertj.core.api.Assertions.assertThat(m.matches("z")).isFalse();
  }
}
