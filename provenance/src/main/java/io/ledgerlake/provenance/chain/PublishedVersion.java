package io.ledgerlake.provenance.chain;

import io.ledgerlake.provenance.merkle.MerkleReceiptTree;
import io.ledgerlake.provenance.model.ReceiptMode;
import io.ledgerlake.provenance.model.TxInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A version registered together with its receipts. For {@link ReceiptMode#DIRECT} the receipt tokens are
 * {@code tokenIds}; for {@link ReceiptMode#MERKLE} only the root is on chain and {@code tree} holds every
 * contributor's proof, which the publisher must store (e.g. next to the version manifest) for claims.
 */
public record PublishedVersion(
    long versionId,
    ReceiptMode mode,
    List<Long> tokenIds,
    Optional<MerkleReceiptTree> tree,
    TxInfo versionTx,
    TxInfo receiptsTx) {
  public PublishedVersion {
    Objects.requireNonNull(mode, "mode");
    tokenIds = List.copyOf(tokenIds);
    Objects.requireNonNull(tree, "tree");
    Objects.requireNonNull(versionTx, "versionTx");
    Objects.requireNonNull(receiptsTx, "receiptsTx");
  }
}
