package io.ledgerlake.cli;

import io.ledgerlake.lakehouse.Lakehouse;
import io.ledgerlake.lakehouse.LakehouseOptions;
import io.ledgerlake.lakehouse.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of commands that work on the lakehouse: resolves settings and opens the catalog. */
abstract class LakehouseCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @ParentCommand LedgerLake parent;

  /** Options after the command name win over the same options before it. */
  Settings settings() {
    CommonOptions merged = new CommonOptions();
    CommonOptions before = parent != null ? parent.common : null;
    merged.dataDir = common.dataDir != null ? common.dataDir : before != null ? before.dataDir : null;
    merged.config = common.config != null ? common.config : before != null ? before.config : null;
    if (before != null) {
      merged.overrides.putAll(before.overrides);
    }
    merged.overrides.putAll(common.overrides);
    return merged.settings(LedgerLake.environment());
  }

  LakehouseOptions lakehouseOptions() {
    return LakehouseOptions.from(settings());
  }

  Lakehouse openLakehouse() {
    return Lakehouse.open(lakehouseOptions());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
