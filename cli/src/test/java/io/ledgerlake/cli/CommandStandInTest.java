package io.ledgerlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@link LedgerLake#commandLine}: stand-ins for the commands not named must not change what a user sees. */
class CommandStandInTest {
  private static String[] allNames() {
    return LedgerLake.COMMANDS.stream().map(t -> t.getAnnotation(Command.class).name()).toArray(String[]::new);
  }

  private static String usage(CommandLine cmd) {
    return cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  @Test
  void topLevelHelpIsTheSameWithStandInsAsWithEveryCommandReal() {
    String withStandIns = usage(LedgerLake.commandLine(new String[] {"--help"}));
    String allReal = usage(LedgerLake.commandLine(allNames()));
    assertThat(withStandIns).isEqualTo(allReal);
    for (String name : allNames()) {
      assertThat(withStandIns).contains("  " + name + " ");
    }
  }

  @Test
  void aNamedCommandIsRealAndTheOthersAreStandIns() {
    CommandLine cmd = LedgerLake.commandLine(new String[] {"--data-dir", "/tmp/x", "cid", "file"});
    assertThat((Object) cmd.getSubcommands().get("cid").getCommand()).isInstanceOf(io.ledgerlake.cli.content.CidCommand.class);
    // a stand-in has no user object and no options: only a name and a description for the listing
    assertThat(cmd.getSubcommands().get("sql").getCommandSpec().userObject()).isNull();
    assertThat(cmd.getSubcommands().get("sql").getCommandSpec().options()).isEmpty();
  }

  /** {@code --help} everywhere: every command and nested command, also those with required options. */
  @Test
  void everyCommandsOwnHelpWorks() {
    java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
    collect(LedgerLake.commandLine(allNames()), new java.util.ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(allNames().length);
    for (java.util.List<String> path : paths) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      java.util.List<String> args = new java.util.ArrayList<>(path);
      args.add("--help");
      int code = LedgerLake.execute(args.toArray(String[]::new), new PrintWriter(out, true),
          new PrintWriter(err, true));
      assertThat(code).as(path + ": " + err).isZero();
      assertThat(out.toString()).as(path.toString()).contains("Usage: ledgerlake " + String.join(" ", path));
    }
  }

  private static void collect(CommandLine cmd, java.util.List<String> path,
      java.util.List<java.util.List<String>> into) {
    for (var e : new java.util.TreeMap<>(cmd.getSubcommands()).entrySet()) {
      CommandLine sub = e.getValue();
      if (!sub.getCommandName().equals(e.getKey()) || sub.getCommand() instanceof CommandLine.HelpCommand) {
        continue; // an alias, or picocli's own help command
      }
      java.util.List<String> p = new java.util.ArrayList<>(path);
      p.add(e.getKey());
      into.add(p);
      collect(sub, p, into);
    }
  }
}
