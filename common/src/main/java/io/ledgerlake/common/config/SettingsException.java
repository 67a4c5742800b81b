package io.ledgerlake.common.config;

import io.ledgerlake.common.Categorized;
import io.ledgerlake.common.ErrorCategory;
import java.util.Locale;

/**
 * A setting that cannot be used as given: a missing configuration file, an unreadable one, a value of the wrong
 * type, an unknown key under a module's prefix. Always the user's to fix, so always {@link ErrorCategory#USER_ERROR};
 * the message names the key (and its environment variable) and what to give instead.
 */
public final class SettingsException extends RuntimeException implements Categorized {
  public SettingsException(String format, Object... args) {
    super(String.format(Locale.ROOT, format, args));
  }

  public SettingsException(Throwable cause, String format, Object... args) {
    super(String.format(Locale.ROOT, format, args), cause);
  }

  @Override
  public ErrorCategory errorCategory() {
    return ErrorCategory.USER_ERROR;
  }
}
