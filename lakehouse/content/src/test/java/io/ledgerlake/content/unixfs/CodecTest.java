package io.ledgerlake.content.unixfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.content.multiformats.Base16;
import io.ledgerlake.content.multiformats.Cid;
import io.ledgerlake.content.multiformats.Multicodec;
import io.ledgerlake.content.multiformats.Multihash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static final Cid CHILD = Cid.v1(Multicodec.RAW, Multihash.sha256(new byte[] {1}));

  @Test
  void emptyV0FileLeafIsTheWellKnownBlock() {
    // ipfs add of an empty file (CIDv0) gives QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH: 0a 04 08 02 18 00
    byte[] block = DagPb.encode(new PbNode(UnixFsData.file(null, 0, List.of()).encode(), List.of()));
    assertThat(Base16.encode(block)).isEqualTo("0a0408021800");
    assertThat(Cid.v0(Multihash.sha256(block)).toString()).isEqualTo("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH");
  }

  @Test
  void emptyDirectoryIsTheWellKnownBlock() {
    byte[] block = DagPb.encode(new PbNode(UnixFsData.directory().encode(), List.of()));
    assertThat(Base16.encode(block)).isEqualTo("0a020801");
    assertThat(Cid.v0(Multihash.sha256(block)).toString()).isEqualTo("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
  }

  @Test
  void dagPbRoundTripKeepsLinksBeforeData() {
    PbNode node = new PbNode(UnixFsData.file(null, 3, List.of(1L, 2L)).encode(),
        List.of(new PbLink(CHILD, "", 1L), new PbLink(CHILD, "named", 2L)));
    byte[] bytes = DagPb.encode(node);
    assertThat(bytes[0]).isEqualTo((byte) 0x12); // first field is a link
    assertThat(DagPb.encodedSize(node)).isEqualTo(bytes.length);
    PbNode back = DagPb.decode(bytes);
    assertThat(back.links()).isEqualTo(node.links());
    assertThat(back.data()).isEqualTo(node.data());
    assertThat(DagPb.encode(back)).isEqualTo(bytes);
    UnixFsData data = UnixFsData.decode(back.data());
    assertThat(data.type()).isEqualTo(UnixFsData.Type.FILE);
    assertThat(data.filesize()).isEqualTo(3L);
    assertThat(data.blocksizes()).containsExactly(1L, 2L);
  }

  @Test
  void dagPbDecoderRejectsDataBeforeLinks() {
    byte[] data = UnixFsData.directory().encode();
    byte[] link = DagPb.encode(new PbNode(null, List.of(new PbLink(CHILD, "a", 1L))));
    byte[] dataFirst = new byte[2 + data.length + link.length];
    dataFirst[0] = 0x0a;
    dataFirst[1] = (byte) data.length;
    System.arraycopy(data, 0, dataFirst, 2, data.length);
    System.arraycopy(link, 0, dataFirst, 2 + data.length, link.length);
    assertThatThrownBy(() -> DagPb.decode(dataFirst)).hasMessageContaining("after the Data field");
  }

  @Test
  void unixFsHamtRoundTrip() {
    UnixFsData hamt = UnixFsData.hamtShard(new byte[] {(byte) 0x80, 1}, Multicodec.MURMUR3_X64_64, 256);
    UnixFsData back = UnixFsData.decode(hamt.encode());
    assertThat(back.type()).isEqualTo(UnixFsData.Type.HAMT_SHARD);
    assertThat(back.data()).containsExactly((byte) 0x80, 1);
    assertThat(back.hashType()).isEqualTo(0x22L);
    assertThat(back.fanout()).isEqualTo(256L);
    assertThat(back.filesize()).isNull();
  }

  @Test
  void murmur3MatchesReference() {
    // first half of MurmurHash3_x64_128("hello", seed 0) = cbd8a7b341bd9b02 (as computed by @multiformats/murmur3)
    assertThat(Murmur3.hash64("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xcbd8a7b341bd9b02L);
  }
}
