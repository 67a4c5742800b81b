package io.ledgerlake.labeling.annotation;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What an annotation of a dataset looks like. An answer is a list of strings: exactly one class for
 * {@link SingleLabel}, a set of classes for {@link MultiLabel} (canonicalised sorted, duplicates removed), one string for
 * {@link FreeText}.
 */
public sealed interface LabelSchema permits LabelSchema.SingleLabel, LabelSchema.MultiLabel, LabelSchema.FreeText {

  /** Validates {@code values} and returns the canonical form stored and compared on replay. */
  List<String> canonicalize(List<String> values);

  record SingleLabel(List<String> classes) implements LabelSchema {
    public SingleLabel {
      classes = checkClasses(classes);
    }

    @Override
    public List<String> canonicalize(List<String> values) {
      InvalidLabelingInputException.check(values.size() == 1 && classes.contains(values.get(0)),
          "a single-label answer must be exactly one of %s, got %s", classes, values);
      return List.copyOf(values);
    }
  }

  record MultiLabel(List<String> classes) implements LabelSchema {
    public MultiLabel {
      classes = checkClasses(classes);
    }

    @Override
    public List<String> canonicalize(List<String> values) {
      for (String v : values) {
        InvalidLabelingInputException.check(classes.contains(v),
            "multi-label answer value '%s' is not one of %s", v, classes);
      }
      return List.copyOf(new TreeSet<>(values));
    }
  }

  record FreeText(int maxLength) implements LabelSchema {
    public FreeText {
      InvalidLabelingInputException.check(maxLength > 0, "free-text maxLength must be positive, got %s", maxLength);
    }

    @Override
    public List<String> canonicalize(List<String> values) {
      InvalidLabelingInputException.check(values.size() == 1, "a free-text answer is one string, got %s values",
          values.size());
      String text = values.get(0).strip();
      InvalidLabelingInputException.check(!text.isEmpty() && text.length() <= maxLength,
          "free-text answer must be 1..%s characters, got %s", maxLength, text.length());
      return List.of(text);
    }
  }

  private static List<String> checkClasses(List<String> classes) {
    Objects.requireNonNull(classes, "classes");
    InvalidLabelingInputException.check(classes.size() >= 2, "a label schema needs at least 2 classes, got %s",
        classes);
    InvalidLabelingInputException.check(new LinkedHashSet<>(classes).size() == classes.size(),
        "label schema classes must be distinct, got %s", classes);
    return List.copyOf(classes);
  }
}
