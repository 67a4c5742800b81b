package io.ledgerlake.provenance.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptSharesTest {
  static String addr(int i) {
    return String.format("0x%040x", i);
  }

  @Test
  void proRataSumsToExactly10000WithLargestRemainders() {
    Map<String, Long> w = new LinkedHashMap<>();
    w.put(addr(1), 1L);
    w.put(addr(2), 1L);
    w.put(addr(3), 1L);
    List<ReceiptShare> s = ReceiptShares.proRata(w, ContributorRole.DATA_PROVIDER);
    assertThat(s).extracting(ReceiptShare::shareBps).containsExactly(3_334, 3_333, 3_333);
    assertThat(ReceiptShares.sumBps(s)).isEqualTo(10_000);
    assertThat(ReceiptShares.offsets(s)).containsExactly(0, 3_334, 6_667);

    w.put(addr(4), 997L); // 1000 records in total
    s = ReceiptShares.proRata(w, ContributorRole.DATA_PROVIDER);
    assertThat(s).extracting(ReceiptShare::shareBps).containsExactly(10, 10, 10, 9_970);
  }

  @Test
  void contributorsRoundedToZeroAreLeftOut() {
    Map<String, Long> w = new LinkedHashMap<>();
    w.put(addr(1), 1_000_000L);
    w.put(addr(2), 1L);
    w.put(addr(3), 0L);
    List<ReceiptShare> s = ReceiptShares.proRata(w, ContributorRole.ANNOTATOR);
    assertThat(s).extracting(ReceiptShare::contributor).containsExactly(addr(1));
    assertThat(s.get(0).shareBps()).isEqualTo(10_000);
    assertThatThrownBy(() -> ReceiptShares.proRata(Map.of(addr(1), 0L), ContributorRole.OWNER))
        .hasMessageContaining("at least one positive weight");
  }
}
