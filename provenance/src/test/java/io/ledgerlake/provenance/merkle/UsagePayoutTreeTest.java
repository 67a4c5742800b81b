package io.ledgerlake.provenance.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsagePayoutTreeTest {
  static final String A = "0x00000000000000000000000000000000000000aa";
  static final String B = "0x00000000000000000000000000000000000000BB";
  static final String C = "0x00000000000000000000000000000000000000cc";

  @Test
  void theRootDependsOnlyOnWhatEachAccountIsOwedNotOnInputOrderOrCase() {
    Map<String, BigInteger> one = new LinkedHashMap<>();
    one.put(C, BigInteger.valueOf(3));
    one.put(A, BigInteger.valueOf(1));
    one.put(B, BigInteger.valueOf(2));
    Map<String, BigInteger> two = new LinkedHashMap<>();
    two.put(B.toLowerCase(), BigInteger.valueOf(2));
    two.put(A, BigInteger.valueOf(1));
    two.put(C, BigInteger.valueOf(3));
    two.put("0x00000000000000000000000000000000000000dd", BigInteger.ZERO); // owed nothing: no leaf
    UsagePayoutTree t1 = UsagePayoutTree.build(86_400, one);
    UsagePayoutTree t2 = UsagePayoutTree.build(86_400, two);
    assertThat(t1.rootHex()).isEqualTo(t2.rootHex());
    assertThat(t2.size()).isEqualTo(3);
    assertThat(t1.total()).isEqualTo(6);
    assertThat(t1.entries()).extracting(Map.Entry::getKey).containsExactly(A, B.toLowerCase(), C);
    // another epoch, same amounts: another root (a proof never carries over to another epoch)
    assertThat(UsagePayoutTree.build(2 * 86_400, one).rootHex()).isNotEqualTo(t1.rootHex());
  }

  @Test
  void everyProofVerifiesAndATamperedLeafDoesNot() {
    Map<String, BigInteger> owed = new LinkedHashMap<>();
    for (int i = 0; i < 37; i++) {
      owed.put(String.format("0x%040x", 1000 + i), BigInteger.valueOf(i + 1));
    }
    UsagePayoutTree tree = UsagePayoutTree.build(0, owed);
    for (int i = 0; i < tree.size(); i++) {
      assertThat(UsagePayoutTree.verify(tree.root(), tree.leaf(i))).as("leaf %d", i).isTrue();
    }
    UsagePayoutTree.Leaf l = tree.leafOf(String.format("0x%040x", 1005)).orElseThrow();
    assertThat(l.amountWei()).isEqualTo(6);
    assertThat(UsagePayoutTree.verify(tree.root(), new UsagePayoutTree.Leaf(0, l.account(), BigInteger.valueOf(7),
        l.proof()))).isFalse();
    assertThat(UsagePayoutTree.verify(tree.root(), new UsagePayoutTree.Leaf(1, l.account(), l.amountWei(),
        l.proof()))).isFalse();
    assertThat(tree.leafOf(A)).isEmpty();
  }

  @Test
  void anAccountListedTwiceGetsTheSumAndNothingToPayIsAnError() {
    Map<String, BigInteger> owed = new LinkedHashMap<>();
    owed.put(A, BigInteger.TEN);
    owed.put(A.toUpperCase().replace("0X", "0x"), BigInteger.ONE);
    assertThat(UsagePayoutTree.build(0, owed).leafOf(A).orElseThrow().amountWei()).isEqualTo(11);
    assertThatThrownBy(() -> UsagePayoutTree.build(0, Map.of(A, BigInteger.ZERO)))
        .hasMessageContaining("no positive amount");
    assertThatThrownBy(() -> UsagePayoutTree.build(0, Map.of(A, BigInteger.valueOf(-1))))
        .hasMessageContaining("negative");
  }
}
