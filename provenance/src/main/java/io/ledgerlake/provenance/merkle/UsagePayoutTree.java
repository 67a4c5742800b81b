package io.ledgerlake.provenance.merkle;

import io.ledgerlake.provenance.model.Addresses;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Merkle tree of one epoch's usage payout, hashed as {@code Revenue.sol} verifies it (leaf format version
 * {@value #LEAF_VERSION}, docs/decisions/attribution-merkle-payout.md):
 *
 * <pre>
 * leaf = keccak256(keccak256(abi.encode(uint256 1, uint256 epoch, address account, uint256 amount)))
 * </pre>
 *
 * with {@code epoch} the epoch's start in Unix seconds, one leaf per account (its amounts summed), leaves in
 * ascending order of the lower-case 0x address, over a {@link SortedPairMerkleTree}. Anyone holding the epoch's
 * (account, amount) list rebuilds the same root. Immutable.
 */
public final class UsagePayoutTree {
  public static final int LEAF_VERSION = 1;

  /** One account's leaf with its proof (0x-hex sibling hashes from the leaf up). */
  public record Leaf(long epoch, String account, BigInteger amountWei, List<String> proof) {
    public Leaf {
      account = Addresses.normalize(account);
      Objects.requireNonNull(amountWei, "amountWei");
      proof = List.copyOf(proof);
    }
  }

  private final long epoch;
  private final List<String> accounts;
  private final List<BigInteger> amounts;
  private final Map<String, Integer> index;
  private final BigInteger total;
  private final SortedPairMerkleTree tree;

  private UsagePayoutTree(long epoch, TreeMap<String, BigInteger> owed) {
    this.epoch = epoch;
    this.accounts = List.copyOf(owed.keySet());
    this.amounts = List.copyOf(owed.values());
    this.index = new HashMap<>();
    byte[][] leaves = new byte[accounts.size()][];
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < leaves.length; i++) {
      index.put(accounts.get(i), i);
      leaves[i] = leafHash(epoch, accounts.get(i), amounts.get(i));
      sum = sum.add(amounts.get(i));
    }
    this.total = sum;
    this.tree = SortedPairMerkleTree.build(leaves);
  }

  /**
   * Builds the tree of {@code epoch} (start, Unix seconds) from what each account is owed; an account listed
   * twice gets the sum. Zero amounts are left out (nothing to claim); at least one positive amount is needed.
   */
  public static UsagePayoutTree build(long epoch, Map<String, BigInteger> owed) {
    TreeMap<String, BigInteger> byAccount = new TreeMap<>();
    owed.forEach((account, amount) -> {
      if (amount.signum() < 0) {
        throw new IllegalArgumentException("negative amount " + amount + " for " + account);
      }
      byAccount.merge(Addresses.normalize(account), amount, BigInteger::add);
    });
    byAccount.values().removeIf(a -> a.signum() == 0);
    if (byAccount.isEmpty()) {
      throw new IllegalArgumentException("epoch " + epoch + " has no positive amount to pay out");
    }
    return new UsagePayoutTree(epoch, byAccount);
  }

  public long epoch() {
    return epoch;
  }

  public int size() {
    return accounts.size();
  }

  /** Sum of the leaves' amounts: what the root must be funded with. */
  public BigInteger total() {
    return total;
  }

  public byte[] root() {
    return tree.root();
  }

  public String rootHex() {
    return tree.rootHex();
  }

  /** Leaf {@code i} (in address order) with its proof. */
  public Leaf leaf(int i) {
    return new Leaf(epoch, accounts.get(i), amounts.get(i), tree.proof(i));
  }

  /** The leaf of {@code account}, if it is owed anything in this epoch. */
  public java.util.Optional<Leaf> leafOf(String account) {
    Integer i = index.get(Addresses.normalize(account));
    return i == null ? java.util.Optional.empty() : java.util.Optional.of(leaf(i));
  }

  /** Every (account, amount), in leaf order. */
  public List<Map.Entry<String, BigInteger>> entries() {
    List<Map.Entry<String, BigInteger>> out = new ArrayList<>();
    for (int i = 0; i < accounts.size(); i++) {
      out.add(Map.entry(accounts.get(i), amounts.get(i)));
    }
    return out;
  }

  /** Checks a leaf's proof against {@code root} as the contract does. */
  public static boolean verify(byte[] root, Leaf leaf) {
    return SortedPairMerkleTree.verify(root, leafHash(leaf.epoch(), leaf.account(), leaf.amountWei()), leaf.proof());
  }

  static byte[] leafHash(long epoch, String account, BigInteger amount) {
    byte[] encoded = new byte[4 * 32];
    SortedPairMerkleTree.word(encoded, 0, BigInteger.valueOf(LEAF_VERSION));
    SortedPairMerkleTree.word(encoded, 1, BigInteger.valueOf(epoch));
    SortedPairMerkleTree.word(encoded, 2, new BigInteger(account.substring(2), 16));
    SortedPairMerkleTree.word(encoded, 3, amount);
    return SortedPairMerkleTree.leafOf(encoded);
  }
}
