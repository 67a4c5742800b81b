package io.ledgerlake.provenance.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered version: its content commitment, the versions it was derived from, and every distinct ancestor
 * version (which each receive a royalty from payments for this version).
 */
public record AssetVersion(
    long versionId,
    long assetId,
    ContentCommitment commitment,
    List<Long> parents,
    List<Long> ancestors,
    int depth,
    int royaltyStackBps,
    Instant registeredAt) {
  public AssetVersion {
    Objects.requireNonNull(commitment, "commitment");
    parents = List.copyOf(parents);
    ancestors = List.copyOf(ancestors);
    Objects.requireNonNull(registeredAt, "registeredAt");
  }
}
