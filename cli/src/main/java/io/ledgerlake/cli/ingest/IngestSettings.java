package io.ledgerlake.cli.ingest;

import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.ingestion.flink.IngestionJobOptions;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.platform.LedgerLakePlatform;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Ingestion and Flink job options resolved with the CLI's precedence. */
public final class IngestSettings {
  private IngestSettings() {}

  public static IngestionOptions ingestion(Settings settings) {
    return ingestion(settings, Map.of());
  }

  /** Ingestion options with {@code overrides} on top (e.g. a free port for the demo). */
  public static IngestionOptions ingestion(Settings settings, Map<String, String> overrides) {
    return LedgerLakePlatform.ingestionOptions(settings.withOverrides(overrides), LakehouseOptions.from(settings).dataDir());
  }

  public static IngestionJobOptions job(Settings settings) {
    return IngestionJobOptions.from(settings);
  }

  /** The upload API's URL for client commands: --url, else the local platform's address. */
  public static URI apiUrl(Settings settings, String flag) {
    if (flag != null) {
      return URI.create(flag);
    }
    IngestionOptions o = ingestion(settings);
    return URI.create("http://" + o.getString(IngestionOptions.HTTP_HOST) + ":" + o.getLong(IngestionOptions.HTTP_PORT));
  }

  /** Where {@code ledgerlake login} keeps the API token (owner-only permissions). */
  public static Path tokenFile(Settings settings) {
    return LakehouseOptions.from(settings).dataDir().resolve("cli").resolve("token");
  }
}
