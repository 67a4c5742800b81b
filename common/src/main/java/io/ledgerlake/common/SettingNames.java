package io.ledgerlake.common;

import java.util.Locale;

/**
 * The one rule that names the environment variable of a setting: {@code ledgerlake.ingestion.http.port} is
 * {@code LEDGERLAKE_INGESTION_HTTP_PORT} (upper case; '.' and '-' become '_'). Every module's options resolve the
 * environment layer through it, so a documented key has one variable whatever module reads it.
 */
public final class SettingNames {
  private SettingNames() {}

  public static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
