package io.ledgerlake.training;

import io.ledgerlake.common.config.Settings;

/**
 * Keys and defaults of training ({@code ledgerlake.training.*}); the {@code train} command's flags override them.
 *
 * @param numFeatures hashed text features: 2^14 keeps collisions rare for a vocabulary of a few thousand words while
 *     the MLP's first layer stays small
 */
public record TrainingOptions(int numFeatures, int maxIter, int testPercent, String textField) {
  public static final String PREFIX = "ledgerlake.training.";
  public static final String NUM_FEATURES = PREFIX + "num-features";
  public static final int NUM_FEATURES_DEFAULT = 1 << 14;
  public static final String MAX_ITER = PREFIX + "max-iter";
  public static final int MAX_ITER_DEFAULT = 100;
  public static final String TEST_PERCENT = PREFIX + "test-percent";
  public static final int TEST_PERCENT_DEFAULT = 20;
  public static final String TEXT_FIELD = PREFIX + "text-field";
  public static final String TEXT_FIELD_DEFAULT = "text";

  public static TrainingOptions defaults() {
    return new TrainingOptions(NUM_FEATURES_DEFAULT, MAX_ITER_DEFAULT, TEST_PERCENT_DEFAULT, TEXT_FIELD_DEFAULT);
  }

  public static TrainingOptions from(Settings settings) {
    return new TrainingOptions(settings.getInt(NUM_FEATURES, NUM_FEATURES_DEFAULT),
        settings.getInt(MAX_ITER, MAX_ITER_DEFAULT), settings.getInt(TEST_PERCENT, TEST_PERCENT_DEFAULT),
        settings.get(TEXT_FIELD, TEXT_FIELD_DEFAULT));
  }
}
