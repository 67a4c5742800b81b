package io.ledgerlake.cli.index;

import io.ledgerlake.cli.LakehouseCommand;
import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.lineage.LineageClosure;
import io.ledgerlake.lakehouse.lineage.LineageGraph;
import io.ledgerlake.lakehouse.lineage.LineageHop;
import io.ledgerlake.lakehouse.lineage.LineageNode;
import io.ledgerlake.lakehouse.lineage.LineageResult;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "lineage",
    mixinStandardHelpOptions = true,
    description = {
      "Upstream (what it was made from) or downstream (what was made from it) of a node,",
      "over lineage.edges and the on-chain parent links of chain.asset_versions.",
      "Nodes are kind:id, e.g. asset_version:1@1 (asset@on-chain version id),",
      "dataset_version:demo-v1, submission:<upload CID>."
    },
    subcommands = {LineageCommand.Up.class, LineageCommand.Down.class, LineageCommand.Refresh.class})
public final class LineageCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: up, down or refresh");
  }

  static void printRefresh(PrintWriter out, LineageClosure.Refresh r) {
    LineageClosure.State s = r.state();
    String from = "lineage.edges snapshot " + (s.edgesSnapshotId() == null ? "none" : s.edgesSnapshotId())
        + ", chain.asset_versions snapshot " + (s.chainSnapshotId() == null ? "none" : s.chainSnapshotId());
    if (r.rebuilt()) {
      out.printf("Rebuilt lineage.closure: %d pair(s) up to depth %d from %s (closure snapshot %d)%n", r.rows(),
          s.maxDepth(), from, r.closureSnapshotId());
    } else {
      out.printf("lineage.closure is up to date with %s (closure snapshot %d)%n", from, r.closureSnapshotId());
    }
    out.flush();
  }

  @Command(
      name = "refresh",
      mixinStandardHelpOptions = true,
      description = {
        "Rebuild lineage.closure (every ancestor/descendant pair, for SQL walks) from the current",
        "lineage.edges and chain.asset_versions, unless it already reflects them. Publish and index",
        "refresh it themselves; see docs/sql.md for the queries."
      })
  static final class Refresh extends LakehouseCommand {
    @Option(names = "--max-depth", paramLabel = "N",
        description = "Deepest pair to store (default: ledgerlake.lakehouse.lineage.closure-max-depth).")
    Integer maxDepth;

    @Override
    public Integer call() throws Exception {
      try (Lakehouse lakehouse = openLakehouse()) {
        printRefresh(out(), new io.ledgerlake.jobs.JobRunner(lakehouse, out()).run(
            new io.ledgerlake.jobs.maintenance.LineageRefreshJob(),
            new io.ledgerlake.jobs.maintenance.LineageRefreshJob.Params(maxDepth == null ? 0 : maxDepth)).refresh());
        return 0;
      }
    }
  }

  abstract static class Traversal extends LakehouseCommand {
    @Parameters(index = "0", paramLabel = "NODE", description = "Start node, kind:id.")
    String node;

    @Option(names = "--depth", defaultValue = "10", description = "Maximum hops (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--as-of-snapshot", paramLabel = "ID",
        description = "Read lineage.edges at this Iceberg snapshot (and the chain tables as of its commit time).")
    Long snapshot;

    @Option(names = "--as-of-time", paramLabel = "EPOCH_MS", description = "Read every table as of this time.")
    Long time;

    abstract boolean upstream();

    @Override
    public Integer call() {
      LineageNode start = LineageNode.parse(node);
      try (Lakehouse lakehouse = openLakehouse()) {
        LineageGraph graph = snapshot != null ? LineageGraph.asOfSnapshot(lakehouse, snapshot)
            : time != null ? LineageGraph.asOfTime(lakehouse, time) : LineageGraph.latest(lakehouse);
        LineageResult r = upstream() ? graph.upstream(start, depth) : graph.downstream(start, depth);
        out().printf("%s of %s (lineage.edges snapshot %s):%n", upstream() ? "Upstream" : "Downstream", start,
            r.edgesSnapshotId() == null ? "none" : r.edgesSnapshotId());
        for (LineageHop h : r.hops()) {
          out().printf("  %d  %s -%s-> %s  [%s]%n", h.depth(), h.source(), h.relation(), h.target(), h.origin());
        }
        out().printf("%d node(s), %d edge(s)%s%s%n", r.nodes().size(), r.hops().size(),
            r.alreadyReached() > 0 ? ", " + r.alreadyReached() + " edge(s) to nodes already reached" : "",
            r.truncated() ? ", truncated at depth " + depth + " (raise --depth)" : "");
        return 0;
      }
    }
  }

  @Command(name = "up", mixinStandardHelpOptions = true, description = "What NODE was made from.")
  static final class Up extends Traversal {
    @Override
    boolean upstream() {
      return true;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "What was made from NODE.")
  static final class Down extends Traversal {
    @Override
    boolean upstream() {
      return false;
    }
  }
}
