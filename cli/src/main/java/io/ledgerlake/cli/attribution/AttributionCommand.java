package io.ledgerlake.cli.attribution;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.chain.ChainSettings;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.jobs.attribution.AttributionOptions;
import io.ledgerlake.jobs.attribution.SettleJob;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "attribution", mixinStandardHelpOptions = true,
    description = "Usage attribution: settle metered API calls on chain and split them by usage.",
    subcommands = {AttributionCommand.Settle.class})
public final class AttributionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "give a subcommand: settle");
  }

  @Command(name = "settle", mixinStandardHelpOptions = true,
      description = {"Charge the metered API calls of every ended epoch (UTC days by default,",
          "ledgerlake.attribution.epoch-seconds) on chain: one settleApiUsage per licence asset and licensee,",
          "once, as the platform account (the asset's meter); split each settlement's credit among the",
          "contributors of the retrieved records (usage-rank-v1) into attribution.revenue_shares."})
  public static final class Settle extends LakehouseCommand {
    @Option(names = "--epoch", paramLabel = "E", description = "Only this epoch (its UTC date, e.g. 2025-01-31).")
    String epoch;

    @Override
    public Integer call() throws Exception {
      try (Lakehouse lakehouse = openLakehouse();
          ProvenanceClient chain = ChainSettings.client(settings(), false)) {
        SettleJob.Result r = new JobRunner(lakehouse, out()).run(
            new SettleJob(chain, AttributionOptions.from(settings())), new SettleJob.Params(epoch));
        out().printf("%d settlement(s): %d failed%n", r.outcomes().size(), r.failed());
        return r.failed() == 0 ? 0 : 1;
      }
    }
  }
}
