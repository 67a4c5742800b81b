package io.ledgerlake.labeling.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelSchemaFormatTest {
  static final List<LabelSchema> SCHEMAS = List.of(
      new LabelSchema.SingleLabel(List.of("pos", "neg", "neutral")),
      new LabelSchema.MultiLabel(List.of("toxic", "spam", "ok"), 1, 2),
      new LabelSchema.MultiLabel(List.of("a", "b")),
      new LabelSchema.FreeText(280));

  @Test
  void roundTripsEveryKindAndIsAFixedPoint() {
    for (LabelSchema schema : SCHEMAS) {
      String json = LabelSchemaFormat.write(schema);
      LabelSchema back = LabelSchemaFormat.read(json);
      assertThat(back).isEqualTo(schema);
      assertThat(LabelSchemaFormat.write(back)).isEqualTo(json);
    }
  }

  @Test
  void version1WireFormatIsStable() {
    assertThat(LabelSchemaFormat.write(new LabelSchema.MultiLabel(List.of("x", "y", "z"), 0, 2)))
        .isEqualTo("{\"version\":1,\"kind\":\"multi_label\",\"classes\":[\"x\",\"y\",\"z\"],\"minLabels\":0,"
            + "\"maxLabels\":2}");
    assertThat(LabelSchemaFormat.read("{\"kind\":\"free_text\",\"version\":1,\"maxLength\":5}"))
        .isEqualTo(new LabelSchema.FreeText(5));
    assertThat(LabelSchemaFormat.read("{\"version\":1,\"kind\":\"multi_label\",\"classes\":[\"x\",\"y\"]}"))
        .as("limits default to 0..all").isEqualTo(new LabelSchema.MultiLabel(List.of("x", "y"), 0, 2));
  }

  @Test
  void rejectsWhatItDoesNotUnderstandNamingIt() {
    assertThatThrownBy(() -> LabelSchemaFormat.read("{\"version\":2,\"kind\":\"free_text\",\"maxLength\":5}"))
        .isInstanceOf(InvalidLabelingInputException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> LabelSchemaFormat.read("{\"version\":1,\"kind\":\"ranking\"}"))
        .hasMessageContaining("'ranking'").hasMessageContaining("single_label, multi_label or free_text");
    assertThatThrownBy(() -> LabelSchemaFormat.read("{\"version\":1,\"kind\":\"single_label\",\"clases\":[]}"))
        .hasMessageContaining("unknown field(s) [clases]");
    assertThatThrownBy(() -> LabelSchemaFormat.read(
        "{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"a\",\"b\"],\"maxLength\":3}"))
        .hasMessageContaining("'maxLength' does not apply to kind single_label");
    assertThatThrownBy(() -> LabelSchemaFormat.read(
        "{\"version\":1,\"kind\":\"multi_label\",\"classes\":[\"a\",\"b\"],\"maxLabels\":3}"))
        .hasMessageContaining("maxLabels=3");
    assertThatThrownBy(() -> LabelSchemaFormat.read("{\"version\":1,\"kind\":\"free_text\"}"))
        .hasMessageContaining("needs 'maxLength'");
    assertThatThrownBy(() -> LabelSchemaFormat.read("not json")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> LabelSchemaFormat.read("{\"version\":1,\"kind\":\"single_label\",\"classes\":[\"a|b\","
        + "\"c\"]}")).hasMessageContaining("'|'");
  }

  @Test
  void answersAreValidatedWithWhereAndWhatToDo() {
    LabelSchema single = SCHEMAS.get(0);
    assertThat(single.canonicalize(List.of("neg"))).containsExactly("neg");
    assertThatThrownBy(() -> single.canonicalize(List.of("bad"))).hasMessageContaining("values[0]")
        .hasMessageContaining("'bad'").hasMessageContaining("send one of [pos, neg, neutral]");
    assertThatThrownBy(() -> single.canonicalize(List.of("pos", "neg"))).hasMessageContaining("exactly one class");
    LabelSchema multi = SCHEMAS.get(1);
    assertThat(multi.canonicalize(List.of("spam", "toxic", "spam"))).containsExactly("spam", "toxic");
    assertThatThrownBy(() -> multi.canonicalize(List.of())).hasMessageContaining("1 to 2 distinct classes, got 0");
    assertThatThrownBy(() -> multi.canonicalize(List.of("ok", "spam", "toxic"))).hasMessageContaining("got 3");
    assertThatThrownBy(() -> multi.canonicalize(List.of("ok", "rude"))).hasMessageContaining("values[1]: 'rude'");
    assertThatThrownBy(() -> SCHEMAS.get(3).canonicalize(List.of("  "))).hasMessageContaining("1..280");
  }
}
