package dev.nines.bench;

import dev.nines.common.PromDuration;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of parsing a Prometheus duration, which every config load, rule group and query with a range
 * selector pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DurationParseBenchmark {
  @Param({"5m", "1d2h3m4s5ms"})
  public String text;

  @Benchmark
  public Duration parse() {
    return PromDuration.parse(text);
  }
}
