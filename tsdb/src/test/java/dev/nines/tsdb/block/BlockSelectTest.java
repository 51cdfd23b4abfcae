package dev.nines.tsdb.block;

import static dev.nines.tsdb.block.BlockFixtures.matchesAll;
import static dev.nines.tsdb.block.BlockFixtures.selectAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.block.BlockFixtures.Data;
import dev.nines.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matchers select series with Prometheus's semantics; label names and values follow matchers. */
class BlockSelectTest {
  private static final LabelMatcher.Type[] TYPES = {
    LabelMatcher.Type.EQUAL,
    LabelMatcher.Type.NOT_EQUAL,
    LabelMatcher.Type.REGEX,
    LabelMatcher.Type.NOT_REGEX
  };

  @TempDir static Path dir;
  static Data data;
  static Block block;
  static Querier querier;

  @BeforeAll
  static void writeBlock() throws IOException {
    data = BlockFixtures.random(11, 300, 2);
    BlockMeta meta = BlockWriter.write(dir, data.series, BlockWriter.Options.defaults());
    block = Block.open(dir.resolve(meta.ulid()));
    querier = block.querier(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  @AfterAll
  static void closeBlock() {
    querier.close();
    block.close();
  }

  private static LabelMatcher m(LabelMatcher.Type type, String name, String value) {
    return LabelMatcher.of(type, name, value);
  }

  private static List<Labels> expected(List<LabelMatcher> matchers) {
    return data.samples.keySet().stream().filter(l -> matchesAll(l, matchers)).sorted().toList();
  }

  private static void check(LabelMatcher... matchers) {
    List<Labels> got = new ArrayList<>(selectAll(querier, matchers).keySet());
    assertThat(got).as("select %s", List.of(matchers)).isEqualTo(expected(List.of(matchers)));
  }

  @Test
  void equalityAndInequality() {
    check(m(LabelMatcher.Type.EQUAL, "job", "api"));
    check(m(LabelMatcher.Type.EQUAL, "job", "api"), m(LabelMatcher.Type.EQUAL, "__name__", "up"));
    check(m(LabelMatcher.Type.NOT_EQUAL, "job", "api"));
    check(m(LabelMatcher.Type.EQUAL, "job", "nope"));
    check(m(LabelMatcher.Type.EQUAL, "nolabel", "x"));
    check(m(LabelMatcher.Type.NOT_EQUAL, "nolabel", "x"));
  }

  @Test
  void emptyValueMatchesSeriesWithoutTheLabel() {
    check(m(LabelMatcher.Type.EQUAL, "env", ""));
    check(m(LabelMatcher.Type.NOT_EQUAL, "env", ""));
    check(m(LabelMatcher.Type.EQUAL, "env", ""), m(LabelMatcher.Type.EQUAL, "job", "db"));
    check(m(LabelMatcher.Type.REGEX, "env", "prod|"));
    check(
        m(LabelMatcher.Type.REGEX, "env", "|staging"), m(LabelMatcher.Type.NOT_EQUAL, "path", ""));
    check(m(LabelMatcher.Type.NOT_REGEX, "env", "prod|"));
    check(m(LabelMatcher.Type.NOT_REGEX, "env", ".+"));
    check(m(LabelMatcher.Type.REGEX, "env", ".*"));
    check(m(LabelMatcher.Type.REGEX, "nolabel", ".*"));
    check(m(LabelMatcher.Type.REGEX, "nolabel", ".+"));
  }

  @Test
  void regexesAreAnchoredWithFastPaths() {
    check(m(LabelMatcher.Type.REGEX, "job", "api"));
    check(m(LabelMatcher.Type.REGEX, "job", "api.*"));
    check(m(LabelMatcher.Type.REGEX, "job", "ap"));
    check(m(LabelMatcher.Type.REGEX, "job", "api|db|missing"));
    check(m(LabelMatcher.Type.NOT_REGEX, "job", "api|db"));
    check(m(LabelMatcher.Type.NOT_REGEX, "job", "api.*"));
    check(m(LabelMatcher.Type.REGEX, "instance", "host-1.*:9100"));
    check(m(LabelMatcher.Type.REGEX, "instance", ".*-3:.*"));
    check(m(LabelMatcher.Type.REGEX, "path", "/v[12]/item\u00e9/.*"));
    check(m(LabelMatcher.Type.REGEX, "__name__", "(?i)UP"));
    check(
        m(LabelMatcher.Type.REGEX, "__name__", "node_.+"),
        m(LabelMatcher.Type.NOT_REGEX, "instance", "host-[0-9]:9100"));
  }

  @Test
  void randomMatcherCombinationsAgreeWithTheOracle() {
    SplittableRandom r = new SplittableRandom(99);
    String[] names = {"job", "env", "instance", "__name__", "path", "absent"};
    String[] values = {
      "", "api", "prod", "host-1:9100", "up", ".*", ".+", "api|web", "host-1.*", "x", "db|"
    };
    for (int round = 0; round < 200; round++) {
      int n = 1 + r.nextInt(3);
      LabelMatcher[] ms = new LabelMatcher[n];
      for (int i = 0; i < n; i++) {
        ms[i] =
            m(
                TYPES[r.nextInt(TYPES.length)],
                names[r.nextInt(names.length)],
                values[r.nextInt(values.length)]);
      }
      check(ms);
    }
  }

  @Test
  void labelNamesAndValuesFollowMatchers() {
    TreeSet<String> allNames = new TreeSet<>();
    TreeSet<String> jobs = new TreeSet<>();
    for (Labels l : data.samples.keySet()) {
      l.forEach((n, v) -> allNames.add(n));
      jobs.add(l.get("job"));
    }
    assertThat(querier.labelNames(List.of())).containsExactlyElementsOf(allNames);
    assertThat(querier.labelValues("job", List.of())).containsExactlyElementsOf(jobs);
    assertThat(querier.labelValues("absent", List.of())).isEmpty();

    List<List<LabelMatcher>> cases =
        List.of(
            List.of(m(LabelMatcher.Type.EQUAL, "job", "db")),
            List.of(m(LabelMatcher.Type.EQUAL, "env", "")),
            List.of(
                m(LabelMatcher.Type.REGEX, "path", ".+"),
                m(LabelMatcher.Type.NOT_EQUAL, "job", "api")),
            List.of(m(LabelMatcher.Type.EQUAL, "job", "missing")));
    for (List<LabelMatcher> ms : cases) {
      TreeSet<String> names = new TreeSet<>();
      TreeSet<String> envs = new TreeSet<>();
      for (Labels l : expected(ms)) {
        l.forEach((n, v) -> names.add(n));
        if (l.get("env") != null) {
          envs.add(l.get("env"));
        }
      }
      assertThat(querier.labelNames(ms)).as("names for %s", ms).containsExactlyElementsOf(names);
      assertThat(querier.labelValues("env", ms))
          .as("env values for %s", ms)
          .containsExactlyElementsOf(envs);
    }
  }
}
