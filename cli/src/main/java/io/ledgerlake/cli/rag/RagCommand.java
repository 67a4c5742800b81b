package io.ledgerlake.cli.rag;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.cli.content.ContentSettings;
import io.ledgerlake.content.ContentStore;
import io.ledgerlake.jobs.JobRunner;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.common.config.Settings;
import io.ledgerlake.lakehouse.spark.SparkOptions;
import io.ledgerlake.rag.RagOptions;
import io.ledgerlake.rag.index.IndexBuildJob;
import io.ledgerlake.rag.index.IndexStore;
import io.ledgerlake.rag.query.RagRetriever;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "rag", mixinStandardHelpOptions = true,
    description = "Vector indexes of dataset versions and retrieval with record CIDs.",
    subcommands = {RagCommand.Build.class, RagCommand.Query.class})
public final class RagCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: build or query");
  }

  /** Index files copied out of the content store live under {@code <data-dir>/rag/index-cache/<cid>}. */
  static IndexStore store(ContentStore content, Settings settings, Lakehouse lakehouse) {
    return IndexStore.inDataDir(content, lakehouse.options().dataDir());
  }

  @Command(name = "build",
      description = {"Build an HNSW index (Lucene 9.12) over a version's embeddings, add it to the content store",
          "and record it in rag.indexes with lineage version -> index. Run 'ledgerlake embed' first."})
  public static final class Build extends LakehouseCommand {
    @CommandLine.Mixin io.ledgerlake.cli.HelpOption help;

    @Option(names = "--dataset", required = true, description = "dataset id") String dataset;
    @Option(names = "--version", required = true, description = "version tag, e.g. ds-abc-v1") String version;

    @Override
    public Integer call() throws Exception {
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        ContentStore content = ContentSettings.open(settings());
        IndexBuildJob.Result r = new JobRunner(lakehouse, out()).run(
            new IndexBuildJob(SparkOptions.from(settings()), RagOptions.from(settings()),
                store(content, settings(), lakehouse)), new IndexBuildJob.Params(dataset, version));
        out().printf("Index %s of %s: %d vector(s) of %d record(s)%s%n", r.indexCid(), r.versionTag(), r.vectors(),
            r.records(), r.reused() ? " (unchanged inputs: existing index)" : "");
      }
      return 0;
    }
  }

  @Command(name = "query",
      description = {"Top-k passages for a question: rank, score (cosine), record CID, chunk, contributor, then the",
          "PII-redacted text.",
          "With --asset A (a published RAG index or dataset asset): licence-gated as POST /v1/rag/query, as the",
          "configured chain account; the usage is recorded in attribution.usage (one row per passage).",
          "With --dataset and --version: the version's newest index, for the data owner; not gated, not recorded."})
  public static final class Query extends LakehouseCommand {
    @CommandLine.Mixin io.ledgerlake.cli.HelpOption help;

    @Option(names = "--asset", description = "on-chain asset id of a published index or dataset") String asset;
    @Option(names = "--dataset", description = "dataset id (with --version; instead of --asset)") String dataset;
    @Option(names = "--version", description = "version tag, e.g. ds-abc-v1 (with --asset: that version's index)")
    String version;
    @Option(names = "--query-id", description = "with --asset: an id that makes a retry safe (recorded once)")
    String queryId;
    @Option(names = "-k", defaultValue = "5", description = "passages to return (default ${DEFAULT-VALUE})") int k;
    @Option(names = "--answer", description = {"with --asset: also generate an answer citing the passages, through the",
        "OpenAI-compatible endpoint of ledgerlake.rag.answer.endpoint (off unless configured)"}) boolean answer;
    @Parameters(index = "0", paramLabel = "QUESTION", description = "the question") String question;

    @Override
    public Integer call() throws Exception {
      if ((asset == null) == (dataset == null) || (dataset != null && version == null)) {
        throw new io.ledgerlake.lakehouse.LakehouseException(io.ledgerlake.common.ErrorCategory.USER_ERROR,
            "give --asset A, or --dataset ID with --version TAG");
      }
      try (Lakehouse lakehouse = openLakehouse()) {
        lakehouse.init();
        ContentStore content = ContentSettings.open(settings());
        if (asset != null) {
          try (io.ledgerlake.provenance.chain.ProvenanceClient chain =
                  io.ledgerlake.cli.chain.ChainSettings.client(settings(), false);
              io.ledgerlake.rag.query.RagQueryService service = io.ledgerlake.rag.query.RagQueryService.over(
                  lakehouse, content, chain, RagOptions.from(settings()), java.time.Clock.systemUTC())) {
            var o = service.query(chain.account(),
                new io.ledgerlake.rag.query.RagQueryService.Request(asset, question, k, queryId, version, answer));
            out().printf("query %s: licence %s on asset %d; %s%n", o.queryId(), o.licence().kind(),
                o.licence().assetId(), o.recorded() ? "usage recorded" : "a retry: recorded before");
            print(o.answer());
            o.generated().ifPresent(g -> {
              out().printf("answer (%s):%n%s%n", g.model(), g.text());
              g.citations().forEach(c -> out().printf("  [%d] %s chunk %d%n", c.number(), c.recordCid(), c.chunk()));
            });
          }
          return 0;
        }
        try (RagRetriever retriever = new RagRetriever(lakehouse, store(content, settings(), lakehouse),
            RagOptions.from(settings()))) {
          print(retriever.query(dataset, version, question, k));
        }
      }
      return 0;
    }

    private void print(RagRetriever.Answer a) {
      out().printf("index %s (%s), %d passage(s)%n", a.indexCid(), a.versionTag(), a.passages().size());
      for (RagRetriever.Passage p : a.passages()) {
        out().printf(Locale.ROOT, "%d\t%.4f\t%s\t%d\t%s\t%s%n", p.rank(), p.score(), p.recordCid(), p.chunk(),
            p.contributor(), p.text().replace('\n', ' ').replace('\t', ' '));
      }
    }
  }
}
