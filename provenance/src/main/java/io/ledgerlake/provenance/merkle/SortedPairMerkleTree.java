package io.ledgerlake.provenance.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * The Merkle tree every provenance tree is built on, hashed as {@code SortedPairMerkle.sol} verifies it: an inner
 * node is {@code keccak256(min(a, b) ++ max(a, b))} (bytes compared as unsigned big-endian), so a proof is the
 * sibling hashes from the leaf up, without directions. A level with an odd number of nodes promotes its last node
 * unchanged. The leaves are already hashed by the caller (its versioned leaf format). Immutable.
 */
public final class SortedPairMerkleTree {
  private final List<byte[][]> levels; // levels.get(0) = leaves, last = {root}

  private SortedPairMerkleTree(List<byte[][]> levels) {
    this.levels = levels;
  }

  /** Builds the tree over {@code leaves} (32-byte hashes, at least one); the array is copied. */
  public static SortedPairMerkleTree build(byte[][] leaves) {
    if (leaves.length == 0) {
      throw new IllegalArgumentException("A Merkle tree needs at least one leaf");
    }
    List<byte[][]> built = new ArrayList<>();
    byte[][] level = leaves.clone();
    built.add(level);
    while (level.length > 1) {
      byte[][] next = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < level.length; i += 2) {
        next[i / 2] = i + 1 < level.length ? hashPair(level[i], level[i + 1]) : level[i];
      }
      built.add(next);
      level = next;
    }
    return new SortedPairMerkleTree(List.copyOf(built));
  }

  public int size() {
    return levels.get(0).length;
  }

  public byte[] root() {
    return levels.get(levels.size() - 1)[0].clone();
  }

  public String rootHex() {
    return hex(levels.get(levels.size() - 1)[0]);
  }

  /** The proof of leaf {@code index}: sibling hashes from the leaf up, 0x-hex. */
  public List<String> proof(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("No leaf " + index + " in a tree of " + size());
    }
    List<String> proof = new ArrayList<>();
    int pos = index;
    for (int l = 0; l < levels.size() - 1; l++) {
      byte[][] level = levels.get(l);
      int sibling = pos ^ 1;
      if (sibling < level.length) {
        proof.add(hex(level[sibling]));
      }
      pos /= 2;
    }
    return List.copyOf(proof);
  }

  /** The root that {@code proof} leads to from {@code leaf}, as the contracts compute it. */
  public static byte[] rootOf(byte[] leaf, List<String> proof) {
    byte[] node = leaf;
    for (String p : proof) {
      node = hashPair(node, HexFormat.of().parseHex(p.substring(2)));
    }
    return node;
  }

  /** True when {@code proof} leads from {@code leaf} to {@code root}. */
  public static boolean verify(byte[] root, byte[] leaf, List<String> proof) {
    return Arrays.equals(rootOf(leaf, proof), root);
  }

  /** keccak256(keccak256(words)): leaves are hashed twice so that a 64-byte inner node is never a valid leaf. */
  public static byte[] leafOf(byte[] abiEncodedWords) {
    return Hash.sha3(Hash.sha3(abiEncodedWords));
  }

  /** Writes {@code value} (non-negative, at most 256 bits) as ABI word {@code slot} of {@code out}. */
  public static void word(byte[] out, int slot, java.math.BigInteger value) {
    byte[] b = value.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, slot * 32 + 32 - len, len);
  }

  static String hex(byte[] b) {
    return "0x" + HexFormat.of().formatHex(b);
  }

  private static byte[] hashPair(byte[] a, byte[] b) {
    byte[] joined = new byte[64];
    boolean aFirst = Arrays.compareUnsigned(a, b) < 0;
    System.arraycopy(aFirst ? a : b, 0, joined, 0, 32);
    System.arraycopy(aFirst ? b : a, 0, joined, 32, 32);
    return Hash.sha3(joined);
  }
}
