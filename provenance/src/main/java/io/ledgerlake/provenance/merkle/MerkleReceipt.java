package io.ledgerlake.provenance.merkle;

import io.ledgerlake.provenance.model.Addresses;
import io.ledgerlake.provenance.model.ContributorRole;
import java.util.List;
import java.util.Objects;

/**
 * One leaf of a version's receipt tree with its proof (sibling hashes from the leaf up, 0x-hex). This is what a
 * contributor needs to claim revenue ({@code ProvenanceClient.claimMerkle}) or mint its receipt token.
 */
public record MerkleReceipt(
    long versionId, int index, String account, ContributorRole role, int shareBps, int offsetBps, List<String> proof) {
  public MerkleReceipt {
    account = Addresses.normalize(account);
    Objects.requireNonNull(role, "role");
    proof = List.copyOf(proof);
  }
}
