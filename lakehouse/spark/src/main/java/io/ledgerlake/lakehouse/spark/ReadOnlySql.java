package io.ledgerlake.lakehouse.spark;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Decides from Spark's parsed plan whether a statement only reads, so that the SQL command (and the SQL service) can
 * refuse DDL and DML by default. An allowlist, not a keyword match: a statement is read-only when no node of its plan
 * (CTE definitions and EXPLAIN's inner plan included) is a command, a parsed write statement or a view definition,
 * except the read-only commands named in {@link #READ_ONLY_COMMANDS}. A write command Spark adds later is refused
 * until someone reviews it and adds it here. See docs/decisions/sql-read-only.md.
 */
public final class ReadOnlySql {
  /** Commands that only read metadata (simple class names of Spark 4.0's logical plans). */
  static final Set<String> READ_ONLY_COMMANDS = Set.of(
      "ShowTables", "ShowTablesExtended", "ShowNamespaces", "ShowColumns", "ShowTableProperties", "ShowCreateTable",
      "ShowViews", "ShowFunctions", "ShowPartitions", "ShowCatalogs", "ShowCurrentNamespace", "ShowTableExtended",
      "ShowTablesCommand", "ShowColumnsCommand", "ShowCreateTableCommand", "ShowTablePropertiesCommand",
      "DescribeRelation", "DescribeColumn", "DescribeNamespace", "DescribeFunction", "DescribeTableCommand",
      "DescribeColumnCommand", "DescribeFunctionCommand", "DescribeQueryCommand",
      "ExplainCommand", "SetCommand");

  /** Parsed plan classes that are writes or session definitions although they are not {@code Command}s. */
  private static final Set<String> WRITE_STATEMENTS = Set.of(
      "InsertIntoStatement", "CreateTableAsSelectStatement", "ReplaceTableAsSelectStatement", "CreateView",
      "CreateViewStatement", "CacheTableStatement", "UncacheTableStatement", "AlterTableStatement", "Call",
      "CallStatement", "UnresolvedProcedure");

  private static final Class<?> COMMAND = load("org.apache.spark.sql.catalyst.plans.logical.Command");
  private static final Class<?> PARSED_STATEMENT = load("org.apache.spark.sql.catalyst.plans.logical.ParsedStatement");

  private ReadOnlySql() {}

  /** The simple class names of the commands this check lets through as reads (a stricter policy builds on them). */
  public static Set<String> readOnlyCommands() {
    return READ_ONLY_COMMANDS;
  }

  /**
   * @throws LakehouseException USER_ERROR naming the refused operation, or the parser's own error for a statement
   *     Spark cannot parse (several statements separated by {@code ;} included)
   */
  public static void check(SparkSession spark, String sql) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(sql);
    } catch (Exception e) { // ParseException: Scala declares no checked exceptions
      throw new LakehouseException(ErrorCategory.USER_ERROR, e, "SQL error: %s", SqlRunner.firstLine(String.valueOf(e.getMessage())));
    }
    String refused = firstWrite(plan);
    if (refused != null) {
      throw new LakehouseException(ErrorCategory.USER_ERROR,
          "refused: %s is not a read (ledgerlake sql is read-only); an administrator can allow writes with "
              + "--allow-writes or %s=true (docs/sql.md)", refused, SparkOptions.SQL_ALLOW_WRITES);
    }
  }

  /** The statement kind of the first node that writes, or null when the whole plan reads. */
  static String firstWrite(LogicalPlan plan) {
    String name = plan.getClass().getSimpleName();
    if (name.equals("ExecuteImmediateQuery")) {
      // Its statement is a string Spark parses during analysis, after this check, and runs then if it is a command:
      // EXECUTE IMMEDIATE 'DROP TABLE ...' would pass a check of the outer plan. Refused whatever the string holds.
      return "EXECUTE IMMEDIATE";
    }
    if (name.equals("ExplainCommand")) {
      LogicalPlan explained = (LogicalPlan) invoke(plan, "logicalPlan");
      return explained == null ? null : firstWrite(explained);
    }
    if (name.equals("SetCommand")) {
      scala.Option<?> kv = (scala.Option<?>) invoke(plan, "kv");
      if (kv != null && kv.isDefined()) {
        scala.Tuple2<?, ?> pair = (scala.Tuple2<?, ?>) kv.get();
        if (((scala.Option<?>) pair._2()).isDefined()) {
          return "SET " + pair._1();
        }
      }
      return null;
    }
    boolean command = COMMAND != null && COMMAND.isInstance(plan);
    boolean statement = PARSED_STATEMENT != null && PARSED_STATEMENT.isInstance(plan);
    if ((command && !READ_ONLY_COMMANDS.contains(name)) || statement || WRITE_STATEMENTS.contains(name)) {
      return describe(name);
    }
    for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
      String found = firstWrite(child);
      if (found != null) {
        return found;
      }
    }
    for (Object inner : CollectionConverters.asJava(plan.innerChildren())) {
      if (inner instanceof LogicalPlan p) {
        String found = firstWrite(p);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** {@code DropTable} → {@code DROP TABLE}: the statement as a user wrote it, near enough. */
  private static String describe(String planClass) {
    String base = planClass.replaceAll("(Command|Statement|Exec)$", "");
    return base.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
  }

  private static Object invoke(Object target, String method) {
    try {
      return target.getClass().getMethod(method).invoke(target);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, ReadOnlySql.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
