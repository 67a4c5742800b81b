package io.ledgerlake.provenance.chain;

import io.ledgerlake.provenance.merkle.MerkleReceiptTree;
import io.ledgerlake.provenance.model.AssetKind;
import io.ledgerlake.provenance.model.ContentCommitment;
import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.LicenseKind;
import io.ledgerlake.provenance.model.LicenseTerms;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.model.ReceiptShares;
import io.ledgerlake.provenance.model.TxInfo;
import io.ledgerlake.provenance.testing.TestChain;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * Gas per provenance operation on a real anvil, as a ratio to a plain ether transfer (21,000 gas) measured in
 * the same run, plus wall times of the Java side of publishing. Prints a markdown table for docs/benchmarks.md.
 *
 * <pre>
 * mvn -B -q -pl provenance test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.ledgerlake.provenance.chain.ProvenanceGasBenchmark \
 *   -Dledgerlake.provenance.anvil.binary=provenance/contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
 * </pre>
 */
public final class ProvenanceGasBenchmark {
  private static final List<String[]> ROWS = new ArrayList<>();
  private static long baseline;

  private ProvenanceGasBenchmark() {}

  public static void main(String[] args) throws Exception {
    TestChain chain = TestChain.get();
    Web3j web3j = ProvenanceClient.openRpc(chain.options());
    TransactionSender plain = new TransactionSender(web3j, Credentials.create(chain.key(9)), chain.options(),
        RevertDecoder.forProvenanceContracts());
    baseline = plain.send("EOA", "transfer", chain.account(8), "0x", BigInteger.ONE).info().gasUsed();
    row("ether transfer (baseline)", baseline, "");

    ProvenanceClient owner = chain.client(1);
    ProvenanceClient buyer = chain.client(5);
    Submitted<Long> asset = owner.registerAsset(AssetKind.DATASET, 500, "bafy-metadata-cid");
    row("registerAsset", asset.tx().gasUsed(), "");
    Submitted<Long> v1 = owner.registerVersion(asset.value(), ContentCommitment.ofCidText(
        "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"), List.of());
    row("registerVersion, no parents", v1.tx().gasUsed(), "59-char CID text");
    long a2 = owner.registerAsset(AssetKind.MODEL, 300, "m2").value();
    Submitted<Long> v2 = owner.registerVersion(a2, ContentCommitment.ofCidText("bafy-v2"), List.of(v1.value()));
    row("registerVersion, 1 parent", v2.tx().gasUsed(), "");
    long a3 = owner.registerAsset(AssetKind.MODEL, 0, "m3").value();
    Submitted<Long> v3 = owner.registerVersion(a3, ContentCommitment.ofCidText("bafy-v3"), List.of(v2.value()));
    row("registerVersion, 2-level ancestry", v3.tx().gasUsed(), "2 ancestors");

    for (int n : new int[] {1, 10, 50, 100, 200}) {
      long a = owner.registerAsset(AssetKind.DATASET, 0, "n" + n).value();
      long v = owner.registerVersion(a, ContentCommitment.ofCidText("v" + n), List.of()).value();
      TxInfo tx = owner.recordReceipts(v, shares(n)).tx();
      row("recordReceipts, N=" + n + " (direct, soulbound tokens)", tx.gasUsed(),
          String.format("%,d gas per receipt", tx.gasUsed() / n));
    }
    long am = owner.registerAsset(AssetKind.DATASET, 0, "merkle").value();
    long vm = owner.registerVersion(am, ContentCommitment.ofCidText("vm"), List.of()).value();
    List<ReceiptShare> big = shares(10_000);
    long t0 = System.nanoTime();
    MerkleReceiptTree tree = MerkleReceiptTree.build(vm, big);
    long treeMs = (System.nanoTime() - t0) / 1_000_000;
    TxInfo root = owner.recordMerkleReceipts(vm, big).tx();
    row("recordMerkleRoot, N=10,000", root.gasUsed(), "independent of N");

    owner.setLicenseTerms(asset.value(), LicenseTerms.offered(LicenseKind.FULL_ACCESS, BigInteger.TEN.pow(15),
        Duration.ZERO, ""));
    owner.setLicenseTerms(asset.value(), LicenseTerms.offered(LicenseKind.LONG_TERM, BigInteger.TEN.pow(14),
        Duration.ofDays(365), ""));
    owner.setLicenseTerms(asset.value(), LicenseTerms.offered(LicenseKind.API, BigInteger.valueOf(1_000_000),
        Duration.ZERO, ""));
    owner.setLicenseTerms(asset.value(), LicenseTerms.offered(LicenseKind.PARTNERSHIP, BigInteger.TEN.pow(15),
        Duration.ZERO, "bafy-terms"));
    owner.setMeter(asset.value(), chain.account(6));
    owner.recordReceipts(v1.value(), shares(3));
    row("buy full access (version with 3 receipts, no ancestors)",
        buyer.buyLicense(asset.value(), LicenseKind.FULL_ACCESS, null, null).gasUsed(), "");
    row("buy long-term", buyer.buyLicense(asset.value(), LicenseKind.LONG_TERM, null, null).gasUsed(), "");
    row("API deposit", buyer.buyLicense(asset.value(), LicenseKind.API, BigInteger.TEN.pow(12), null).gasUsed(), "");
    row("settle API usage (meter)",
        chain.client(6).settleApiUsage(asset.value(), chain.account(5), 100).tx().gasUsed(), "100 calls");
    row("request partnership", buyer.buyLicense(asset.value(), LicenseKind.PARTNERSHIP, null, "p").gasUsed(), "");
    row("approve partnership", owner.approvePartnership(asset.value(), chain.account(5)).gasUsed(), "");
    owner.setLicenseTerms(a3, LicenseTerms.offered(LicenseKind.FULL_ACCESS, BigInteger.TEN.pow(15),
        Duration.ZERO, ""));
    row("buy full access (2 ancestors paid royalties)",
        buyer.buyLicense(a3, LicenseKind.FULL_ACCESS, null, null).gasUsed(), "");

    ProvenanceClient contributor = chain.client(2);
    row("claim, 1 receipt token", contributor.claim().orElseThrow().tx().gasUsed(), "");
    buyer.pay(am, BigInteger.TEN.pow(18));
    row("claimMerkle, N=10,000 (proof of 14 hashes)", buyer.claimMerkle(tree.receipt(1234)).tx().gasUsed(), "");
    row("mintFromProof, N=10,000", buyer.mintReceiptFromProof(tree.receipt(4321)).tx().gasUsed(), "");

    // Usage payouts: one root per epoch, whatever the number of contributors; a claim's proof grows as log2(N).
    ProvenanceClient platform = chain.client(0); // Revenue's owner
    long usageTreeMs = 0;
    io.ledgerlake.provenance.merkle.UsagePayoutTree payout10k = null;
    for (int n : new int[] {100, 10_000}) {
      Map<String, BigInteger> owed = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        owed.put(String.format("0x%040x", 0x9000_0000L + i), BigInteger.valueOf(1_000_000_007L + i));
      }
      long u0 = System.nanoTime();
      var t = io.ledgerlake.provenance.merkle.UsagePayoutTree.build(1_767_225_600L + n, owed);
      usageTreeMs = (System.nanoTime() - u0) / 1_000_000;
      row(String.format("commitUsagePayout, %,d contributors", n), platform.commitUsagePayout(t, x -> { }).gasUsed(),
          "one root per epoch, funded with the total");
      payout10k = t;
    }
    row("claimUsagePayout, 10,000 contributors (proof of 14 hashes)",
        buyer.claimUsagePayout(payout10k.leaf(4321)).tx().gasUsed(), "");
    platform.close();

