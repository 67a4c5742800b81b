package io.ledgerlake.lakehouse.spark;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL table functions over lineage.closure, registered in every session {@link LakehouseSpark} makes (so in
 * {@code ledgerlake sql}): {@code lineage_upstream(kind, id, max_hops)} and {@code lineage_downstream(kind, id,
 * max_hops)} return {@code kind, id, depth, relation, via_kind, via_id, origin, truncated}, the same rows as the
 * walk queries of docs/sql.md section 6. Spark inlines the arguments, so the start node is pushed into the
 * Iceberg scan as a literal filter would be.
 */
public final class LineageFunctions {
  private static final Logger LOG = LoggerFactory.getLogger(LineageFunctions.class);
  private static final String COLUMNS =
      "kind STRING, id STRING, depth INT, relation STRING, via_kind STRING, via_id STRING, origin STRING,"
          + " truncated BOOLEAN";

  private LineageFunctions() {}

  /**
   * Registers both functions as temporary functions of {@code session}. A lakehouse without lineage.closure (not
   * initialized yet) gets none: Spark resolves the table when the function is created.
   */
  public static void register(SparkSession session) {
    try {
      session.sql(definition("lineage_upstream", "descendant", "ancestor", "upstream_continues"));
      session.sql(definition("lineage_downstream", "ancestor", "descendant", "downstream_continues"));
    } catch (Exception e) {
      // Scala throws AnalysisException undeclared; a missing table is the expected case before 'ledgerlake init'.
      LOG.debug("lineage SQL functions not registered: {}", e.getMessage());
    }
  }

  /** A walk from the start node ({@code from} side) to the nodes on the {@code to} side. */
  static String definition(String name, String from, String to, String continues) {
    return "CREATE OR REPLACE TEMPORARY FUNCTION " + name + "(node_kind STRING, node_id STRING, max_hops INT)"
        + " RETURNS TABLE (" + COLUMNS + ") RETURN"
        + " SELECT c." + to + "_kind, c." + to + "_id, c.depth, c.relation, c.via_kind, c.via_id, c.origin,"
        + " max(c.depth = least(max_hops, c.max_depth) AND c." + continues + ") OVER ()"
        + " FROM lineage.closure c"
        + " WHERE c." + from + "_kind = node_kind AND c." + from + "_id = node_id AND c.depth <= max_hops";
  }
}
