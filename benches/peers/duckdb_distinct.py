"""DuckDB COUNT(DISTINCT) over the identifier columns of a parquet lake.
Usage: python duckdb_distinct.py LAKE_DIR   → one JSON line."""
import json, sys, time

import duckdb

lake = sys.argv[1]
con = duckdb.connect()
t0 = time.perf_counter()
ids, phones, rows = con.execute(
    "SELECT COUNT(DISTINCT sfzh), COUNT(DISTINCT sjhm), COUNT(*) "
    f"FROM read_parquet('{lake}/**/*.parquet', hive_partitioning = false)").fetchone()
dt = time.perf_counter() - t0
threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
print(json.dumps({"engine": "duckdb " + duckdb.__version__, "secs": dt, "distinct_sfzh": ids,
                  "distinct_sjhm": phones, "rows": rows, "threads": threads}))
