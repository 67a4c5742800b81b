package io.ledgerlake.cli;

import io.ledgerlake.cli.ingest.IngestSettings;
import io.ledgerlake.ingestion.IngestionOptions;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.sqlserver.Authenticator;
import io.ledgerlake.sqlserver.SqlService;
import io.ledgerlake.sqlserver.SqlServiceOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Starts the SQL service from resolved settings: shared by {@code ledgerlake sql-server} and {@code ledgerlake up}. */
public final class SqlServiceLauncher {
  private SqlServiceLauncher() {}

  /** Starts Spark (the slow part, seconds) and binds the service's port; the caller closes the service. */
  public static SqlService start(Settings settings, SqlServiceOptions options) {
    IngestionOptions ingestion = IngestSettings.ingestion(settings);
    // The upload server's token store: the tokens `ledgerlake login` obtains are the SQL passwords.
    Path ingestionDir = Path.of(ingestion.getString(IngestionOptions.DATA_DIR));
    Path tokenDir = ingestionDir.resolve("auth");
    Duration ttl = ingestion.getDuration(IngestionOptions.AUTH_TOKEN_TTL);
    LakehouseOptions lakehouse = LakehouseOptions.from(settings);
    Authenticator authenticator = io.ledgerlake.lakehouse.coordination.CoordinationDatabase.forCatalog(lakehouse)
        .map(db -> {
          // Several ups on one catalog: the tokens are in the catalog database, read on every login.
          io.ledgerlake.platform.JdbcTokenStore tokens =
              new io.ledgerlake.platform.JdbcTokenStore(db, ttl, Clock.systemUTC());
          return new Authenticator(() -> tokens, db.toString(), options, Clock.systemUTC());
        })
        .orElseGet(() -> new Authenticator(tokenDir, ttl, options, Clock.systemUTC()));
    // Row security: the upload API's dataset definitions decide who reads a private dataset's rows, as over HTTP.
    return SqlService.start(SqlService.session(LakehouseOptions.from(settings), SparkOptions.from(settings)), options,
        authenticator, io.ledgerlake.platform.JdbcDatasetCatalog.forCatalog(LakehouseOptions.from(settings),
            ingestionDir)::unreadableBy);
  }

  /**
   * For {@code up}: the SQL service as one of the platform's services. Off when disabled, and off with the reason
   * when it cannot start (a taken port — a separate {@code ledgerlake sql-server} — or Spark failing): the rest of
   * the platform still serves.
   */
  public static io.ledgerlake.platform.PlatformService serviceUnderUp(Settings settings) {
    SqlServiceOptions options = SqlServiceOptions.from(settings);
    if (!options.enabled()) {
      return io.ledgerlake.platform.PlatformService.off("SQL service", SqlServiceOptions.ENABLED + "=false");
    }
    SqlService service;
    try {
      service = start(settings, options);
    } catch (RuntimeException e) {
      return io.ledgerlake.platform.PlatformService.off("SQL service", String.valueOf(e.getMessage()));
    }
    String line = describe(service, options) + "  " + psqlHint(service);
    return new io.ledgerlake.platform.PlatformService() {
      @Override
      public String name() {
        return "SQL service";
      }

      @Override
      public String describe() {
        return line;
      }

      @Override
      public void close() {
        service.close();
      }
    };
  }

  /** {@code 127.0.0.1:15432 (read-only)}: where clients connect and what they may do. */
  public static String describe(SqlService service, SqlServiceOptions options) {
    return String.format("%s:%d (%s)", service.host(), service.port(), options.allowWrites() ? "read-write" : "read-only");
  }

  /** The psql command line that connects to the service (the password is an API token). */
  public static String psqlHint(SqlService service) {
    return String.format("psql -h %s -p %d -U <address> lakehouse",
        SqlServiceClient.connectHost(service.host()), service.port());
  }
}