    // Java side of publishing: shares for 100,000 accepted records by 10,000 providers, tree, and chain
    Random rnd = new Random(1);
    Map<String, Long> records = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      records.put(String.format("0x%040x", 0x7000_0000L + i), 0L);
    }
    List<String> keys = new ArrayList<>(records.keySet());
    for (int r = 0; r < 100_000; r++) {
      records.merge(keys.get(rnd.nextInt(keys.size())), 1L, Long::sum);
    }
    long s0 = System.nanoTime();
    List<ReceiptShare> proRata = ReceiptShares.proRata(records, ContributorRole.DATA_PROVIDER);
    long sharesMs = (System.nanoTime() - s0) / 1_000_000;
    long ap = owner.registerAsset(AssetKind.DATASET, 0, "publish").value();
    long p0 = System.nanoTime();
    PublishedVersion pv = owner.publishVersion(ap, ContentCommitment.ofCidText("bafy-100k"), List.of(), proRata);
    long publishMs = (System.nanoTime() - p0) / 1_000_000;

    System.out.println("| operation | gas | ratio to ether transfer | note |");
    System.out.println("| --- | ---: | ---: | --- |");
    for (String[] r : ROWS) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
    System.out.println();
    System.out.printf("Java side: Merkle tree of 10,000 receipts built in %d ms; pro-rata shares for 100,000 records"
        + " by 10,000 providers in %d ms (%d receipts with a positive share); publishVersion of that set "
        + "(register version + Merkle root, %s, 2 transactions, 1 confirmation on anvil) in %d ms.%n",
        treeMs, sharesMs, proRata.size(), pv.mode(), publishMs);
    System.out.printf("Usage payout tree of 10,000 contributors built in %d ms.%n", usageTreeMs);
    owner.close();
    buyer.close();
    contributor.close();
    web3j.shutdown();
    System.exit(0);
  }

  private static List<ReceiptShare> shares(int n) {
    List<ReceiptShare> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int share = 10_000 / n + (i < 10_000 % n ? 1 : 0);
      String who = i == 0 ? TestChain.get().account(2) : String.format("0x%040x", 0x6000_0000L + i);
      out.add(new ReceiptShare(who, ContributorRole.DATA_PROVIDER, share));
    }
    return out;
  }

  private static void row(String op, long gas, String note) {
    ROWS.add(new String[] {op, String.format("%,d", gas), String.format("%.2f", gas / (double) baseline), note});
  }
}
