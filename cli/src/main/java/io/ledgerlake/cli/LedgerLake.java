package io.ledgerlake.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ledgerlake} command. Exit codes: 0 success, 2 user error (bad input, bad
 * configuration, unknown table, SQL mistakes) printed as one line, 1 anything else.
 */
@Command(
    name = "ledgerlake",
    mixinStandardHelpOptions = true,
    versionProvider = LedgerLake.Version.class,
    description = "Data pipeline and lakehouse for AI assets with verifiable provenance.",
    subcommands = {
      InitCommand.class,
      TablesCommand.class,
      MaintainCommand.class,
      SqlCommand.class,
      SqlServerCommand.class,
      DemoCommand.class,
      io.ledgerlake.cli.content.CidCommand.class,
      io.ledgerlake.cli.content.AddCommand.class,
      io.ledgerlake.cli.content.CatCommand.class,
      io.ledgerlake.cli.content.CarCommand.class,
      io.ledgerlake.cli.content.GatewayCommand.class,
      io.ledgerlake.cli.ingest.UpCommand.class,
      io.ledgerlake.cli.ingest.KeysCommand.class,
      io.ledgerlake.cli.ingest.LoginCommand.class,
      io.ledgerlake.cli.ingest.DatasetCommand.class,
      io.ledgerlake.cli.ingest.SubmitCommand.class,
      io.ledgerlake.cli.ingest.StatusCommand.class,
      io.ledgerlake.cli.chain.ChainCommand.class,
      io.ledgerlake.cli.chain.PublishCommand.class,
      io.ledgerlake.cli.chain.LicenseCommand.class,
      io.ledgerlake.cli.chain.ClaimCommand.class,
      io.ledgerlake.cli.label.LabelCommand.class,
      io.ledgerlake.cli.label.QualityCommand.class,
      io.ledgerlake.cli.index.IndexCommand.class,
      io.ledgerlake.cli.index.ReconcileCommand.class,
      io.ledgerlake.cli.index.LineageCommand.class,
      io.ledgerlake.cli.train.TrainCommand.class,
      io.ledgerlake.cli.train.FinetuneCommand.class,
      io.ledgerlake.cli.train.PredictCommand.class,
      io.ledgerlake.cli.train.ModelsCommand.class,
      io.ledgerlake.cli.rag.EmbedCommand.class,
      io.ledgerlake.cli.rag.RagCommand.class,
      io.ledgerlake.cli.attribution.AttributionCommand.class,
      io.ledgerlake.cli.attribution.EarningsCommand.class,
      io.ledgerlake.cli.schedule.ScheduleCommand.class,
      io.ledgerlake.cli.schedule.SchedulerCommand.class,
      io.ledgerlake.cli.airflow.AirflowCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LedgerLake implements Runnable {
  /** Common options given before the command name, e.g. {@code ledgerlake --data-dir D sql ...}. */
  @CommandLine.Mixin CommonOptions common;

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USER_ERROR = 2;

  private static volatile Map<String, String> environment = System.getenv();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    // Before any logger exists: the CLI's own output is on stdout, logs only with --verbose.
    System.setProperty("ledgerlake.log.level", verbose ? "INFO" : "WARN");
    int code =
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the CLI without exiting the JVM; for tests and embedding. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cmd = new CommandLine(new LedgerLake());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(
        (ex, ignoredArgs) -> {
          CommandLine failed = ex.getCommandLine();
          err.printf("ledgerlake: error: %s%n", oneLine(ex));
          err.printf("Try '%s --help'.%n", failed.getCommandSpec().qualifiedName());
          err.flush();
          return EXIT_USER_ERROR;
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          int code = isUserError(ex) ? EXIT_USER_ERROR : EXIT_FAILURE;
          String kind = code == EXIT_USER_ERROR ? "error" : "failed";
          err.printf("ledgerlake: %s: %s%n", kind, oneLine(ex));
          if (verbose) {
            ex.printStackTrace(err);
          } else if (code != EXIT_USER_ERROR) {
            err.println("(run again with --verbose for details)");
          }
          err.flush();
          return code;
        });
    try {
      return cmd.execute(args);
    } finally {
      // autoflush covers println/printf only: a command that ends with print(...) would otherwise lose its output
      out.flush();
      err.flush();
    }
  }

  /** Replaces the environment for tests; {@code null} restores the process environment. */
  static void environmentForTests(Map<String, String> env) {
    environment = env == null ? System.getenv() : Map.copyOf(env);
  }

  static Map<String, String> environment() {
    return environment;
  }

  /**
   * Every module's base exception implements {@link io.ledgerlake.common.Categorized}; USER_ERROR means the user can
   * fix it. Only the failure itself decides, not its causes (a user error wrapped by a bug is still a bug).
   */
  static boolean isUserError(Throwable ex) {
    return ex instanceof io.ledgerlake.common.Categorized c
        && c.errorCategory() == io.ledgerlake.common.ErrorCategory.USER_ERROR;
  }


  private static String oneLine(Throwable ex) {
    String msg = ex.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = ex.getClass().getName();
    }
    return msg.strip().lines().findFirst().orElse(msg);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LedgerLake.class.getPackage().getImplementationVersion();
      return new String[] {"ledgerlake " + (v == null ? "development build" : v)};
    }
  }
}
