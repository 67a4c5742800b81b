package io.ledgerlake.cli;

import io.ledgerlake.common.config.Settings;
import io.ledgerlake.sqlserver.SqlService;
import io.ledgerlake.sqlserver.SqlServiceOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sql-server",
    mixinStandardHelpOptions = true,
    description = {
      "Serve Spark SQL over the lakehouse to PostgreSQL clients (psql, JDBC, BI tools) until Ctrl-C or SIGTERM.",
      "One long-lived Spark session: queries skip the per-call start-up of 'ledgerlake sql' and see new commits.",
      "Log in with user = your EVM address and password = an API token (ledgerlake login), or the service account",
      "(ledgerlake.sql-server.service-user / service-password). Read-only unless ledgerlake.sql-server.allow-writes=true.",
      "See docs/sql.md, 'Connecting with psql, JDBC and BI tools'."
    })
final class SqlServerCommand extends LakehouseCommand {
  @Option(names = "--port", paramLabel = "PORT",
      description = "TCP port (default: ledgerlake.sql-server.port, 15432; 0 picks a free one).")
  Integer port;

  @Option(names = "--bind", paramLabel = "HOST",
      description = {"Interface to listen on (default: ledgerlake.sql-server.bind, 127.0.0.1). Passwords travel in",
          "clear text: bind beyond loopback only on a trusted network."})
  String bind;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> flags = new LinkedHashMap<>();
    if (port != null) {
      flags.put(SqlServiceOptions.PORT, port.toString());
    }
    if (bind != null) {
      flags.put(SqlServiceOptions.BIND, bind);
    }
    Settings settings = settings().withOverrides(flags);
    SqlServiceOptions options = SqlServiceOptions.from(settings);
    // Open the catalog once through the Java API first: it creates the data directory and gives clear errors for a
    // locked or corrupt catalog before Spark starts (as `ledgerlake sql` does).
    openLakehouse().close();
    out().println("Starting Spark ...");
    out().flush();
    try (SqlService service = SqlServiceLauncher.start(settings, options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(service::close, "ledgerlake-sql-server-stop"));
      out().printf("SQL service listening on %s; Ctrl-C to stop%n", SqlServiceLauncher.describe(service, options));
      out().printf("  %s   (password: your API token)%n", SqlServiceLauncher.psqlHint(service));
      out().flush();
      service.awaitClose();
    }
    out().println("SQL service stopped");
    out().flush();
    return 0;
  }
}
