package dev.nines.store;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A child process for {@link SqliteDurabilityTest}: opens the store in the data directory given as
 * the only argument and writes silences until it is killed, printing each id on its own line once
 * the write's commit has returned.
 */
final class DurabilityChild {
  private DurabilityChild() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Store store =
        Store.open(new StoreConfig(null, Path.of(args[0]), 1, Duration.ofSeconds(10)))) {
      out.println("READY");
      Instant now = Instant.now();
      for (long i = 0; ; i++) {
        Silence s =
            new Silence(
                Silence.newId(),
                List.of(new Matcher("seq", Long.toString(i), Matcher.Type.EQUAL)),
                now,
                now.plusSeconds(3600),
                "durability-test",
                "write " + i,
                now);
        store.silences().upsert(s);
        out.println(s.id()); // acknowledged: the commit has returned
      }
    }
  }
}
