package io.ledgerlake.labeling.pii;

import io.ledgerlake.labeling.InvalidLabelingInputException;
import io.ledgerlake.labeling.label.Label;
import io.ledgerlake.labeling.label.Labeler;
import java.io.Serial;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * PII detection and redaction. Labels: {@code pii} = {@code none} | {@code redacted} | {@code unredactable} (score =
 * number of matches), {@code pii.<type>} = count per type found, and {@code pii.unredactable_reason} when unredactable.
 * {@link #redact(String)} produces the redacted copy with typed placeholders such as {@code [EMAIL]}. Thread-safe.
 */
public final class PiiLabeler implements Labeler {
  @Serial private static final long serialVersionUID = 1L;

  public static final String NAME = "pii";
  public static final String KEY = "pii";
  public static final String REASON_KEY = "pii.unredactable_reason";
  public static final String NONE = "none";
  public static final String REDACTED = "redacted";
  public static final String UNREDACTABLE = "unredactable";

  /** {@link UnredactableReason#PII_DENSITY} needs at least this many matches. */
  public static final int MIN_MATCHES_FOR_DENSITY = 3;

  private final PiiDetector detector;
  private final double maxRedactedFraction;

  public PiiLabeler(String defaultRegion, double maxRedactedFraction) {
    InvalidLabelingInputException.check(maxRedactedFraction > 0 && maxRedactedFraction <= 1,
        "maxRedactedFraction must be in (0, 1], got %s", maxRedactedFraction);
    this.detector = new PiiDetector(Objects.requireNonNull(defaultRegion, "defaultRegion"));
    this.maxRedactedFraction = maxRedactedFraction;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return "rules-1+" + detector.defaultRegion() + "-" + maxRedactedFraction;
  }

  public PiiDetector detector() {
    return detector;
  }

  public RedactionResult redact(String text) {
    PiiDetector.Detection d = detector.detect(text);
    StringBuilder out = new StringBuilder(text.length());
    int pos = 0;
    long redactedChars = 0;
    for (PiiMatch m : d.matches()) {
      out.append(text, pos, m.start()).append(m.type().placeholder());
      pos = m.end();
      for (int k = m.start(); k < m.end(); k++) {
        if (!Character.isWhitespace(text.charAt(k))) {
          redactedChars++;
        }
      }
    }
    out.append(text, pos, text.length());
    long nonWhitespace = text.chars().filter(c -> !Character.isWhitespace(c)).count();
    List<UnredactableReason> reasons = new ArrayList<>();
    // one address in a one-line note is ordinary; several items making up most of the text is a dump
    if (d.matches().size() >= MIN_MATCHES_FOR_DENSITY && nonWhitespace > 0
        && (double) redactedChars / nonWhitespace > maxRedactedFraction) {
      reasons.add(UnredactableReason.PII_DENSITY);
    }
    if (!d.partialSeedPhrases().isEmpty()) {
      reasons.add(UnredactableReason.PARTIAL_SEED_PHRASE);
    }
    return new RedactionResult(out.toString(), d.matches(), reasons);
  }

  @Override
  public List<Label> label(String recordCid, String text) {
    return labels(recordCid, redact(text));
  }

  /** The labels for an already computed redaction (lets an operator redact once and emit both outputs). */
  public List<Label> labels(String recordCid, RedactionResult r) {
    List<Label> out = new ArrayList<>();
    String value = r.isUnredactable() ? UNREDACTABLE : r.matches().isEmpty() ? NONE : REDACTED;
    out.add(new Label(recordCid, id(), KEY, value, r.matches().size()));
    Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
    for (PiiMatch m : r.matches()) {
      counts.merge(m.type(), 1, Integer::sum);
    }
    counts.forEach(
        (type, n) -> out.add(new Label(recordCid, id(), KEY + "." + type.name().toLowerCase(java.util.Locale.ROOT),
            Integer.toString(n), n)));
    if (r.isUnredactable()) {
      out.add(new Label(recordCid, id(), REASON_KEY,
          r.unredactable().stream().map(Enum::name).collect(Collectors.joining(",")), r.unredactable().size()));
    }
    return out;
  }
}
