package io.ledgerlake.labeling.harm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.label.Label;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HarmLabelerTest {
  private final HarmLexicon lexicon = HarmLexicon.defaultLexicon();
  private final HarmLabeler labeler = new HarmLabeler(lexicon);

  private Map<String, Label> byKey(String text) {
    return labeler.label("cid", text).stream().collect(Collectors.toMap(Label::key, l -> l));
  }

  @Test
  void shippedLexiconIsVersionedAndEveryCategoryHasEntries() {
    assertThat(lexicon.version()).isEqualTo("1");
    assertThat(labeler.id()).isEqualTo("harm@lexicon-v1");
    assertThat(lexicon.categories()).hasSize(7);
    lexicon.categories().keySet().forEach(c ->
        assertThat(lexicon.entries()).as(c).anyMatch(e -> e.category().equals(c)));
  }

  @Test
  void explicitThreatIsFlaggedWithItsCategory() {
    Map<String, Label> l = byKey("If you come back here, I'm going to kill you.");
    assertThat(l.get("harm").value()).isEqualTo("flagged");
    assertThat(l.get("harm.violent_threat").value()).isEqualTo("flagged");
    assertThat(l.get("harm.violent_threat").score()).isEqualTo(1.0);
    assertThat(byKey("He said “I’m going to kill you” twice.").get("harm").value()).isEqualTo("flagged");
  }

  @Test
  void weakSignalsAloneStayBelowThreshold() {
    Map<String, Label> l = byKey("Watch your back on the icy stairs, and mind the step.");
    assertThat(l.get("harm").value()).isEqualTo("clean");
    assertThat(l.get("harm.violent_threat").value()).isEqualTo("below");
    assertThat(l.get("harm").score()).isEqualTo(0.3);
  }

  @Test
  void weakSignalsAddUpAcrossPhrases() {
    Map<String, Label> l = byKey("Pipe bomb rumours spread; an untraceable gun was mentioned too.");
    assertThat(l.get("harm.weapons_explosives").score()).isEqualTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(l.get("harm").value()).isEqualTo("flagged");
  }

  @Test
  void repeatsOfOnePhraseAreCapped() {
    Map<String, Label> l = byKey("watch your back ".repeat(10));
    assertThat(l.get("harm.violent_threat").score()).isEqualTo(0.6, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void ordinaryTextIsClean() {
    List<Label> l = labeler.label("cid", "The killer whale is a toothed whale; skills matter more than luck.");
    assertThat(l).singleElement().extracting(Label::value).isEqualTo("clean");
  }

  @Test
  void malformedLexiconFailsWithLineNumber() {
    String bad = "@version\t2\n@category\tx\t1.0\tdesc\nphrase\ty\t1.0\n";
    assertThatThrownBy(() -> HarmLexicon.parse(new StringReader(bad), "custom.tsv"))
        .isInstanceOf(InvalidLabelingInputException.class)
        .hasMessageContaining("custom.tsv:3").hasMessageContaining("undeclared category 'y'");
    assertThatThrownBy(() -> HarmLexicon.parse(new StringReader("a\tb\n"), "two.tsv"))
        .hasMessageContaining("two.tsv:1: expected 'phrase<TAB>category<TAB>weight'");
    assertThatThrownBy(() -> HarmLexicon.parse(new StringReader("# only a comment\n"), "nov.tsv"))
        .hasMessageContaining("missing '@version'");
  }
}
