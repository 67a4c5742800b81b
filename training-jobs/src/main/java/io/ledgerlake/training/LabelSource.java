package io.ledgerlake.training;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.regex.Pattern;

/**
 * Where a training label comes from: a field of the record ({@code field:category}) or the human consensus of an
 * annotation label key in label.consensus ({@code consensus:topic}), so that annotation feeds training. Immutable.
 */
public record LabelSource(Kind kind, String name) {
  /** Names go into SQL and JSON paths: letters, digits, '_', '-', '.' only. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  public enum Kind {
    FIELD,
    CONSENSUS
  }

  public LabelSource {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "label name '%s' must be letters, digits, '_', '-' or '.'", name);
    }
  }

  /** {@code field:<name>}, {@code consensus:<label key>}, or a bare name (a field). */
  public static LabelSource parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      return new LabelSource(Kind.FIELD, text.trim());
    }
    String kind = text.substring(0, colon).trim();
    String name = text.substring(colon + 1).trim();
    return switch (kind) {
      case "field" -> new LabelSource(Kind.FIELD, name);
      case "consensus" -> new LabelSource(Kind.CONSENSUS, name);
      default -> throw new LakehouseException(ErrorCategory.USER_ERROR,
          "label source '%s' must be field:<name> or consensus:<label key>", text);
    };
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + name;
  }
}
