package io.ledgerlake.training;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.Arrays;
import java.util.Locale;

/** The classifiers `ledgerlake train` offers (Spark MLlib). */
public enum Algorithm {
  /** Multinomial logistic regression (L-BFGS). */
  LOGREG,
  /** Multilayer perceptron: features → one hidden layer → classes. */
  MLP,
  /** Random forest of decision trees. */
  FOREST;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Algorithm of(String id) {
    try {
      return valueOf(id.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "unknown algorithm '%s'; one of %s", id,
          Arrays.stream(values()).map(Algorithm::id).toList());
    }
  }
}
