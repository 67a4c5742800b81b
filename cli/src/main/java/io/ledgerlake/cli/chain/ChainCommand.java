package io.ledgerlake.cli.chain;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.ChainStatus;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "chain",
    mixinStandardHelpOptions = true,
    description = "Start, inspect or stop the local EVM chain (anvil) with the LedgerLake contracts.",
    subcommands = {ChainCommand.Up.class, ChainCommand.Status.class, ChainCommand.Down.class})
public final class ChainCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: up, status or down");
  }

  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = {
        "Start anvil on a free loopback port (state under <data-dir>/chain) and deploy the",
        "contracts on first start. Keeps running in the background until 'chain down'."
      })
  public static final class Up extends LakehouseCommand {
    @Override
    public Integer call() {
      ProvenanceOptions options = ChainSettings.options(settings());
      LocalChain.Running running = LocalChain.up(options);
      out().printf("Local chain %d at %s (pid %d)%n", running.chainId(), running.rpcUrl(), running.pid());
      out().printf("Contracts: %s%n", running.deployment().toJson().replace("\n", " "));
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Node, chain id, head block, contracts and pause state.")
  public static final class Status extends LakehouseCommand {
    @Override
    public Integer call() {
      ProvenanceOptions options = ChainSettings.options(settings());
      ChainStatus status;
      if (ChainSettings.external(settings())) {
        try (ProvenanceClient client = ProvenanceClient.connect(options)) {
          status = client.status();
        }
      } else {
        status = LocalChain.status(options);
      }
      out().printf("rpc: %s%nchain id: %d%nhead block: %d%ncontracts present: %s%n",
          status.rpcUrl(), status.chainId(), status.blockNumber(), status.contractsPresent());
      status.deployment().ifPresent(d -> out().printf("deployment: %s%n", d.toJson().replace("\n", " ")));
      status.paused().forEach((c, p) -> out().printf("  %s paused: %s%n", c, p));
      return 0;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local chain (its state is kept).")
  public static final class Down extends LakehouseCommand {
    @Override
    public Integer call() {
      boolean stopped = LocalChain.down(ChainSettings.options(settings()));
      out().println(stopped ? "Local chain stopped." : "No local chain was running.");
      return 0;
    }
  }
}
