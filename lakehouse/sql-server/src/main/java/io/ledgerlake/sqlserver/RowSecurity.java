package io.ledgerlake.sqlserver;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import io.ledgerlake.lakehouse.spark.ReadOnlySql;
import io.ledgerlake.lakehouse.spark.SqlRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.In;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.Not;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.types.DataTypes;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * Row-level visibility of private datasets for one statement of one user: rewrites the statement's analyzed plan so
 * that every scan of a table with a {@code dataset_id} column reads through {@code dataset_id IS NULL OR dataset_id
 * NOT IN (<datasets this user may not read>)}. Working on the analyzed plan means every way of naming a table (short,
 * fully qualified with the catalog, time travel, a view, a CTE, a subquery, a SQL table function) has already become
 * the same relation node, so none of them escapes the filter. Anything the rewrite cannot vouch for is refused
 * (42501) rather than run: leaves other than Iceberg relations and row generators (file reads such as {@code parquet.`path`}),
 * Iceberg metadata tables of protected tables ({@code .files} and {@code .partitions} carry column bounds and
 * partition values), and commands other than the catalog browsing ones. See docs/decisions/sql-service-row-security.md.
 */
final class RowSecurity implements SqlRunner.PlanPolicy {
  static final String DATASET_COLUMN = "dataset_id";

  /** Leaves that produce rows without reading a table: VALUES, range(), a row-less FROM, a reference to a CTE. */
  private static final Set<String> ROW_GENERATORS =
      Set.of("OneRowRelation", "LocalRelation", "Range", "CTERelationRef", "EmptyRelation");

  /**
   * Read-only commands that can show values of rows: partition values (bucketed dataset ids and counts) and column
   * statistics (bounds). The other read-only commands show structure only (SHOW TABLES, DESCRIBE, EXPLAIN, SET).
   */
  private static final Set<String> ROW_REVEALING_COMMANDS = Set.of(
      "ShowPartitions", "ShowTableExtended", "ShowTablesExtended", "DescribeColumn", "DescribeColumnCommand");

  /** Expressions that call Java methods by name (SQL functions reflect, java_method, try_reflect). */
  private static final Set<String> REFLECTION = Set.of("CallMethodViaReflection", "TryReflect");

  private final Set<String> hidden;

  /** @param hidden the datasets the user may not read (private, neither owned nor allowlisted) */
  RowSecurity(Set<String> hidden) {
    this.hidden = Set.copyOf(requireNonNull(hidden, "hidden"));
  }

  @Override
  public LogicalPlan apply(LogicalPlan analyzed) {
    if (analyzed instanceof Command) {
      String name = analyzed.getClass().getSimpleName();
      if (!ReadOnlySql.readOnlyCommands().contains(name) || ROW_REVEALING_COMMANDS.contains(name)) {
        throw refused(name + " is not available through the SQL service: row-level security of private datasets "
            + "allows queries and catalog browsing only (an administrator can turn it off with "
            + SqlServiceOptions.ROW_SECURITY + "=false)");
      }
      return analyzed; // shows structure only; its children are catalog references, not scans
    }
    refuseReflection(analyzed);
    return analyzed.transformUpWithSubqueries(new AbstractPartialFunction<>() {
      @Override
      public boolean isDefinedAt(LogicalPlan node) {
        return node instanceof LeafNode;
      }

      @Override
      public LogicalPlan apply(LogicalPlan node) {
        return secureLeaf(node);
      }
    });
  }

  /**
   * {@code reflect}, {@code java_method} and {@code try_reflect} call any static Java method with string arguments in
   * the service's JVM: a way around any filter on plans (reading files, the environment), so they are refused.
   */
  private static void refuseReflection(LogicalPlan analyzed) {
    analyzed.foreachWithSubqueries(node -> {
      node.expressions().foreach(expression -> {
        if (expression.exists(e -> REFLECTION.contains(e.getClass().getSimpleName()))) {
          throw refused("reflect, java_method and try_reflect are not available through the SQL service");
        }
        return BoxedUnit.UNIT;
      });
      return BoxedUnit.UNIT;
    });
  }

  private LogicalPlan secureLeaf(LogicalPlan leaf) {
    if (leaf instanceof DataSourceV2Relation relation) {
      Attribute dataset = datasetColumn(relation.output());
      if (dataset != null) {
        return hidden.isEmpty() ? relation : new Filter(visible(dataset), relation);
      }
      if (isMetadataOfProtectedTable(relation)) {
        throw refused("metadata table " + relation.table().name() + " describes the files of a table with " + DATASET_COLUMN
            + " (column bounds, partition values) and is not available through the SQL service");
      }
      return relation;
    }
    if (ROW_GENERATORS.contains(leaf.getClass().getSimpleName())) {
      return leaf;
    }
    throw refused("the statement reads " + leaf.getClass().getSimpleName() + ", which the SQL service cannot filter by dataset "
        + "visibility; query lakehouse tables by name");
  }

  /** {@code dataset_id IS NULL OR NOT dataset_id IN (hidden...)}: rows of no dataset and of readable datasets. */
  private Expression visible(Attribute dataset) {
    List<Expression> values = new ArrayList<>();
    for (String id : new TreeSet<>(hidden)) {
      values.add(Literal.create(id, DataTypes.StringType));
    }
    return new Or(new IsNull(dataset),
        new Not(new In(dataset, CollectionConverters.asScala(values).toSeq())));
  }

  private static Attribute datasetColumn(scala.collection.immutable.Seq<? extends Attribute> output) {
    for (Attribute a : CollectionConverters.asJava(output)) {
      if (a.name().toLowerCase(Locale.ROOT).equals(DATASET_COLUMN)) {
        return a;
      }
    }
    return null;
  }

  /** An Iceberg metadata table ({@code t.files}, {@code t.snapshots}, ...) of a table that has a dataset column. */
  private static boolean isMetadataOfProtectedTable(DataSourceV2Relation relation) {
    if (relation.table() instanceof org.apache.iceberg.spark.source.SparkTable spark
        && spark.table() instanceof org.apache.iceberg.BaseMetadataTable metadata) {
      return metadata.table().schema().caseInsensitiveFindField(DATASET_COLUMN) != null;
    }
    return false;
  }

  /** "refused:" makes it a permission error (SQLSTATE 42501, {@link PgException#of}) as for a refused write. */
  private static LakehouseException refused(String message) {
    return new LakehouseException(ErrorCategory.USER_ERROR, "refused: %s", message);
  }
}
