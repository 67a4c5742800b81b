package io.ledgerlake.provenance.chain;

/** The four deployed contracts, for administration calls that exist on each (pause, unpause). */
public enum ProvenanceContract {
  ASSET_REGISTRY("AssetRegistry"),
  RECEIPTS("Receipts"),
  REVENUE("Revenue"),
  LICENSING("Licensing");

  private final String contractName;

  ProvenanceContract(String contractName) {
    this.contractName = contractName;
  }

  public String contractName() {
    return contractName;
  }

  String address(Deployment d) {
    return switch (this) {
      case ASSET_REGISTRY -> d.assetRegistry();
      case RECEIPTS -> d.receipts();
      case REVENUE -> d.revenue();
      case LICENSING -> d.licensing();
    };
  }
}
