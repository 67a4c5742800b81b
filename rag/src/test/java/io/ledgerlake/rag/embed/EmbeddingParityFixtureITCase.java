package io.ledgerlake.rag.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ledgerlake.content.testing.NodeScripts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reruns the JavaScript runtime (src/test/js/gen-parity.mjs: onnxruntime-node, on the model and tokenizer files
 * extracted from the langchain4j jar) and checks that the committed fixture is what it computes today, and that the
 * JVM agrees with the fresh JS vectors too. Skipped only when node is missing.
 */
class EmbeddingParityFixtureITCase {
  /** Same runtime, same files: only floating-point differences between CPUs are tolerated. */
  static final double SAME_RUNTIME_MIN_COSINE = 0.99999;

  @Test
  void committedFixtureIsWhatTheJsRuntimeComputes() throws Exception {
    assumeTrue(NodeScripts.nodeAvailable(), "node is not on the PATH: the JS embedding runtime cannot run");
    MiniLmFiles.Paths files = MiniLmFiles.extract();
    ParityFixture fresh = ParityFixture.parse(MiniLmFiles.scripts().exec(300, "gen-parity.mjs",
        files.model().toString(), files.tokenizer().toString()));
    ParityFixture committed = ParityFixture.committed();

    assertThat(fresh.modelSha256()).isEqualTo(committed.modelSha256());
    assertThat(fresh.tokenizerSha256()).isEqualTo(committed.tokenizerSha256());
    assertThat(fresh.maxLength()).isEqualTo(committed.maxLength());
    assertThat(fresh.cases()).hasSameSizeAs(committed.cases());
    for (int i = 0; i < committed.cases().size(); i++) {
      ParityFixture.Case want = committed.cases().get(i);
      ParityFixture.Case got = fresh.cases().get(i);
      assertThat(got.text()).isEqualTo(want.text());
      assertThat(got.untruncatedTokens()).as(want.toString()).isEqualTo(want.untruncatedTokens());
      assertThat(got.ids()).as(want.toString()).containsExactly(want.ids());
      assertThat(ParityFixture.cosine(got.vector(), want.vector())).as(want.toString())
          .isGreaterThanOrEqualTo(SAME_RUNTIME_MIN_COSINE);
    }

    List<float[]> jvm = SentenceEmbedder.shared().embed(fresh.cases().stream().map(ParityFixture.Case::text).toList());
    for (int i = 0; i < jvm.size(); i++) {
      assertThat(ParityFixture.cosine(jvm.get(i), fresh.cases().get(i).vector())).as(fresh.cases().get(i).toString())
          .isGreaterThanOrEqualTo(SentenceEmbedderParityTest.MIN_COSINE);
    }
  }
}
