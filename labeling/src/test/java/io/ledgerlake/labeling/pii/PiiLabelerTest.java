package io.ledgerlake.labeling.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.labeling.GroundTruth;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.text.TextNormalizer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PiiLabelerTest {
  /** Stated floors over the ground-truth set, micro-averaged over types, and per type recall. */
  static final double MIN_PRECISION = 0.95;
  static final double MIN_RECALL = 0.95;
  static final double MIN_RECALL_PER_TYPE = 0.8;

  private final PiiLabeler labeler = new PiiLabeler("US", 0.3);

  @Test
  void groundTruthPrecisionAndRecallAboveFloors() {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    Map<PiiType, int[]> perType = new EnumMap<>(PiiType.class);
    StringBuilder errors = new StringBuilder();
    List<String[]> rows = GroundTruth.rows("pii.tsv");
    for (String[] row : rows) {
      Set<PiiType> expected = row[0].equals("NONE") ? EnumSet.noneOf(PiiType.class)
          : Arrays.stream(row[0].split(",")).map(PiiType::valueOf)
              .collect(Collectors.toCollection(() -> EnumSet.noneOf(PiiType.class)));
      Set<PiiType> found = labeler.redact(row[1]).matches().stream().map(PiiMatch::type)
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(PiiType.class)));
      for (PiiType t : expected) {
        int[] c = perType.computeIfAbsent(t, k -> new int[2]);
        c[1]++;
        if (found.contains(t)) {
          tp++;
          c[0]++;
        } else {
          fn++;
          errors.append("missed ").append(t).append(" in: ").append(row[1]).append('\n');
        }
      }
      for (PiiType t : found) {
        if (!expected.contains(t)) {
          fp++;
          errors.append("false ").append(t).append(" in: ").append(row[1]).append('\n');
        }
      }
    }
    assertThat(perType.keySet()).containsExactlyInAnyOrder(PiiType.values());
    assertThat(rows.stream().filter(r -> r[0].equals("NONE")).count()).isGreaterThanOrEqualTo(20);
    assertThat((double) tp / (tp + fp)).as("precision\n%s", errors).isGreaterThanOrEqualTo(MIN_PRECISION);
    assertThat((double) tp / (tp + fn)).as("recall\n%s", errors).isGreaterThanOrEqualTo(MIN_RECALL);
    perType.forEach((t, c) -> assertThat((double) c[0] / c[1]).as("recall of %s\n%s", t, errors)
        .isGreaterThanOrEqualTo(MIN_RECALL_PER_TYPE));
  }

  @Test
  void redactsWithTypedPlaceholdersAndKeepsTheRest() {
    String rest = " The rest of this message is ordinary text about the weekly meeting and the coffee machine,"
        + " which broke again on Tuesday, so we will order a new one before the holidays start next month.";
    RedactionResult r = labeler.redact(
        "Mail jane@example.com, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, host 10.0.0.7 ok."
            + rest);
    assertThat(r.redactedText()).isEqualTo("Mail [EMAIL], card [CREDIT_CARD], IBAN [IBAN], host [IPV4] ok."
        + rest);
    assertThat(r.isUnredactable()).isFalse();
    assertThat(r.matches()).extracting(PiiMatch::type)
        .containsExactly(PiiType.EMAIL, PiiType.CREDIT_CARD, PiiType.IBAN, PiiType.IPV4);
  }

  @Test
  void labelsSummariseTypesAndStatus() {
    List<Label> labels = labeler.label("cid",
        "a@b.io and c@d.io and 8.8.8.8 appear in this longer sentence, which has many more ordinary words in it.");
    Map<String, String> v = labels.stream().collect(Collectors.toMap(Label::key, Label::value));
    assertThat(v).containsEntry("pii", "redacted").containsEntry("pii.email", "2").containsEntry("pii.ipv4", "1")
        .doesNotContainKey("pii.unredactable_reason");
    assertThat(labeler.label("cid", "nothing personal here").get(0).value()).isEqualTo("none");
  }

  @Test
  void seedPhraseRunIsRedactedAsOneSpan() {
    String rest = " The rest of this message is ordinary text about the weekly meeting and the coffee machine,"
        + " which broke again on Tuesday, so we will order a new one before the holidays start next month.";
    RedactionResult r = labeler.redact(
        "Do not give it to anyone, here it is: legal winner thank year wave sausage worth useful legal winner thank yellow. Thanks for reading"
            + " this note, it is long enough to keep the redacted share low.");
    assertThat(r.redactedText()).startsWith("Do not give it to anyone, here it is: [SEED_PHRASE]. Thanks");
    assertThat(r.matches().get(0).score()).isEqualTo(1.0);
  }

  @Test
  void partialSeedPhraseAndDenseDumpsAreUnredactable() {
    RedactionResult partial = labeler.redact(
        "my words are legal winner thank year wave sausage worth useful legal and I forgot the rest of them sadly");
    assertThat(partial.unredactable()).containsExactly(UnredactableReason.PARTIAL_SEED_PHRASE);
    List<Label> labels = labeler.labels("cid", partial);
    assertThat(labels.get(0).value()).isEqualTo("unredactable");
    assertThat(labels).extracting(Label::key).contains("pii.unredactable_reason");

    RedactionResult dump = labeler.redact("a@example.com b@example.com c@example.com\nd@example.com e@example.com");
    assertThat(dump.unredactable()).containsExactly(UnredactableReason.PII_DENSITY);
    assertThat(dump.redactedText()).isEqualTo("[EMAIL] [EMAIL] [EMAIL]\n[EMAIL] [EMAIL]");
    assertThat(labeler.redact("mail: jane@example.com").isUnredactable()).as("one short address").isFalse();
  }

  @Test
  void hexStringNamedAsAHashIsNotAKeyButNamedAsAKeyIs() {
    String hex = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    assertThat(labeler.redact("block hash " + hex).matches()).isEmpty();
    assertThat(labeler.redact("private key " + hex).matches()).singleElement()
        .extracting(PiiMatch::score).isEqualTo(1.0);
    assertThat(labeler.redact("value " + hex).matches()).singleElement().extracting(PiiMatch::score).isEqualTo(0.7);
  }

  @Test
  void luhnAndBip39ChecksumsMatchPublishedVectors() {
    assertThat(PiiDetector.luhnValid("79927398713")).isTrue();
    assertThat(PiiDetector.luhnValid("79927398710")).isFalse();
    Bip39Wordlist w = Bip39Wordlist.english();
    assertThat(w.isValidMnemonic(List.of(("abandon ".repeat(11) + "about").split(" ")))).isTrue();
    assertThat(w.isValidMnemonic(List.of(("abandon ".repeat(11) + "abandon").split(" ")))).isFalse();
    assertThat(w.isValidMnemonic(List.of(("abandon ".repeat(10) + "about").split(" ")))).as("11 words").isFalse();
    String art = "abandon ".repeat(23) + "art";
    assertThat(w.isValidMnemonic(List.of(art.split(" ")))).isTrue();
    assertThat(w.isValidMnemonic(List.of("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong".split(" ")))).isTrue();
  }

  @Test
  void shippedWordListIsTheCanonicalBip39EnglishList() throws Exception {
    try (InputStream in = Bip39Wordlist.class.getResourceAsStream(Bip39Wordlist.RESOURCE)) {
      String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(TextNormalizer.sha256Hex(content)).isEqualTo(Bip39Wordlist.EXPECTED_SHA256);
    }
    assertThat(Bip39Wordlist.english().words()).hasSize(2048).startsWith("abandon", "ability").endsWith("zoo");
  }
}
