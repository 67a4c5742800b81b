package io.ledgerlake.jobs.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerlake.provenance.chain.ApiSettlement;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lineage split of a model settlement: what each receipt of each credited version may claim on chain. */
class ModelSharesTest {
  static final ModelShares.Receipt TRAINER = new ModelShares.Receipt("2", 1, "0xtrainer", "model_trainer", 10_000);
  static final List<ModelShares.Receipt> DATA = List.of(
      new ModelShares.Receipt("1", 1, "0xa", "data_provider", 3_334),
      new ModelShares.Receipt("1", 1, "0xb", "data_provider", 3_333),
      new ModelShares.Receipt("1", 1, "0xc", "data_provider", 3_333));

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
    // floor(20001 × bps / 10,000) each: 6668, 6666, 6666 — what owed() on chain gives, the dust stays in the pool.
    assertThat(shares.subList(1, 4)).extracting(ModelShares.Share::amountWei)
        .containsExactly(BigInteger.valueOf(6668), BigInteger.valueOf(6666), BigInteger.valueOf(6666));
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
  void royaltiesRoundTripThroughTheSettlementRow() {
    String text = ModelShares.formatRoyalties(List.of(new ApiSettlement.Royalty(1, new BigInteger("20000")),
        new ApiSettlement.Royalty(5, new BigInteger("7"))));
    assertThat(text).isEqualTo("1=20000,5=7");
    assertThat(ModelShares.parseRoyalties(text)).containsExactly(Map.entry("1", new BigInteger("20000")),
        Map.entry("5", BigInteger.valueOf(7)));
    assertThat(ModelShares.parseRoyalties(null)).isEmpty();
  }
}
