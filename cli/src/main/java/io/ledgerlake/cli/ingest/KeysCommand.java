package io.ledgerlake.cli.ingest;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.ingestion.auth.DevKeyFile;
import io.ledgerlake.lakehouse.LakehouseException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "keys", mixinStandardHelpOptions = true, description = "Development key files (an EVM identity).", subcommands = KeysCommand.New.class)
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: new");
  }

  @Command(name = "new", mixinStandardHelpOptions = true, description = "Create a key file (owner-only permissions) and print its address.")
  public static final class New extends LakehouseCommand {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key file (must not exist).")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (Files.exists(out)) {
        throw new LakehouseException(ErrorCategory.USER_ERROR, "%s already exists; choose another file (keys are never overwritten)", out);
      }
      DevKeyFile key = DevKeyFile.generate(out);
      out().printf("%s  %s%n", key.address(), out);
      return 0;
    }
  }
}
