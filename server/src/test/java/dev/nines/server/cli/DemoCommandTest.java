package dev.nines.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.rules.file.RuleFileLoader;
import dev.nines.rules.lint.AlertHygiene;
import dev.nines.server.config.ConfigLoader;
import dev.nines.server.config.ListenAddress;
import dev.nines.server.config.NinesConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @Test
  void writesAConfigurationThatLoadsWithCleanRules(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("it's data"); // a quote, to check the YAML quoting
    Path config =
        DemoCommand.writeFiles(data, ListenAddress.parse("127.0.0.1:19595"), "127.0.0.1:4321");

    NinesConfig c = ConfigLoader.load(config);
    assertThat(c.server().dataPath()).isEqualTo(data);
    assertThat(c.scrapeConfigs().toString())
        .contains("checkout")
        .contains("127.0.0.1:4321")
        .contains("127.0.0.1:19595");
    assertThat(c.ruleFiles()).containsExactly(data.resolve("demo/rules.yml").toString());

    assertThat(c.sloFiles()).containsExactly(data.resolve("demo/slos.yml").toString());
    var slos =
        dev.nines.slo.spec.SpecLoader.load(
            java.util.List.of(Path.of(c.sloFiles().get(0))), c.slo().toDefaults());
    assertThat(slos.problems()).isEmpty();
    assertThat(slos.slos()).hasSize(1);

    RuleFileLoader.Result rules = RuleFileLoader.load(Path.of(c.ruleFiles().get(0)));
    assertThat(rules.problems()).isEmpty();
    assertThat(AlertHygiene.check(rules.file(), AlertHygiene.Options.DEFAULTS)).isEmpty();
  }

  @Test
  void portZeroLeavesOutTheSelfScrapeJob(@TempDir Path dir) throws Exception {
    Path config = DemoCommand.writeFiles(dir, ListenAddress.parse("127.0.0.1:0"), "127.0.0.1:1");
    assertThat(ConfigLoader.load(config).scrapeConfigs().toString()).doesNotContain("nines");
  }
}
