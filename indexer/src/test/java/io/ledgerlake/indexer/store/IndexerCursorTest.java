package io.ledgerlake.indexer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.indexer.IndexerStateException;
import io.ledgerlake.indexer.store.IndexerCursor.BlockHash;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexerCursorTest {
  private static final IndexerCursor CURSOR = new IndexerCursor(31337, 12, "0xc", 1_700_000_012, 15,
      List.of(new BlockHash(12, "0xc"), new BlockHash(10, "0xa")));

  @Test
  void roundTripsThroughJson() {
    IndexerCursor back = IndexerCursor.fromJson(CURSOR.toJson());
    assertThat(back).isEqualTo(CURSOR);
    assertThat(back.recent()).extracting(BlockHash::number).containsExactly(10L, 12L);
  }

  @Test
  void roundTripsACursorBeforeGenesis() {
    IndexerCursor genesis = new IndexerCursor(1, -1, null, 0, -1, List.of());
    assertThat(IndexerCursor.fromJson(genesis.toJson())).isEqualTo(genesis);
  }

  @Test
  void readsTheVersionOneFormat() {
    String v1 = "{\"v\":1,\"chainId\":5,\"block\":7,\"hash\":\"0x7\",\"time\":70,\"head\":9,"
        + "\"recent\":[[6,\"0x6\"],[7,\"0x7\"]]}";
    assertThat(IndexerCursor.fromJson(v1)).isEqualTo(
        new IndexerCursor(5, 7, "0x7", 70, 9, List.of(new BlockHash(6, "0x6"), new BlockHash(7, "0x7"))));
  }

  @Test
  void refusesUnknownVersions() {
    assertThatThrownBy(() -> IndexerCursor.fromJson("{\"v\":2}"))
        .isInstanceOf(IndexerStateException.class).hasMessageContaining("format version 2");
    assertThatThrownBy(() -> IndexerCursor.fromJson("not json")).isInstanceOf(IndexerStateException.class);
  }

  @Test
  void advanceKeepsTheNewestHashesOnly() {
    IndexerCursor next = CURSOR.advance(20, "0x14", 1_700_000_020, 25,
        List.of(new BlockHash(14, "0xe"), new BlockHash(14, "0xe"), new BlockHash(17, "0x11")), 3);
    assertThat(next.block()).isEqualTo(20);
    assertThat(next.head()).isEqualTo(25);
    assertThat(next.recent()).containsExactly(new BlockHash(14, "0xe"), new BlockHash(17, "0x11"),
        new BlockHash(20, "0x14"));
  }

  @Test
  void rollBackForgetsHashesAboveTheForkPoint() {
    IndexerCursor back = CURSOR.rollBackTo(new BlockHash(10, "0xa"), 1_700_000_010, 11);
    assertThat(back.block()).isEqualTo(10);
    assertThat(back.hash()).isEqualTo("0xa");
    assertThat(back.head()).isEqualTo(11);
    assertThat(back.recent()).containsExactly(new BlockHash(10, "0xa"));
  }
}
