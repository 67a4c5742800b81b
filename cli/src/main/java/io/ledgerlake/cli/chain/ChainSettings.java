package io.ledgerlake.cli.chain;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.provenance.ProvenanceOptions;
import io.ledgerlake.provenance.chain.ProvenanceClient;
import io.ledgerlake.provenance.local.LocalChain;
import java.util.Map;
import java.util.Optional;

/**
 * Chain options with the CLI's precedence, and the client for commands that send transactions:
 * the chain at {@code ledgerlake.provenance.rpc-url} when one is configured, else the local anvil
 * chain of the data directory ({@code ledgerlake chain up}).
 */
public final class ChainSettings {
  private ChainSettings() {}

  public static ProvenanceOptions options(Settings settings) {
    // The chain's state lives under the platform's data directory unless the provenance key says otherwise.
    Settings withDataDir = settings.find(ProvenanceOptions.DATA_DIR).isPresent() ? settings
        : settings.withOverrides(Map.of(ProvenanceOptions.DATA_DIR, LakehouseOptions.from(settings).dataDir().toString()));
    return ProvenanceOptions.from(withDataDir);
  }

  /** True when the user points at an external chain rather than the local one. */
  public static boolean external(Settings settings) {
    return settings.find(ProvenanceOptions.RPC_URL).isPresent();
  }

  /**
   * A client for sending transactions.
   *
   * @param startLocal start the local chain if it is not running (the demo); otherwise a missing
   *     local chain is a user error that says how to start it
   */
  public static ProvenanceClient client(Settings settings, boolean startLocal) {
    ProvenanceOptions options = options(settings);
    if (external(settings)) {
      return ProvenanceClient.connect(options);
    }
    Optional<LocalChain.Running> running = LocalChain.running(options);
    if (running.isEmpty()) {
      if (!startLocal) {
        throw new LakehouseException(
            ErrorCategory.USER_ERROR,
            "no chain: start the local one with 'ledgerlake chain up', or set %s to an EVM node",
            ProvenanceOptions.RPC_URL);
      }
      running = Optional.of(LocalChain.up(options));
    }
    return LocalChain.client(options, running.get());
  }
}
