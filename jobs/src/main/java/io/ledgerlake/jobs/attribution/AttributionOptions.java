package io.ledgerlake.jobs.attribution;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.common.config.Settings;
import java.time.Duration;

/**
 * The keys of usage attribution ({@code ledgerlake.attribution.*}); precedence as everywhere: CLI flag &gt; env &gt;
 * properties file &gt; default. Immutable.
 *
 * @param epochLength length of a settlement epoch; epochs are aligned to 1970-01-01T00:00Z, so the default (one
 *     day) makes every epoch a UTC day. Changing it changes which calls an epoch holds: change it only between
 *     settled epochs
 */
public record AttributionOptions(Duration epochLength) {
  public static final String EPOCH_SECONDS = "ledgerlake.attribution.epoch-seconds";
  public static final int EPOCH_SECONDS_DEFAULT = 86_400;

  public AttributionOptions {
    if (epochLength.isNegative() || epochLength.isZero() || epochLength.toMillis() % 1000 != 0) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "%s must be a positive number of seconds, got %s",
          EPOCH_SECONDS, epochLength);
    }
  }

  public static AttributionOptions defaults() {
    return from(Settings.empty());
  }

  public static AttributionOptions from(Settings s) {
    return new AttributionOptions(Duration.ofSeconds(s.getInt(EPOCH_SECONDS, EPOCH_SECONDS_DEFAULT)));
  }
}
