package io.ledgerlake.provenance.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.provenance.ContractRevertedException;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseStatus;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.provenance.model.PartnershipState;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.testing.AnvilTestBase;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LicensingITCase extends AnvilTestBase {
  private static final BigInteger PRICE = BigInteger.valueOf(1_000_000);
  private long asset;
  private long version;
  private String buyer;

  @BeforeEach
  void publishAsset() {
    ProvenanceClient owner = client(1);
    asset = owner.registerAsset(AssetKind.DATASET, 0, "m").value();
    version = owner.publishVersion(asset, ContentCommitment.ofCidText("v1"), List.of(),
        List.of(new ReceiptShare(account(2), ContributorRole.DATA_PROVIDER, 10_000))).versionId();
    buyer = account(5);
  }

  @Test
  void fullAccessIsPerpetual() {
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE, Duration.ZERO, ""));
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.FULL_ACCESS)).isFalse();
    client(5).buyLicense(asset, LicenseKind.FULL_ACCESS, null, null);
    CHAIN.increaseTime(Duration.ofDays(3_650));
    LicenseStatus s = client(5).licenseStatus(asset, buyer);
    assertThat(s.valid()).containsExactly(LicenseKind.FULL_ACCESS);
    assertThat(s.fullAccess()).isTrue();
    assertThat(client(1).versionRevenue(version)).isEqualTo(PRICE);
  }

  @Test
  void paymentMustMatchThePriceExactly() {
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE, Duration.ZERO, ""));
    org.web3j.protocol.Web3j web3j = ProvenanceClient.openRpc(CHAIN.options());
    try {
      TransactionSender raw = new TransactionSender(web3j, org.web3j.crypto.Credentials.create(CHAIN.key(5)),
          CHAIN.options(), RevertDecoder.forProvenanceContracts());
      String data = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("buyFullAccess",
          List.of(new org.web3j.abi.datatypes.generated.Uint256(asset)), List.of()));
      assertThatThrownBy(() -> raw.send("Licensing", "buyFullAccess", CHAIN.deployment().licensing(), data,
          PRICE.subtract(BigInteger.ONE)))
          .hasMessageContaining("WrongPayment(expected=1000000, received=999999)")
          .hasMessageContaining("Pay exactly the price");
      assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.FULL_ACCESS)).isFalse();
    } finally {
      web3j.shutdown();
    }
  }

  @Test
  void licenseNotOfferedIsRejected() {
    assertThatThrownBy(() -> client(5).buyLicense(asset, LicenseKind.FULL_ACCESS, null, null))
        .isInstanceOfSatisfying(ContractRevertedException.class,
            e -> assertThat(e.errorName()).isEqualTo("LicenseNotOffered"));
  }

  @Test
  void longTermLicenseExpires() {
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.LONG_TERM, PRICE, Duration.ofDays(30), ""));
    client(5).buyLicense(asset, LicenseKind.LONG_TERM, null, null);
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.LONG_TERM)).isTrue();
    assertThat(client(5).licenseStatus(asset, buyer).longTermExpiresAt()).isPresent();
    assertThatThrownBy(() -> client(7).recordExpiry(asset, buyer, LicenseKind.LONG_TERM))
        .hasMessageContaining("NotExpired");

    CHAIN.increaseTime(Duration.ofDays(29));
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.LONG_TERM)).isTrue();
    CHAIN.increaseTime(Duration.ofDays(1).plusSeconds(1));
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.LONG_TERM)).isFalse();
    client(7).recordExpiry(asset, buyer, LicenseKind.LONG_TERM);
    assertThat(client(5).licenseStatus(asset, buyer).longTermExpiresAt()).isEmpty();
    // buying again starts a new period
    client(5).buyLicense(asset, LicenseKind.LONG_TERM, null, null);
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.LONG_TERM)).isTrue();
    assertThat(client(1).versionRevenue(version)).isEqualTo(PRICE.multiply(BigInteger.TWO));
  }

  @Test
  void apiUsageIsSettledOnlyByTheMeteringAddress() {
    BigInteger perCall = BigInteger.valueOf(1_000);
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.API, perCall, Duration.ZERO, ""));
    client(1).setMeter(asset, account(6));
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.API)).isFalse();
    client(5).buyLicense(asset, LicenseKind.API, BigInteger.valueOf(10_500), null);
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.API)).isTrue();

    for (int notMeter : new int[] {5, 1, 7}) {
      assertThatThrownBy(() -> client(notMeter).settleApiUsage(asset, buyer, 3))
          .isInstanceOfSatisfying(ContractRevertedException.class, e -> {
            assertThat(e.errorName()).isEqualTo("NotMeter");
            assertThat(e.getMessage()).contains("metering address");
          });
    }
    assertThat(client(6).settleApiUsage(asset, buyer, 10).value()).isEqualTo(BigInteger.valueOf(10_000));
    assertThat(client(5).licenseStatus(asset, buyer).apiBalanceWei()).isEqualTo(BigInteger.valueOf(500));
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.API)).isFalse(); // cannot pay one more call
    assertThat(client(1).versionRevenue(version)).isEqualTo(BigInteger.valueOf(10_000));
    assertThatThrownBy(() -> client(6).settleApiUsage(asset, buyer, 1))
        .hasMessageContaining("InsufficientApiBalance");
    client(5).withdrawApiBalance(asset, BigInteger.valueOf(500));
    assertThat(client(5).licenseStatus(asset, buyer).apiBalanceWei()).isZero();
  }

  @Test
  void partnershipWithoutApprovalGivesNoAccess() {
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.PARTNERSHIP, PRICE, Duration.ZERO,
        "bafy-terms"));
    assertThat(client(5).licenseTerms(asset, LicenseKind.PARTNERSHIP).termsCid()).isEqualTo("bafy-terms");
    client(5).buyLicense(asset, LicenseKind.PARTNERSHIP, null, "bafy-proposal");
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.PARTNERSHIP)).isFalse();
    assertThat(client(5).licenseStatus(asset, buyer).partnership()).isEqualTo(PartnershipState.REQUESTED);
    assertThat(client(1).versionRevenue(version)).isZero(); // fee held in escrow

    assertThatThrownBy(() -> client(5).approvePartnership(asset, buyer)).hasMessageContaining("NotAssetOwner");
    client(1).approvePartnership(asset, buyer);
    assertThat(client(5).hasValidLicense(asset, buyer, LicenseKind.PARTNERSHIP)).isTrue();
    assertThat(client(1).versionRevenue(version)).isEqualTo(PRICE);
    assertThat(client(7).hasValidLicense(asset, account(7), LicenseKind.PARTNERSHIP)).isFalse();
  }

  @Test
  void changedTermsApplyToNewPurchases() {
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE, Duration.ZERO, ""));
    client(1).setLicenseTerms(asset, LicenseTerms.offered(LicenseKind.FULL_ACCESS, PRICE.add(BigInteger.ONE),
        Duration.ZERO, ""));
    assertThat(client(5).licenseTerms(asset, LicenseKind.FULL_ACCESS).priceWei()).isEqualTo(PRICE.add(BigInteger.ONE));
    client(5).buyLicense(asset, LicenseKind.FULL_ACCESS, null, null);
    assertThat(client(1).versionRevenue(version)).isEqualTo(PRICE.add(BigInteger.ONE));
  }
}
