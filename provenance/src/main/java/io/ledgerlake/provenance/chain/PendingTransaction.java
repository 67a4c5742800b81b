package io.ledgerlake.provenance.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A signed transaction whose hash and nonce were fixed before it was handed to the node. Keeping the signed bytes
 * makes every retry idempotent: rebroadcasting them can only ever execute once, because the nonce is fixed.
 *
 * @param from sender address (0x, lower case)
 * @param nonce account nonce the transaction uses
 * @param hash transaction hash, computed locally from the signed bytes
 * @param signedRawTransaction the signed transaction, 0x-hex, exactly as sent
 * @param operation what the transaction does, for messages (e.g. "AssetRegistry.registerVersion")
 */
public record PendingTransaction(
    String from, BigInteger nonce, String hash, String signedRawTransaction, String operation) {
  public PendingTransaction {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(signedRawTransaction, "signedRawTransaction");
    Objects.requireNonNull(operation, "operation");
  }

  @Override
  public String toString() {
    return operation + " tx " + hash + " (nonce " + nonce + " from " + from + ")";
  }
}
