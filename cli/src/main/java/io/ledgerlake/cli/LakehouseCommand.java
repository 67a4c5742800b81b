package io.ledgerlake.cli;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.common.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of commands that work on the lakehouse: resolves settings and opens the catalog. */
public abstract class LakehouseCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  /** Options after the command name win over the same options before it. */
  protected Settings settings() {
    CommonOptions merged = new CommonOptions();
    // Options given before the command name live on the root command (possibly several levels up).
    CommandSpec root = spec;
    while (root.parent() != null) {
      root = root.parent();
    }
    CommonOptions before = root.userObject() instanceof LedgerLake top ? top.common : null;
    merged.dataDir = common.dataDir != null ? common.dataDir : before != null ? before.dataDir : null;
    merged.config = common.config != null ? common.config : before != null ? before.config : null;
    if (before != null) {
      merged.overrides.putAll(before.overrides);
    }
    merged.overrides.putAll(common.overrides);
    return merged.settings(LedgerLake.environment());
  }

  protected LakehouseOptions lakehouseOptions() {
    return LakehouseOptions.from(settings());
  }

  protected Lakehouse openLakehouse() {
    return Lakehouse.open(lakehouseOptions());
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
