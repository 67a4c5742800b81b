package io.ledgerlake.provenance.model;

import java.util.Objects;

/** An asset as registered on chain. {@code latestVersionId} is 0 while it has no version. */
public record Asset(
    long assetId,
    String owner,
    AssetKind kind,
    int royaltyBps,
    long latestVersionId,
    int versionCount,
    String metadataCid) {
  public Asset {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(metadataCid, "metadataCid");
  }
}
