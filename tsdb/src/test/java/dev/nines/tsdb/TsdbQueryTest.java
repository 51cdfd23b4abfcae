package dev.nines.tsdb;

import static dev.nines.tsdb.TsdbFixtures.eq;
import static dev.nines.tsdb.TsdbFixtures.fast;
import static dev.nines.tsdb.TsdbFixtures.neq;
import static dev.nines.tsdb.TsdbFixtures.nre;
import static dev.nines.tsdb.TsdbFixtures.re;
import static dev.nines.tsdb.TsdbFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.LabelMatcher;
import dev.nines.common.Labels;
import dev.nines.tsdb.storage.Appender;
import dev.nines.tsdb.storage.Querier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Selection by matchers with Prometheus semantics, sorting, label names and values. */
class TsdbQueryTest {
  static final Labels A = Labels.of("__name__", "http_requests", "job", "api", "code", "200");
  static final Labels B = Labels.of("__name__", "http_requests", "job", "api", "code", "500");
  static final Labels C = Labels.of("__name__", "http_requests", "job", "web");
  static final Labels D = Labels.of("__name__", "up", "job", "api", "env", "prod");
  static final Labels E = Labels.of("__name__", "up", "job", "web", "env", "");
  static final Labels OLD = Labels.of("__name__", "up", "job", "old");

  @TempDir Path dir;
  Tsdb db;
  Querier q;

  @BeforeEach
  void fill() throws Exception {
    db = Tsdb.open(dir, fast());
    Appender app = db.appender();
    // Created in an order different from label order, so that sorting is visible.
    for (Labels l : List.of(E, C, D, B, A)) {
      app.append(0, l, 10_000, 1);
      app.append(0, l, 20_000, 2);
    }
    app.append(0, OLD, 1_000, 1);
    app.commit();
    q = db.querier(5_000, 30_000);
  }

  @AfterEach
  void close() throws IOException {
    q.close();
    db.close();
  }

  private List<Labels> select(LabelMatcher... matchers) {
    return new ArrayList<>(read(q, true, matchers).keySet());
  }

  @Test
  void equalityAndIntersection() {
    assertThat(select(eq("__name__", "http_requests"))).containsExactly(A, B, C);
    assertThat(select(eq("__name__", "http_requests"), eq("job", "api"))).containsExactly(A, B);
    assertThat(select(eq("job", "api"), eq("code", "500"))).containsExactly(B);
    assertThat(select(eq("job", "nope"))).isEmpty();
    assertThat(select(eq("__name__", "up"), eq("code", "200"))).isEmpty();
  }

  @Test
  void emptyValueMatchersAlsoSelectSeriesWithoutTheLabel() {
    // code="" : series without a code label (E's env="" was dropped at creation).
    assertThat(select(eq("__name__", "http_requests"), eq("code", ""))).containsExactly(C);
    assertThat(select(eq("env", ""))).containsExactly(A, B, C, E);
    // code!="" : only series that have the label.
    assertThat(select(neq("code", ""))).containsExactly(A, B);
    // code!="200" includes series without code.
    assertThat(select(eq("job", "api"), neq("code", "200"))).containsExactly(B, D);
    // =~ that matches the empty string includes series without the label.
    assertThat(select(eq("__name__", "http_requests"), re("code", "5..|"))).containsExactly(B, C);
    // !~ that does not match "" excludes series without the label... and keeps those with.
    assertThat(select(eq("__name__", "http_requests"), nre("code", ".+"))).containsExactly(C);
    assertThat(select(eq("__name__", "up"), nre("env", "prod"))).containsExactly(E);
  }

  @Test
  void regexMatchersAreAnchored() {
    assertThat(select(re("job", "ap"))).isEmpty();
    assertThat(select(re("job", "ap.*"))).containsExactly(A, B, D);
    assertThat(select(re("job", "api|web"), eq("__name__", "up"))).containsExactly(D, E);
    assertThat(select(re("__name__", "http_.+"), re("code", "[0-9]00"))).containsExactly(A, B);
    assertThat(select(nre("job", "api|web"))).isEmpty(); // OLD has no sample in range
    assertThat(select(re("__name__", ".*"), eq("job", "web"))).containsExactly(C, E);
  }

  @Test
  void onlyNegativeMatchersStartFromAllSeries() {
    assertThat(select(neq("job", "api"))).containsExactly(C, E);
    assertThat(select(nre("__name__", "up"))).containsExactly(A, B, C);
  }

  @Test
  void unsortedSelectionHoldsTheSameSeries() {
    assertThat(read(q, false, eq("job", "api")).keySet()).containsExactlyInAnyOrder(A, B, D);
  }

  @Test
  void seriesWithoutSamplesInRangeAreLeftOut() {
    assertThat(select(eq("job", "old"))).isEmpty();
    try (Querier all = db.querier(0, 30_000)) {
      assertThat(read(all, true, eq("job", "old")).keySet()).containsExactly(OLD);
    }
  }

  @Test
  void labelNamesAndValuesAreSortedAndRestrictedByMatchers() {
    assertThat(q.labelNames(List.of())).containsExactly("__name__", "code", "env", "job");
    assertThat(q.labelNames(List.of(eq("__name__", "http_requests"))))
        .containsExactly("__name__", "code", "job");
    assertThat(q.labelValues("job", List.of())).containsExactly("api", "old", "web");
    assertThat(q.labelValues("job", List.of(eq("__name__", "up")))).containsExactly("api", "web");
    assertThat(q.labelValues("code", List.of(eq("job", "web")))).isEmpty();
    assertThat(q.labelValues("nope", List.of())).isEmpty();
  }
}
