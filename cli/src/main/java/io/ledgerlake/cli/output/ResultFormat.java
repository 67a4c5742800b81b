package io.ledgerlake.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How the CLI prints rows: an aligned text table, RFC 4180 CSV, or JSON Lines (one object per row). */
public enum ResultFormat {
  table {
    @Override
    public void print(PrintWriter out, List<String> columns, List<List<Object>> rows, boolean truncated) {
      int n = columns.size();
      int[] width = new int[n];
      List<List<String>> cells = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        width[i] = columns.get(i).length();
      }
      for (List<Object> row : rows) {
        List<String> line = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          String text = text(row.get(i));
          width[i] = Math.max(width[i], text.length());
          line.add(text);
        }
        cells.add(line);
      }
      printLine(out, columns, width);
      StringBuilder rule = new StringBuilder();
      for (int i = 0; i < n; i++) {
        rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
      }
      out.println(rule);
      cells.forEach(line -> printLine(out, line, width));
      out.printf("(%d row%s%s)%n", rows.size(), rows.size() == 1 ? "" : "s", truncated ? ", more not shown: raise --max-rows" : "");
      out.flush();
    }

    private void printLine(PrintWriter out, List<String> values, int[] width) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        sb.append(i == 0 ? "" : " | ").append(String.format("%-" + Math.max(1, width[i]) + "s", values.get(i)));
      }
      out.println(sb.toString().stripTrailing());
    }
  },
  csv {
    @Override
    public void print(PrintWriter out, List<String> columns, List<List<Object>> rows, boolean truncated) {
      out.print(csvLine(new ArrayList<>(columns)));
      for (List<Object> row : rows) {
        out.print(csvLine(row));
      }
      out.flush();
    }

    private String csvLine(List<?> values) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        Object v = values.get(i);
        String s = v == null ? "" : text(v);
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
          s = '"' + s.replace("\"", "\"\"") + '"';
        }
        sb.append(s);
      }
      return sb.append("\r\n").toString();
    }
  },
  json {

    @Override
    public void print(PrintWriter out, List<String> columns, List<List<Object>> rows, boolean truncated) {
      for (List<Object> row : rows) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          object.put(columns.get(i), jsonValue(row.get(i)));
        }
        try {
          out.println(JsonMapper.INSTANCE.writeValueAsString(object));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot serialize row " + row, e);
        }
      }
      out.flush();
    }

    private Object jsonValue(Object v) {
      if (v instanceof TemporalAccessor) {
        return v.toString();
      }
      if (v instanceof List<?> list) {
        return list.stream().map(this::jsonValue).toList();
      }
      if (v instanceof Map<?, ?> map) {
        Map<String, Object> m = new LinkedHashMap<>();
        map.forEach((k, val) -> m.put(String.valueOf(k), jsonValue(val)));
        return m;
      }
      return v;
    }
  };

  /** Prints {@code rows} under {@code columns}; {@code truncated} says more rows existed. */
  public abstract void print(PrintWriter out, List<String> columns, List<List<Object>> rows, boolean truncated);

  static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    return String.valueOf(v);
  }

  /**
   * Created on first use, not when the enum is initialized: picocli initializes it for every command line (to list
   * the formats), and building an ObjectMapper costs about 0.2 s of start-up that --help and most commands never use.
   */
  private static final class JsonMapper {
    static final ObjectMapper INSTANCE = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }
}
