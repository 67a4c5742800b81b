package io.ledgerlake.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.provenance.chain.ApiSettlement;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lineage split of a model settlement: what each receipt of each credited version may claim on chain. */
class ModelSharesTest {
  static final ModelShares.Receipt TRAINER = new ModelShares.Receipt(4, "2", 1, "0xtrainer", "model_trainer", 10_000);
  // Listed out of index order: the offsets follow the index.
  static final List<ModelShares.Receipt> DATA = List.of(
      new ModelShares.Receipt(2, "1", 1, "0xb", "data_provider", 3_333),
      new ModelShares.Receipt(1, "1", 1, "0xa", "data_provider", 3_334),
      new ModelShares.Receipt(3, "1", 1, "0xc", "data_provider", 3_333));

  static ModelShares.Settled settled(String net, Map<String, BigInteger> royalties) {
    return new ModelShares.Settled("e/2/0xl", "e", "2", "0xtx", "2", new BigInteger(net), royalties);
  }

  @Test
  void theNetGoesToTheModelsReceiptsAndEachRoyaltyToItsVersionsReceiptsAsRevenueLetsThemClaim() {
    var s = settled("180001", Map.of("1", new BigInteger("20001")));
    List<ModelShares.Share> shares = ModelShares.split(s, Map.of("2", List.of(TRAINER), "1", DATA));
    assertThat(shares).hasSize(4);
    assertThat(shares.get(0).reason()).isEqualTo(ModelShares.DIRECT);
    assertThat(shares.get(0).amountWei()).isEqualTo(new BigInteger("180001"));
    // Revenue's rule, receipt ranges [0, 3334), [3334, 6667), [6667, 10000) of 20001: 6668, 6666, 6667 — the sum is
    // the royalty exactly (a plain floor of each would leave 1 wei unattributed).
    assertThat(shares.subList(1, 4)).extracting(sh -> sh.receipt().recipient()).containsExactly("0xa", "0xb", "0xc");
    assertThat(shares.subList(1, 4)).extracting(ModelShares.Share::amountWei)
        .containsExactly(BigInteger.valueOf(6668), BigInteger.valueOf(6666), BigInteger.valueOf(6667));
    assertThat(shares.subList(1, 4)).allSatisfy(sh -> assertThat(sh.reason()).isEqualTo(ModelShares.ROYALTY));
  }

  @Test
  void aCreditedVersionWithoutIndexedReceiptsWaitsAndAZeroCreditNeedsNone() {
    var s = settled("180000", Map.of("1", new BigInteger("20000")));
    assertThat(ModelShares.split(s, Map.of("2", List.of(TRAINER)))).as("the dataset's receipts not indexed yet")
        .isNull();
    assertThat(ModelShares.split(settled("0", Map.of()), Map.of())).isEmpty();
  }

  @Test
  void amountsSumToEachCreditExactlyInRandomSplits() {
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 1_000; round++) {
      int n = 1 + random.nextInt(12);
      List<ModelShares.Receipt> receipts = new java.util.ArrayList<>();
      int left = 10_000;
      for (int i = 0; i < n; i++) {
        int bps = i == n - 1 ? left : random.nextInt(left + 1);
        left -= bps;
        receipts.add(new ModelShares.Receipt(i, "1", 1, "0x" + i, "data_provider", bps));
      }
      BigInteger royalty = new BigInteger(60, random);
      BigInteger net = new BigInteger(60, random);
      var shares = ModelShares.split(settled(net.toString(), Map.of("1", royalty)),
          Map.of("2", List.of(TRAINER), "1", receipts));
      assertThat(shares.stream().filter(sh -> sh.reason().equals(ModelShares.ROYALTY))
          .map(ModelShares.Share::amountWei).reduce(BigInteger.ZERO, BigInteger::add)).isEqualTo(royalty);
      assertThat(shares.get(0).amountWei()).isEqualTo(net);
    }
    assertThat(ModelShares.receiptIndex("17")).isEqualTo(17);
    assertThat(ModelShares.receiptIndex("merkle:0xabc:5")).isEqualTo(5);
  }

  @Test
  void royaltiesRoundTripThroughTheSettlementRow() {
    String text = ModelShares.formatRoyalties(List.of(new ApiSettlement.Royalty(1, new BigInteger("20000")),
        new ApiSettlement.Royalty(5, new BigInteger("7"))));
    assertThat(text).isEqualTo("1=20000,5=7");
    assertThat(ModelShares.parseRoyalties(text)).containsExactly(Map.entry("1", new BigInteger("20000")),
        Map.entry("5", BigInteger.valueOf(7)));
    assertThat(ModelShares.parseRoyalties(null)).isEmpty();
  }
}
