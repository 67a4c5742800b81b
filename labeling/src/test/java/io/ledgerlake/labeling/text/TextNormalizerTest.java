package io.ledgerlake.labeling.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  @Test
  void collapsesWhitespaceAndLowercasesAscii() {
    assertThat(TextNormalizer.normalize("  Hello \t\n  WORLD  ")).isEqualTo("hello world");
  }

  @Test
  void appliesNfkcAndFullCaseFolding() {
    // fullwidth letters -> ASCII (NFKC); the "fi" ligature -> "fi"; sharp s folds to "ss"; no-break space collapses
    assertThat(TextNormalizer.normalize("ＨＥＬＬＯ\u00A0\uFB01ne STRAẞE")).isEqualTo("hello fine strasse");
    assertThat(TextNormalizer.normalize("Straße")).isEqualTo(TextNormalizer.normalize("STRASSE"));
  }

  @Test
  void equalHashesForTextsThatDifferOnlyInCaseAndSpacing() {
    assertThat(TextNormalizer.normalizedHash("The  Quick\nBrown fox"))
        .isEqualTo(TextNormalizer.normalizedHash("the quick brown FOX "))
        .hasSize(64);
    assertThat(TextNormalizer.normalizedHash("the quick brown fox"))
        .isNotEqualTo(TextNormalizer.normalizedHash("the quick brown fox."));
  }
}
