package io.ledgerlake.lakehouse.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishRunRecordTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void roundTripsTheCurrentFormat() {
    PublishRunRecord r = PublishRunRecord.of("ds-a", "ds-a-v2", 77L, 1, 4, "bafkreimanifest", List.of("0xabc"),
        List.of(5L, 6L), List.of(new PublishRunRecord.Share("0xaaa", "DATA_PROVIDER", 6000),
            new PublishRunRecord.Share("0xbbb", "ANNOTATOR", 4000)),
        new PublishRunRecord.ShareInputs(12L, 8000, 1500, 500));
    var json = r.toJson();
    assertThat(json.path("publish_run_format").asInt()).isEqualTo(PublishRunRecord.FORMAT);
    assertThat(PublishRunRecord.fromJson(json)).isEqualTo(r);
    // Inside ops.job_runs.params_json the record sits next to the runner's fields, which are ignored.
    json.put("run_format", 1).putObject("params").put("dataset", "ds-a");
    assertThat(PublishRunRecord.fromJson(json)).isEqualTo(r);
  }

  @Test
  void readsRowsWrittenBeforeTheFormatExisted() throws Exception {
    // A publish run from before the runner and before annotations counted (what older data directories hold).
    String old = "{\"dataset\":\"ds-demo0001\",\"tag\":\"ds-demo0001-v1\",\"snapshot_id\":123,\"asset_id\":1,"
        + "\"version_id\":1,\"manifest_cid\":\"bafkreiold\",\"tx_hashes\":[\"0x1\",\"0x2\"],\"receipt_token_ids\":[1,2,3],"
        + "\"shares\":[{\"contributor\":\"0x7099\",\"role\":\"DATA_PROVIDER\",\"share_bps\":3334}]}";
    PublishRunRecord r = PublishRunRecord.fromJson(JSON.readTree(old));
    assertThat(r.format()).isZero();
    assertThat(r.tag()).isEqualTo("ds-demo0001-v1");
    assertThat(r.receiptTokenIds()).containsExactly(1L, 2L, 3L);
    assertThat(r.shares()).containsExactly(new PublishRunRecord.Share("0x7099", "DATA_PROVIDER", 3334));
    assertThat(r.shareInputs()).isEqualTo(Optional.empty());
    // Written again, it is the current format with the same content.
    assertThat(PublishRunRecord.fromJson(r.toJson()).shares()).isEqualTo(r.shares());
  }

  @Test
  void aNewerFormatOrAnotherRecordIsRefused() throws Exception {
    assertThatThrownBy(() -> PublishRunRecord.fromJson(JSON.readTree(
        "{\"publish_run_format\":99,\"dataset\":\"d\",\"tag\":\"d-v1\"}")))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("upgrade");
    assertThatThrownBy(() -> PublishRunRecord.fromJson(JSON.readTree("{\"model_id\":\"mdl-x\"}")))
        .isInstanceOf(LakehouseException.class).hasMessageContaining("not a publish run record");
  }
}
