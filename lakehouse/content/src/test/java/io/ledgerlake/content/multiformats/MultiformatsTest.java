package io.ledgerlake.content.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.InvalidCidException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors from the multiformats specs (unsigned-varint, multibase, CID READMEs). */
class MultiformatsTest {
  @ParameterizedTest
  @CsvSource({"1,01", "127,7f", "128,8001", "255,ff01", "300,ac02", "16384,808001"})
  void varintSpecVectors(long value, String hex) {
    assertThat(Base16.encode(Varint.encode(value))).isEqualTo(hex);
    assertThat(Varint.size(value)).isEqualTo(hex.length() / 2);
    assertThat(Varint.read(Base16.decode(hex), new int[] {0}, hex.length() / 2)).isEqualTo(value);
  }

  @Test
  void varintRejectsNonMinimalAndTruncated() {
    assertThatThrownBy(() -> Varint.read(Base16.decode("8100"), new int[] {0}, 2)).hasMessageContaining("minimally");
    assertThatThrownBy(() -> Varint.read(Base16.decode("80"), new int[] {0}, 1)).hasMessageContaining("truncated");
  }

  @Test
  void multibaseSpecVectors() {
    byte[] yes = "yes mani !".getBytes(StandardCharsets.UTF_8);
    assertThat(Multibase.encode('b', yes)).isEqualTo("bpfsxgidnmfxgsibb");
    assertThat(Multibase.encode('B', yes)).isEqualTo("BPFSXGIDNMFXGSIBB");
    assertThat(Multibase.encode('z', yes)).isEqualTo("z7paNL19xttacUY");
    assertThat(Multibase.encode('f', yes)).isEqualTo("f796573206d616e692021");
    for (String s : new String[] {"bpfsxgidnmfxgsibb", "BPFSXGIDNMFXGSIBB", "z7paNL19xttacUY", "f796573206d616e692021"}) {
      assertThat(Multibase.decode(s)).isEqualTo(yes);
    }
  }

  @Test
  void base58KeepsLeadingZeros() {
    byte[] b = {0, 0, 1, 2};
    assertThat(Base58.encode(b)).startsWith("11");
    assertThat(Base58.decode(Base58.encode(b))).isEqualTo(b);
  }

  @Test
  void cidV0AndV1OfTheSameBlock() {
    // The example pair from the CID specification.
    Cid v0 = Cid.parse("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR");
    assertThat(v0.version()).isZero();
    assertThat(v0.codec()).isEqualTo(Multicodec.DAG_PB);
    assertThat(v0.toV1().toString()).isEqualTo("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    Cid v1 = Cid.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    assertThat(v1.multihash()).isEqualTo(v0.multihash());
    assertThat(Cid.fromBytes(v1.bytes())).isEqualTo(v1);
    assertThat(Cid.fromBytes(v0.bytes())).isEqualTo(v0);
    assertThat(Cid.parse(v1.toString('z'))).isEqualTo(v1);
    assertThat(Cid.parse(v1.toString('B'))).isEqualTo(v1);
  }

  @Test
  void rawCidOfEmptyBytes() {
    Cid cid = Cid.v1(Multicodec.RAW, Multihash.sha256(new byte[0]));
    assertThat(cid.toString()).isEqualTo("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "hello", "Qm123", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzd",
      "xafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi", "../../etc/passwd",
      "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMn0"})
  void invalidCidsAreUserErrorsNamingTheValue(String text) {
    assertThatThrownBy(() -> Cid.parse(text))
        .isInstanceOf(InvalidCidException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("Give a CIDv0")
        .satisfies(e -> assertThat(((InvalidCidException) e).category()).isEqualTo(ErrorCategory.USER_ERROR));
  }
}
