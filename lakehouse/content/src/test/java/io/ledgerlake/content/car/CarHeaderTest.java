package io.ledgerlake.content.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.content.multiformats.Base16;
import io.ledgerlake.content.multiformats.Cid;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarHeaderTest {
  private static final Cid V1 = Cid.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
  private static final Cid V0 = Cid.parse("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR");

  @Test
  void roundTripWithBothCidVersions() {
    CarHeader h = CarHeader.v1(List.of(V1, V0));
    assertThat(CarHeader.decode(h.encode())).isEqualTo(h);
  }

  @Test
  void canonicalDagCborEncoding() {
    // {"roots": [tag42(0x00 ++ cid)], "version": 1}: map(2), "roots" before "version" (shorter key first)
    String hex = Base16.encode(CarHeader.v1(List.of(V1)).encode());
    assertThat(hex).startsWith("a265726f6f747381d82a5825000170");
    assertThat(hex).endsWith("6776657273696f6e01");
  }

  @Test
  void rejectsMalformedHeaders() {
    assertThatThrownBy(() -> CarHeader.decode(Base16.decode("a1"))).isInstanceOf(IllegalArgumentException.class);
    // {"version": 1} without roots
    assertThatThrownBy(() -> CarHeader.decode(Base16.decode("a16776657273696f6e01"))).hasMessageContaining("no roots");
    // a CARv2 pragma decodes (version 2) so the importer can reject it by version
    assertThat(CarHeader.decode(Base16.decode("a16776657273696f6e02")).version()).isEqualTo(2);
  }
}
