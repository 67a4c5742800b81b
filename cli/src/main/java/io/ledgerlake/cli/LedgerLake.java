package io.ledgerlake.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ledgerlake} command. Exit codes: 0 success, 2 user error (bad input, bad
 * configuration, unknown table, SQL mistakes) printed as one line, 1 anything else. The commands are {@link #COMMANDS},
 * added by {@link #commandLine}.
 */
@Command(
    name = "ledgerlake",
    mixinStandardHelpOptions = true,
    versionProvider = LedgerLake.Version.class,
    description = "Data pipeline and lakehouse for AI assets with verifiable provenance.")
public final class LedgerLake implements Runnable {
  /** Common options given before the command name, e.g. {@code ledgerlake --data-dir D sql ...}. */
  @CommandLine.Mixin CommonOptions common;

  public static final int EXIT_OK = ExitCodes.OK;
  public static final int EXIT_FAILURE = ExitCodes.FAILURE;
  public static final int EXIT_USER_ERROR = ExitCodes.USER_ERROR;

  private static volatile Map<String, String> environment = System.getenv();

  /**
   * Commands that start neither Spark nor Flink nor the platform: they log through log4j's simple logger (see main).
   * The first argument that is not an option decides; with a global option before the command (whose value comes
   * first) the full logging is used, which is only slower.
   */
  static final java.util.Set<String> ENGINE_FREE = java.util.Set.of("cid", "add", "cat", "car", "keys", "login",
      "submit", "status");

  /**
   * Every command, in the order {@code --help} lists them. Not in {@code @Command(subcommands)}: picocli would build
   * the full model of all of them (their options, nested commands, converters) on every start, about 0.6 s of a
   * {@code --help} or {@code cid} that uses one; see {@link #commandLine}.
   */
  static final List<Class<?>> COMMANDS = List.of(
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
      io.ledgerlake.cli.airflow.AirflowCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    // Before any logger exists: the CLI's own output is on stdout, logs only with --verbose.
    System.setProperty("ledgerlake.log.level", verbose ? "INFO" : "WARN");
    if (Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().filter(ENGINE_FREE::contains).isPresent()) {
      // log4j-core's start (plugins, XML configuration) is ~0.4 s of a 1 s `cid`; these commands start no engine
      // whose loggers need its per-package levels, so log4j's own simple logger does: same stream, same levels.
      System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
      System.setProperty("org.apache.logging.log4j.simplelog.level", verbose ? "INFO" : "WARN");
      System.setProperty("org.apache.logging.log4j.simplelog.logFile", "system.err");
      System.setProperty("org.apache.logging.log4j.simplelog.showdatetime", "true");
      System.setProperty("org.apache.logging.log4j.simplelog.dateTimeFormat", "HH:mm:ss.SSS");
    }
    int code =
        execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the CLI without exiting the JVM; for tests and embedding. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cmd = commandLine(args);
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
  /**
   * The command line with real models only for the commands {@code args} may name (any argument equal to a command's
   * name or alias: an option's value that happens to be one only costs that command's model) and, for the others, a
   * stand-in with the name, aliases and description, which is all that {@code --help}, {@code help} and picocli's
   * "did you mean" read. A stand-in never runs: a command named in {@code args} is always real.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cmd = new CommandLine(new LedgerLake());
    java.util.Set<String> named = new java.util.HashSet<>(Arrays.asList(args));
    for (Class<?> type : COMMANDS) {
      Command command = type.getAnnotation(Command.class);
      boolean wanted = named.contains(command.name())
          || Arrays.stream(command.aliases()).anyMatch(named::contains);
      if (wanted) {
        cmd.addSubcommand(type);
      } else {
        CommandLine.Model.CommandSpec standIn = CommandLine.Model.CommandSpec.create().name(command.name())
            .aliases(command.aliases());
        standIn.usageMessage().description(command.description()).hidden(command.hidden());
        cmd.addSubcommand(command.name(), standIn, command.aliases());
      }
    }
    cmd.addSubcommand(new CommandLine.HelpCommand());
    return cmd;
  }

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
