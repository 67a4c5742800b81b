package io.ledgerlake.lakehouse.spark;

import static java.util.Objects.requireNonNull;

import io.ledgerlake.common.ErrorCategory;
import io.ledgerlake.lakehouse.LakehouseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Runs SQL over the lakehouse and returns plain rows; SQL mistakes become one-line user errors. Read-only unless
 * constructed with {@code allowWrites} ({@link ReadOnlySql}).
 */
public final class SqlRunner {
  private final SparkSession spark;
  private final boolean allowWrites;

  /** Read-only: DDL and DML are refused. */
  public SqlRunner(SparkSession spark) {
    this(spark, false);
  }

  public SqlRunner(SparkSession spark, boolean allowWrites) {
    this.spark = requireNonNull(spark, "spark");
    this.allowWrites = allowWrites;
  }

  /**
   * Executes {@code sql} and fetches at most {@code maxRows} rows.
   *
   * @throws LakehouseException with category USER_ERROR for unknown tables, columns and syntax
   *     errors; the message is Spark's first line, which names the problem and its position
   */
  public QueryResult run(String sql, int maxRows) {
    return execute(sql, maxRows).result();
  }

  /**
   * Rewrites or refuses a statement's analyzed plan before it runs (the SQL service's row-level security of private
   * datasets). Throws a {@link LakehouseException} to refuse; a message starting with {@code refused:} is a permission
   * refusal, as {@link ReadOnlySql}'s.
   */
  @FunctionalInterface
  public interface PlanPolicy {
    LogicalPlan apply(LogicalPlan analyzed);
  }

  /**
   * A result with Spark's schema beside the plain rows, for callers that must tell clients the column types (the SQL
   * service's typed result columns).
   */
  public record Execution(StructType schema, QueryResult result) {}

  /** Like {@link #run} but keeps the schema. */
  public Execution execute(String sql, int maxRows) {
    return execute(sql, maxRows, null);
  }

  /** Like {@link #execute(String, int)} with the plan {@code policy} gives for the statement's (null: none). */
  public Execution execute(String sql, int maxRows, PlanPolicy policy) {
    checkAllowed(sql);
    try {
      Dataset<Row> df = dataFrame(sql, policy);
      StructType schema = df.schema();
      List<Row> fetched = df.takeAsList(maxRows + 1);
      boolean truncated = fetched.size() > maxRows;
      List<List<Object>> rows = new ArrayList<>();
      for (Row row : fetched.subList(0, Math.min(maxRows, fetched.size()))) {
        rows.add(toJava(row, schema));
      }
      List<String> columns = new ArrayList<>();
      for (StructField f : schema.fields()) {
        columns.add(f.name());
      }
      return new Execution(schema, new QueryResult(columns, rows, truncated));
    } catch (LakehouseException e) {
      throw e;
    } catch (Exception e) {
      throw translate(e);
    }
  }

  /**
   * The result schema of {@code sql} without running it, or empty for a write (allowed, else refused): Spark runs
   * commands eagerly when it analyses them, so a write must not be analysed just to be described. Read-only commands
   * (SHOW, DESCRIBE) are analysed, which runs them; they only read.
   */
  public java.util.Optional<StructType> schema(String sql) {
    return schema(sql, null);
  }

  /** Like {@link #schema(String)} under a plan policy (null: none); a refused statement is refused here already. */
  public java.util.Optional<StructType> schema(String sql, PlanPolicy policy) {
    checkAllowed(sql);
    if (allowWrites && policy == null && ReadOnlySql.firstWrite(parse(sql)) != null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(dataFrame(sql, policy).schema());
    } catch (Exception e) {
      throw translate(e);
    }
  }

  /**
   * The statement as a DataFrame. With a policy, the statement is analysed without running it (Spark runs commands
   * when a DataFrame is made from them), the policy rewrites or refuses the analysed plan, and the DataFrame is made
   * from what the policy returned: what runs is exactly what the policy saw. Analysis reads the session's settings
   * from the thread's active session, so this session is made active for the call.
   */
  private Dataset<Row> dataFrame(String sql, PlanPolicy policy) {
    if (policy == null) {
      return spark.sql(sql);
    }
    scala.Option<SparkSession> previous = SparkSession.getActiveSession();
    SparkSession.setActiveSession(spark);
    try {
      LogicalPlan analyzed = spark.sessionState()
          .executePlan(parse(sql), org.apache.spark.sql.execution.CommandExecutionMode$.MODULE$.SKIP())
          .analyzed();
      return org.apache.spark.sql.classic.Dataset.ofRows((org.apache.spark.sql.classic.SparkSession) spark,
          policy.apply(analyzed));
    } finally {
      if (previous.isDefined()) {
        SparkSession.setActiveSession(previous.get());
      } else {
        SparkSession.clearActiveSession();
      }
    }
  }

  private void checkAllowed(String sql) {
    if (sql == null || sql.isBlank()) {
      throw new LakehouseException(ErrorCategory.USER_ERROR, "empty SQL statement; pass a query, e.g. \"select count(*) from ingest.records\"");
    }
    if (!allowWrites) {
      ReadOnlySql.check(spark, sql);
    }
  }

  private LogicalPlan parse(String sql) {
    try {
      return spark.sessionState().sqlParser().parsePlan(sql);
    } catch (Exception e) { // ParseException: Scala declares no checked exceptions
      throw new LakehouseException(ErrorCategory.USER_ERROR, e, "SQL error: %s", firstLine(String.valueOf(e.getMessage())));
    }
  }

  private static LakehouseException translate(Exception e) {
    // Scala declares no checked exceptions: AnalysisException (unknown table or column, syntax
    // error) arrives here although javac cannot see it.
    if (e instanceof LakehouseException l) {
      return l;
    }
    if (e instanceof AnalysisException) {
      return new LakehouseException(ErrorCategory.USER_ERROR, e, "SQL error: %s", firstLine(e.getMessage()));
    }
    return new LakehouseException(ErrorCategory.EXTERNAL, e, "query failed: %s", firstLine(String.valueOf(e.getMessage())));
  }

  static String firstLine(String message) {
    String line = message.strip().lines().findFirst().orElse(message);
    // Spark appends the query plan after ";" on the first line for analysis errors.
    int plan = line.indexOf(";\n");
    return plan > 0 ? line.substring(0, plan) : line;
  }

  private static List<Object> toJava(Row row, StructType schema) {
    List<Object> out = new ArrayList<>(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      out.add(value(row.get(i), schema.fields()[i].dataType()));
    }
    return out;
  }

  private static Object value(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    if (type instanceof StructType struct) {
      Row r = (Row) v;
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < struct.size(); i++) {
        m.put(struct.fields()[i].name(), value(r.get(i), struct.fields()[i].dataType()));
      }
      return m;
    }
    if (type instanceof ArrayType array) {
      List<Object> list = new ArrayList<>();
      for (Object e : CollectionConverters.asJava((scala.collection.Seq<?>) v)) {
        list.add(value(e, array.elementType()));
      }
      return list;
    }
    if (type instanceof MapType mapType) {
      Map<Object, Object> m = new LinkedHashMap<>();
      CollectionConverters.asJava((scala.collection.Map<?, ?>) v)
          .forEach((k, val) -> m.put(value(k, mapType.keyType()), value(val, mapType.valueType())));
      return m;
    }
    if (v instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return v;
  }
}
