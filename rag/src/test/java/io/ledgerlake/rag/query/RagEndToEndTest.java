package io.ledgerlake.rag.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.content.ContentOptions;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.lakehouse.tables.TableModel;
import io.ledgerlake.rag.RagFixture;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.embed.EmbedJob;
import io.ledgerlake.rag.index.IndexBuildJob;
import io.ledgerlake.rag.index.IndexStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** embed → rag build → query on a real catalog, Spark local, the real model, Lucene and the content store. */
class RagEndToEndTest {
  static final String DS = "ds-rag2";
  static final String TAG = DS + "-v1";
  static final Map<String, String> TEXTS = new LinkedHashMap<>();

  static {
    TEXTS.put("cid-cat", "The cat sleeps on the warm windowsill every afternoon.");
    TEXTS.put("cid-bank", "The central bank raised interest rates by a quarter point to curb inflation.");
    TEXTS.put("cid-rain", "Heavy rain is expected across the northern valleys this weekend.");
    TEXTS.put("cid-code", "The compiler reports an error when a variable is used before it is declared.");
    TEXTS.put("cid-soup", "Simmer the onions slowly in butter before adding the stock to the soup.");
  }

  @TempDir Path dir;
  Lakehouse lakehouse;
  ContentStore content;
  JobRunner runner;
  IndexStore store;
  SparkOptions spark = SparkOptions.from(Settings.empty());

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(LakehouseOptions.embedded(dir));
    lakehouse.init();
    content = ContentStore.open(ContentOptions.defaults().withStoreDir(dir.resolve("content")));
    runner = new JobRunner(lakehouse, new PrintWriter(new StringWriter()));
    store = new IndexStore(content, dir.resolve("rag-cache"));
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  @Test
  void buildsAnIndexInTheContentStoreAndRetrievesExactChunksFirst() throws Exception {
    RagFixture.ingest(lakehouse, DS, TEXTS);
    TEXTS.keySet().forEach(cid -> RagFixture.curate(lakehouse, DS, cid, true, RagFixture.T0));
    RagFixture.tag(lakehouse, TAG);
    IndexBuildJob build = new IndexBuildJob(spark, RagOptions.defaults(), store);

    // no embeddings yet: a user error naming the command to run
    assertUserError(() -> runner.run(build, new IndexBuildJob.Params(DS, TAG)), "ledgerlake embed");

    runner.run(new EmbedJob(spark, RagOptions.defaults()), new EmbedJob.Params(DS, TAG));
    IndexBuildJob.Result built = runner.run(build, new IndexBuildJob.Params(DS, TAG));
    assertThat(built.reused()).isFalse();
    assertThat(built.vectors()).isEqualTo(5);
    assertThat(content.blockstore().has(io.ledgerlake.content.multiformats.Cid.parse(built.indexCid()))).isTrue();
    Record row = IndexBuildJob.latestIndex(lakehouse.table(TableModel.RAG_INDEXES), DS, TAG, null).orElseThrow();
    assertThat(row.getField("index_cid")).isEqualTo(built.indexCid());
    assertThat((String) row.getField("settings_json")).contains("\"hnsw_m\":16").contains("lucene-9.12");
    assertThat(edges()).anySatisfy(e -> {
      assertThat(e.getField("source_kind")).isEqualTo("dataset_version");
      assertThat(e.getField("source_id")).isEqualTo(TAG);
      assertThat(e.getField("target_kind")).isEqualTo("index");
      assertThat(e.getField("target_id")).isEqualTo(built.indexCid());
    });

    // rerun on the same inputs: the same index, nothing new recorded
    IndexBuildJob.Result again = runner.run(build, new IndexBuildJob.Params(DS, TAG));
    assertThat(again.reused()).isTrue();
    assertThat(again.indexCid()).isEqualTo(built.indexCid());

    try (RagRetriever retriever = new RagRetriever(lakehouse, store, RagOptions.defaults())) {
      for (Map.Entry<String, String> e : TEXTS.entrySet()) {
        RagRetriever.Answer a = retriever.query(DS, TAG, e.getValue(), 3);
        assertThat(a.indexCid()).isEqualTo(built.indexCid());
        assertThat(a.passages()).hasSize(3);
        RagRetriever.Passage top = a.passages().get(0);
        assertThat(top.recordCid()).isEqualTo(e.getKey());
        assertThat(top.chunk()).isZero();
        assertThat(top.rank()).isEqualTo(1);
        assertThat(top.score()).isGreaterThan(0.999);
        assertThat(top.contributor()).isEqualTo(RagFixture.contributorOf(e.getKey()));
        assertThat(a.passages().get(1).score()).isLessThan(top.score());
      }
      // a paraphrase finds its record
      assertThat(retriever.query(DS, TAG, "Is it going to pour in the valleys on Saturday?", 1).passages().get(0)
          .recordCid()).isEqualTo("cid-rain");

      assertUserError(() -> retriever.query(DS, TAG, "  ", 5), "question is empty");
      assertUserError(() -> retriever.query(DS, TAG, "cats", 0), "k must be between 1 and");
      assertUserError(() -> retriever.query(DS, TAG, "cats", -3), "k must be between 1 and");
      assertUserError(() -> retriever.query(DS, TAG, "cats", 1_000_000), "k must be between 1 and");
      assertUserError(() -> retriever.query(DS, TAG, "x".repeat(5000), 5), "at most 4096");
      assertUserError(() -> retriever.query(DS, DS + "-v7", "cats", 5), DS + "-v7");
      RagFixture.tag(lakehouse, DS + "-v2");
      assertUserError(() -> retriever.query(DS, DS + "-v2", "cats", 5), "has no vector index");
    }
  }

  private static void assertUserError(Executable call, String message) {
    assertThatThrownBy(call::execute).isInstanceOfSatisfying(LakehouseException.class,
        e -> assertThat(e.category()).isEqualTo(ErrorCategory.USER_ERROR)).hasMessageContaining(message);
  }

  private List<Record> edges() throws Exception {
    var table = lakehouse.table(TableModel.LINEAGE_EDGES);
    table.refresh();
    List<Record> out = new java.util.ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(out::add);
    }
    return out;
  }
}
