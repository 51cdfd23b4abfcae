package dev.nines.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.common.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  /** FNV-1a over {@code getBytes(UTF_8)}: the definition the allocation-free hash must keep. */
  static long reference(Labels labels) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < labels.size(); i++) {
      for (String s : new String[] {labels.name(i), labels.value(i)}) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
          h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
      }
    }
    return h;
  }

  @Test
  void knownValue() {
    // FNV-1a 64 of "alertname" 0xff "A" 0xff, as Prometheus's LabelSet.Fingerprint computes it.
    assertThat(Fingerprint.hex(Fingerprint.of(Labels.of("alertname", "A"))))
        .isEqualTo("d2c6efc389df0927");
  }

  @Test
  void hexIsSixteenLowerCaseDigits() {
    assertThat(Fingerprint.hex(0)).isEqualTo("0000000000000000");
    assertThat(Fingerprint.hex(0xabcL)).isEqualTo("0000000000000abc");
    assertThat(Fingerprint.hex(-1)).isEqualTo("ffffffffffffffff");
    assertThat(Fingerprint.parse(Fingerprint.hex(0x0123456789abcdefL)))
        .isEqualTo(0x0123456789abcdefL);
  }

  @Test
  void hashesTheUtf8BytesOfEveryKindOfCharacter() {
    String[] values = {
      "", "plain", "é", "ü-ß", "€ 中文", "😀", "a😀b", "\ud800", "x\udc00y", "\udbff\udfff", "\ud83d"
    };
    for (String v : values) {
      Labels l = Labels.of("alertname", "A", "v", v);
      assertThat(Fingerprint.of(l)).as(v).isEqualTo(reference(l));
    }
  }

  @Test
  void agreesWithTheByteDefinitionOnRandomStrings() {
    Random r = new Random(42);
    for (int n = 0; n < 2_000; n++) {
      char[] cs = new char[r.nextInt(12)];
      for (int i = 0; i < cs.length; i++) {
        cs[i] =
            switch (r.nextInt(4)) {
              case 0 -> (char) r.nextInt(0x80);
              case 1 -> (char) r.nextInt(0x800);
              case 2 -> (char) (0xd800 + r.nextInt(0x800)); // surrogates, paired or not
              default -> (char) r.nextInt(0x10000);
            };
      }
      Labels l = Labels.of("alertname", "A", "v", new String(cs));
      assertThat(Fingerprint.of(l)).isEqualTo(reference(l));
    }
  }
}
