package io.ledgerlake.labeling.annotation;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What an annotation of a dataset looks like. An answer is a list of strings: exactly one class for
 * {@link SingleLabel}, a set of classes for {@link MultiLabel} (canonicalised sorted, duplicates removed, between
 * {@code minLabels} and {@code maxLabels} of them), one string for {@link FreeText}. The persisted form is
 * {@link LabelSchemaFormat} (versioned JSON).
 *
 * <p>Validation messages name the field ({@code values}, {@code values[i]}), the offending value, what the schema
 * allows and what to send instead, because they reach annotators as HTTP 400 bodies.
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
      Objects.requireNonNull(values, "values");
      InvalidLabelingInputException.check(values.size() == 1,
          "values: a single-label answer is exactly one class, got %s values %s; send one of %s", values.size(),
          values, classes);
      InvalidLabelingInputException.check(classes.contains(values.get(0)),
          "values[0]: '%s' is not a class of this single-label schema; send one of %s", values.get(0), classes);
      return List.copyOf(values);
    }
  }

  /** @param minLabels fewest classes an answer may choose (0 allows "none of these") */
  record MultiLabel(List<String> classes, int minLabels, int maxLabels) implements LabelSchema {
    public MultiLabel {
      classes = checkClasses(classes);
      InvalidLabelingInputException.check(minLabels >= 0 && minLabels <= maxLabels && maxLabels <= classes.size()
              && maxLabels >= 1, "multi-label limits must satisfy 0 <= minLabels <= maxLabels <= %s classes and"
              + " maxLabels >= 1, got minLabels=%s maxLabels=%s", classes.size(), minLabels, maxLabels);
    }

    /** Any number of the classes, including none. */
    public MultiLabel(List<String> classes) {
      this(classes, 0, classes.size());
    }

    @Override
    public List<String> canonicalize(List<String> values) {
      Objects.requireNonNull(values, "values");
      for (int i = 0; i < values.size(); i++) {
        InvalidLabelingInputException.check(classes.contains(values.get(i)),
            "values[%s]: '%s' is not a class of this multi-label schema; choose among %s", i, values.get(i), classes);
      }
      List<String> canonical = List.copyOf(new TreeSet<>(values));
      InvalidLabelingInputException.check(canonical.size() >= minLabels && canonical.size() <= maxLabels,
          "values: a multi-label answer chooses %s to %s distinct classes, got %s %s; choose among %s", minLabels,
          maxLabels, canonical.size(), canonical, classes);
      return canonical;
    }
  }

  record FreeText(int maxLength) implements LabelSchema {
    public FreeText {
      InvalidLabelingInputException.check(maxLength > 0, "free-text maxLength must be positive, got %s", maxLength);
    }

    @Override
    public List<String> canonicalize(List<String> values) {
      Objects.requireNonNull(values, "values");
      InvalidLabelingInputException.check(values.size() == 1,
          "values: a free-text answer is one string, got %s values; send [\"your text\"]", values.size());
      String text = values.get(0).strip();
      InvalidLabelingInputException.check(!text.isEmpty() && text.length() <= maxLength,
          "values[0]: a free-text answer must be 1..%s characters after trimming, got %s; shorten or fill it in",
          maxLength, text.length());
      return List.of(text);
    }
  }

  private static List<String> checkClasses(List<String> classes) {
    Objects.requireNonNull(classes, "classes");
    InvalidLabelingInputException.check(classes.size() >= 2, "a label schema needs at least 2 classes, got %s",
        classes);
    InvalidLabelingInputException.check(new LinkedHashSet<>(classes).size() == classes.size(),
        "label schema classes must be distinct, got %s", classes);
    for (String c : classes) {
      InvalidLabelingInputException.check(c != null && !c.isBlank() && !c.contains("|"),
          "label schema class '%s' must be non-blank and must not contain '|' (multi-label answers are compared"
              + " joined by '|')", c);
    }
    return List.copyOf(classes);
  }
}
