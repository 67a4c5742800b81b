package io.ledgerlake.indexer.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.indexer.IndexerStateException;
import io.ledgerlake.indexer.source.RawLog;
import io.ledgerlake.provenance.chain.Deployment;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;

/** Logs encoded here with web3j's encoder, decoded through the ABIs the provenance build ships. */
class AbiEventDecoderTest {
  private static final String REGISTRY = "0x" + "11".repeat(20);
  private static final String OWNER = "0x" + "ab".repeat(20);
  private static final Deployment DEPLOYMENT = new Deployment(31337, REGISTRY, "0x" + "22".repeat(20),
      "0x" + "33".repeat(20), "0x" + "44".repeat(20), OWNER, 1);
  private final AbiEventDecoder decoder = AbiEventDecoder.forDeployment(DEPLOYMENT);

  @Test
  void decodesIndexedAndDataArgumentsByName() {
    RawLog log = log(REGISTRY, List.of(topic("AssetRegistered(uint256,address,uint8,uint16,string)"),
            word(new Uint256(7)), word(new Address(OWNER))),
        List.of(new Uint8(1), new Uint16(250), new Utf8String("bafy-meta")));
    DecodedEvent e = decoder.decode(log).orElseThrow();
    assertThat(e.contractName()).isEqualTo("AssetRegistry");
    assertThat(e.eventName()).isEqualTo("AssetRegistered");
    assertThat(e.args().toString()).isEqualTo(
        "{\"assetId\":7,\"owner\":\"" + OWNER + "\",\"kind\":1,\"royaltyBps\":250,\"metadataCid\":\"bafy-meta\"}");
  }

  @Test
  void decodesBytesArraysAndUint256Exactly() {
    BigInteger huge = BigInteger.TWO.pow(255).add(BigInteger.ONE);
    RawLog log = log(REGISTRY, List.of(topic("VersionRegistered(uint256,uint256,bytes,uint256[],uint8,uint16)"),
            word(new Uint256(huge)), word(new Uint256(3))),
        List.of(new DynamicBytes("bafy".getBytes(StandardCharsets.UTF_8)),
            new DynamicArray<>(Uint256.class, List.of(new Uint256(1), new Uint256(2))), new Uint8(2),
            new Uint16(900)));
    DecodedEvent e = decoder.decode(log).orElseThrow();
    assertThat(e.args().get("versionId").bigIntegerValue()).isEqualTo(huge);
    assertThat(e.args().get("contentCommitment").asText()).isEqualTo("0x62616679");
    assertThat(e.args().get("parents").toString()).isEqualTo("[1,2]");
    assertThat(e.args().get("royaltyStackBps").asInt()).isEqualTo(900);
  }

  @Test
  void fastPathDecodesExactlyAsWeb3jDoes() {
    String licensing = DEPLOYMENT.licensing();
    String receipts = DEPLOYMENT.receipts();
    BigInteger max = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
    List<RawLog> logs = List.of(
        log(REGISTRY, List.of(topic("AssetRegistered(uint256,address,uint8,uint16,string)"),
            word(new Uint256(max)), word(new Address(OWNER))),
            List.of(new Uint8(255), new Uint16(0), new Utf8String("naïve ✓ unicode"))),
        log(REGISTRY, List.of(topic("VersionRegistered(uint256,uint256,bytes,uint256[],uint8,uint16)"),
            word(new Uint256(BigInteger.TWO.pow(63))), word(new Uint256(Long.MAX_VALUE))),
            List.of(new DynamicBytes(new byte[0]), new DynamicArray<>(Uint256.class, List.of()), new Uint8(0),
                new Uint16(65535))),
        log(licensing, List.of(topic("TermsSet(uint256,uint8,bool,uint256,uint64,string)"), word(new Uint256(1)),
            word(new Uint8(3))), List.of(new Bool(true), new Uint256(max), new Uint64(BigInteger.TWO.pow(64)
                .subtract(BigInteger.ONE)), new Utf8String(""))),
        log(licensing, List.of(topic("PartnershipRequestClosed(uint256,address,bool)"), word(new Uint256(2)),
            word(new Address(OWNER))), List.of(new Bool(false))),
        log(receipts, List.of(topic("MerkleRootRecorded(uint256,bytes32,uint256)"), word(new Uint256(9))),
            List.of(new Bytes32(HexFormat.of().parseHex("ab".repeat(31) + "cd")), new Uint256(12))));
    for (RawLog log : logs) {
      DecodedEvent fast = decoder.decode(log).orElseThrow();
      DecodedEvent reference = decoder.decodeWithWeb3j(log).orElseThrow();
      assertThat(fast.eventName()).isEqualTo(reference.eventName());
      assertThat(fast.args().toString()).isEqualTo(reference.args().toString());
    }
    assertThat(decoder.decode(logs.get(2)).orElseThrow().args().get("enabled").asBoolean()).isTrue();
  }

  @Test
  void refusesDataShorterThanTheAbiSays() {
    RawLog full = log(REGISTRY, List.of(topic("AssetRegistered(uint256,address,uint8,uint16,string)"),
        word(new Uint256(7)), word(new Address(OWNER))),
        List.of(new Uint8(1), new Uint16(250), new Utf8String("bafy-meta")));
    RawLog cut = new RawLog(full.blockNumber(), full.blockHash(), full.txHash(), full.logIndex(), full.address(),
        full.topics(), full.data().substring(0, 2 + 64 * 3));
    assertThatThrownBy(() -> decoder.decode(cut)).isInstanceOf(IndexerStateException.class)
        .hasMessageContaining("AssetRegistered").hasMessageContaining("metadataCid");
  }

  @Test
  void ignoresUnknownAddressesAndTopics() {
    String topic = topic("AssetRegistered(uint256,address,uint8,uint16,string)");
    assertThat(decoder.decode(log("0x" + "99".repeat(20), List.of(topic), List.of()))).isEmpty();
    assertThat(decoder.decode(log(REGISTRY, List.of(topic("Nope(uint256)")), List.of()))).isEmpty();
  }

  @Test
  void knowsEveryContractsEvents() {
    assertThat(decoder.addresses()).hasSize(4).contains(REGISTRY);
    assertThat(decoder.eventNames("Receipts")).contains("ReceiptRecorded", "MerkleRootRecorded", "Transfer");
    assertThat(decoder.eventNames("Licensing")).contains("LicensePurchased", "PartnershipRequested");
    assertThat(decoder.eventNames("Revenue")).contains("RevenueReceived", "Claimed");
  }

  private static RawLog log(String address, List<String> topics, List<Type> data) {
    @SuppressWarnings({"rawtypes", "unchecked"})
    String encoded = "0x" + FunctionEncoder.encodeConstructor((List) data);
    return new RawLog(5, "0x" + "0f".repeat(32), "0x" + "0e".repeat(32), 0, address, topics, encoded);
  }

  private static String topic(String signature) {
    return Hash.sha3String(signature);
  }

  @SuppressWarnings("rawtypes")
  private static String word(Type t) {
    return "0x" + TypeEncoder.encode(t);
  }
}
