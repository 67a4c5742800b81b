package io.ledgerlake.cli.chain;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.TxInfo;
import java.math.BigInteger;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "license",
    mixinStandardHelpOptions = true,
    description = "Buy or approve licenses: partnership, api (per call), full (perpetual), longterm (fixed duration).",
    subcommands = {LicenseCommand.Buy.class, LicenseCommand.Approve.class})
public final class LicenseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: buy or approve");
  }

  static LicenseKind kind(String text) {
    try {
      return LicenseKind.fromCliName(text.toLowerCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "unknown license kind '%s'; use partnership, api, full or longterm", text);
    }
  }

  @Command(
      name = "buy",
      mixinStandardHelpOptions = true,
      description = {
        "Buy a license for an asset at the owner's terms. api: --deposit-wei prepays calls;",
        "partnership: --proposal names the terms CID and waits for the owner's approval."
      })
  public static final class Buy extends LakehouseCommand {
    @Option(names = "--asset", required = true, description = "On-chain asset id.")
    long asset;

    @Option(names = "--kind", required = true, description = "partnership | api | full | longterm")
    String kind;

    @Option(names = "--deposit-wei", defaultValue = "0", description = "Prepaid balance for api licenses, in wei.")
    BigInteger deposit;

    @Option(names = "--proposal", description = "CID of proposed custom terms (partnership).")
    String proposal;

    @Override
    public Integer call() {
      LicenseKind k = kind(kind);
      try (ProvenanceClient chain = ChainSettings.client(settings(), false)) {
        TxInfo tx = chain.buyLicense(asset, k, deposit, proposal);
        out().printf("%s license for asset %d: tx %s (block %d)%n", k, asset, tx.hash(), tx.blockNumber());
        out().printf("valid now: %s%n", chain.hasValidLicense(asset, chain.account(), k));
      }
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a partnership request (asset owner only).")
  public static final class Approve extends LakehouseCommand {
    @Option(names = "--asset", required = true, description = "On-chain asset id.")
    long asset;

    @Option(names = "--partner", required = true, description = "Address that requested the partnership.")
    String partner;

    @Override
    public Integer call() {
      try (ProvenanceClient chain = ChainSettings.client(settings(), false)) {
        TxInfo tx = chain.approvePartnership(asset, partner);
        out().printf("Approved partnership of %s on asset %d: tx %s%n", partner, asset, tx.hash());
      }
      return 0;
    }
  }
}
