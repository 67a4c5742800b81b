package io.ledgerlake.ingestion.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ledgerlake.ingestion.testing.Sha256RawCids;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static String canon(String json) throws Exception {
    return CanonicalJson.canonicalString(Json.RECORD_MAPPER.readTree(json));
  }

  @Test
  void sortsKeysByUtf16CodeUnitsAndDropsWhitespace() throws Exception {
    // RFC 8785 section 3.2.3 example ordering: "\r" < "1" < "\u0080" < "\u00f6" < "\u20ac" < "\ud83d\ude00" < "\ufb33"
    String input = "{\"\\u20ac\":\"Euro\",\"\\r\":\"CR\",\"\\ufb33\":\"Hebrew\",\"1\":\"One\","
        + "\"\\ud83d\\ude00\":\"Smiley\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin\"}";
    assertThat(canon(input)).isEqualTo(
        "{\"\\r\":\"CR\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin\",\"\u20ac\":\"Euro\","
            + "\"\ud83d\ude00\":\"Smiley\",\"\ufb33\":\"Hebrew\"}");
  }

  @Test
  void nestedObjectsAreSortedAndArraysKeepOrder() throws Exception {
    assertThat(canon("{ \"b\" : [3, {\"z\":1,\"a\":2}], \"a\" : { \"d\": true, \"c\": null } }"))
        .isEqualTo("{\"a\":{\"c\":null,\"d\":true},\"b\":[3,{\"a\":2,\"z\":1}]}");
  }

  @Test
  void numbersFollowEcmaScript() {
    // Vectors from RFC 8785 appendix B and ECMAScript Number.prototype.toString.
    assertThat(CanonicalJson.formatDouble(0.0)).isEqualTo("0");
    assertThat(CanonicalJson.formatDouble(-0.0)).isEqualTo("0");
    assertThat(CanonicalJson.formatDouble(1e30)).isEqualTo("1e+30");
    assertThat(CanonicalJson.formatDouble(4.50)).isEqualTo("4.5");
    assertThat(CanonicalJson.formatDouble(2e-3)).isEqualTo("0.002");
    assertThat(CanonicalJson.formatDouble(0.000001)).isEqualTo("0.000001");
    assertThat(CanonicalJson.formatDouble(1e-7)).isEqualTo("1e-7");
    assertThat(CanonicalJson.formatDouble(333333333.33333329)).isEqualTo("333333333.3333333");
    assertThat(CanonicalJson.formatDouble(1e21)).isEqualTo("1e+21");
    assertThat(CanonicalJson.formatDouble(1e20)).isEqualTo("100000000000000000000");
    assertThat(CanonicalJson.formatDouble(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(CanonicalJson.formatDouble(-Double.MIN_VALUE)).isEqualTo("-5e-324");
    assertThat(CanonicalJson.formatDouble(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    assertThat(CanonicalJson.formatDouble(9007199254740992.0)).isEqualTo("9007199254740992");
    assertThat(CanonicalJson.formatDouble(295147905179352830000.0)).isEqualTo("295147905179352830000");
    assertThat(CanonicalJson.formatDouble(-1.5)).isEqualTo("-1.5");
    assertThat(CanonicalJson.formatDouble(123e-20)).isEqualTo("1.23e-18");
    // JDK 17's Double.toString gives "2.0000000000000004E-3"-style non-shortest output for some values; we must not.
    assertThat(CanonicalJson.formatDouble(2e23)).isEqualTo("2e+23");
    assertThat(CanonicalJson.formatDouble(5.0E-324 * 3)).isEqualTo("1.5e-323");
  }

  @Test
  void fastNumberPathAgreesWithTheExactSearch() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 8_000; i++) {
      double d = switch (i % 4) {
        case 0 -> Double.longBitsToDouble(random.nextLong()); // any bit pattern
        case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
        case 2 -> Math.round(random.nextDouble() * 1e6) / 100.0; // "money" values
        default -> random.nextInt(100_000) / 8.0 + random.nextGaussian();
      };
      if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
        continue;
      }
      assertThat(CanonicalJson.formatDouble(d)).as("bits %x", Double.doubleToRawLongBits(d))
          .isEqualTo(CanonicalJson.formatDoubleReference(d));
      assertThat(Double.parseDouble(CanonicalJson.formatDouble(d))).isEqualTo(d);
    }
  }

  @Test
  void equalNumbersInDifferentSpellingsCanonicalizeIdentically() throws Exception {
    assertThat(canon("{\"n\":1.0}")).isEqualTo(canon("{\"n\":1}")).isEqualTo("{\"n\":1}");
    assertThat(canon("{\"n\":1E2}")).isEqualTo("{\"n\":100}");
    assertThat(canon("{\"n\":0.10}")).isEqualTo("{\"n\":0.1}");
    assertThat(canon("{\"n\":-0}")).isEqualTo("{\"n\":0}");
  }

  @Test
  void numbersThatWouldSilentlyChangeAreRejected() {
    assertThatThrownBy(() -> canon("{\"n\":12345678901234567890}"))
        .isInstanceOf(RecordRejectedException.class)
        .hasMessageContaining("12345678901234567890")
        .hasMessageContaining("send it as a string")
        .extracting(e -> ((RecordRejectedException) e).rejectionCode())
        .isEqualTo(RejectionCode.NUMBER_NOT_REPRESENTABLE);
    assertThatThrownBy(() -> canon("{\"n\":1e400}")).isInstanceOf(RecordRejectedException.class);
    assertThatThrownBy(() -> canon("{\"n\":0.12345678901234567890123}")).isInstanceOf(RecordRejectedException.class);
  }

  @Test
  void stringsUseMinimalEscapes() throws Exception {
    assertThat(canon("{\"s\":\"\\u0041\\n\\t\\u001f\\u007f\\\"\\\\/\\u00e9\"}"))
        .isEqualTo("{\"s\":\"A\\n\\t\\u001f\u007f\\\"\\\\/\u00e9\"}");
  }

  @Test
  void loneSurrogateIsRejected() {
    assertThatThrownBy(() -> canon("{\"s\":\"\\ud800x\"}"))
        .isInstanceOf(RecordRejectedException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void roundTripIsIdempotentAndDeterministic() throws Exception {
    String messy = "{\"z\": [1.50, 2e0, \"x\"], \"a\": {\"k\": -0.0, \"j\": 1e-9}, \"m\": \"\\u00fc\"}";
    byte[] first = CanonicalJson.canonicalBytes(Json.RECORD_MAPPER.readTree(messy));
    JsonNode reparsed = Json.RECORD_MAPPER.readTree(first);
    byte[] second = CanonicalJson.canonicalBytes(reparsed);
    assertThat(second).isEqualTo(first);
    assertThat(new String(first, StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"j\":1e-9,\"k\":0},\"m\":\"\u00fc\",\"z\":[1.5,2,\"x\"]}");
    // Same record with members in another order: same bytes, same (test-only) CID.
    String reordered = "{\"m\": \"\u00fc\", \"a\": {\"j\": 0.000000001, \"k\": 0}, \"z\": [1.5, 2, \"x\"]}";
    byte[] other = CanonicalJson.canonicalBytes(Json.RECORD_MAPPER.readTree(reordered));
    assertThat(Sha256RawCids.cidOf(other)).isEqualTo(Sha256RawCids.cidOf(first));
  }

  @Test
  void recordNamerSeamNamesCanonicalBytes() throws Exception {
    RecordNamer namer = Sha256RawCids::cidOf; // test-only stand-in for the content module
    assertThat(namer.name(CanonicalJson.canonicalBytes(Json.RECORD_MAPPER.readTree("{\"b\":1,\"a\":2}"))))
        .isEqualTo(namer.name("{\"a\":2,\"b\":1}".getBytes(StandardCharsets.UTF_8)))
        .startsWith("bafkrei");
  }
}
