package io.ledgerlake.provenance.merkle;

import io.ledgerlake.provenance.model.ContributorRole;
import io.ledgerlake.provenance.model.ReceiptShare;
import io.ledgerlake.provenance.model.ReceiptShares;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle tree over a version's receipts, hashed exactly as {@code Receipts.sol} verifies them
 * (docs/decisions/provenance-merkle-leaf-format.md):
 *
 * <pre>
 * leaf = keccak256(keccak256(abi.encode(uint256 versionId, uint256 index, address account,
 *                                       uint8 role, uint16 shareBps, uint16 offsetBps)))
 * </pre>
 *
 * over a {@link SortedPairMerkleTree}. Leaf i covers the basis-point range
 * [offset_i, offset_i + share_i) with offsets assigned in list order, so the ranges tile 0..10,000.
 */
public final class MerkleReceiptTree {
  private final long versionId;
  private final List<ReceiptShare> shares;
  private final int[] offsets;
  private final SortedPairMerkleTree tree;

  private MerkleReceiptTree(long versionId, List<ReceiptShare> shares) {
    this.versionId = versionId;
    this.shares = List.copyOf(shares);
    this.offsets = ReceiptShares.offsets(this.shares);
    byte[][] leaves = new byte[this.shares.size()][];
    for (int i = 0; i < leaves.length; i++) {
      ReceiptShare s = this.shares.get(i);
      leaves[i] = leafHash(versionId, i, s.contributor(), s.role(), s.shareBps(), offsets[i]);
    }
    this.tree = SortedPairMerkleTree.build(leaves);
  }

  /**
   * Builds the tree; shares must be positive and sum to exactly 10,000 basis points (the contract cannot check
   * this for a Merkle root, so it is checked here).
   */
  public static MerkleReceiptTree build(long versionId, List<ReceiptShare> shares) {
    if (versionId <= 0) {
      throw new IllegalArgumentException("versionId must be positive, got " + versionId);
    }
    if (shares.isEmpty()) {
      throw new IllegalArgumentException("A receipt tree needs at least one share");
    }
    for (int i = 0; i < shares.size(); i++) {
      if (shares.get(i).shareBps() == 0) {
        throw new IllegalArgumentException("Share " + i + " (" + shares.get(i).contributor() + ") is 0 bps");
      }
    }
    int sum = ReceiptShares.sumBps(shares);
    if (sum != ReceiptShare.TOTAL_BPS) {
      throw new IllegalArgumentException(
          "Shares of version " + versionId + " sum to " + sum + " bps; they must sum to exactly 10000");
    }
    return new MerkleReceiptTree(versionId, shares);
  }

  public long versionId() {
    return versionId;
  }

  public int size() {
    return shares.size();
  }

  public byte[] root() {
    return tree.root();
  }

  public String rootHex() {
    return tree.rootHex();
  }

  /** Leaf {@code index} with its proof. */
  public MerkleReceipt receipt(int index) {
    if (index < 0 || index >= shares.size()) {
      throw new IndexOutOfBoundsException("No receipt " + index + " in a tree of " + shares.size());
    }
    List<String> proof = tree.proof(index);
    ReceiptShare s = shares.get(index);
    return new MerkleReceipt(versionId, index, s.contributor(), s.role(), s.shareBps(), offsets[index], proof);
  }

  /** All leaves of one account (an account may appear more than once, e.g. in two roles). */
  public List<MerkleReceipt> receiptsOf(String account) {
    List<MerkleReceipt> out = new ArrayList<>();
    for (int i = 0; i < shares.size(); i++) {
      if (shares.get(i).contributor().equalsIgnoreCase(account)) {
        out.add(receipt(i));
      }
    }
    return out;
  }

  /** Checks a proof the way the contract does. */
  public static boolean verify(byte[] root, MerkleReceipt r) {
    return SortedPairMerkleTree.verify(root,
        leafHash(r.versionId(), r.index(), r.account(), r.role(), r.shareBps(), r.offsetBps()), r.proof());
  }

  static byte[] leafHash(long versionId, int index, String account, ContributorRole role, int share, int offset) {
    byte[] encoded = new byte[6 * 32];
    SortedPairMerkleTree.word(encoded, 0, BigInteger.valueOf(versionId));
    SortedPairMerkleTree.word(encoded, 1, BigInteger.valueOf(index));
    SortedPairMerkleTree.word(encoded, 2, new BigInteger(account.substring(2), 16));
    SortedPairMerkleTree.word(encoded, 3, BigInteger.valueOf(role.code()));
    SortedPairMerkleTree.word(encoded, 4, BigInteger.valueOf(share));
    SortedPairMerkleTree.word(encoded, 5, BigInteger.valueOf(offset));
    return SortedPairMerkleTree.leafOf(encoded);
  }
}
