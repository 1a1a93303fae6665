#!/usr/bin/env python3
"""Writes the Apache Iceberg test table `connectors/tests/data/iceberg/orders` with a real
writer (pyiceberg, SQL catalog on SQLite), so CI reads a real table without installing
pyiceberg. All data is synthetic: resident ID numbers are made up, with valid check digits.

History of the table (the tests assert these figures):
  snapshot 1  append 40 rows (order_id 0..39)             -> file A
  snapshot 2  append 30 rows (order_id 40..69)            -> file B
  snapshot 3  delete order_id < 10 (copy-on-write)        -> A rewritten as A' (30 rows)
  snapshot 4  append 20 rows (order_id 70..89)            -> file C
  then snapshots 1 and 2 are expired.
The current snapshot is 4 with A', B, C: 80 rows. File A stays on storage, in no snapshot the
metadata still knows: an orphan, which mulu must count as not in the current snapshot.

The table is written under a scratch warehouse and copied here, so the absolute paths in its
metadata point at a folder that no longer exists: readers must resolve them against where the
table is now.

Usage: python3 -m venv /tmp/ice && /tmp/ice/bin/pip install 'pyiceberg[sql-sqlite,pyarrow]==0.12.0'
       /tmp/ice/bin/python scripts/make-iceberg-fixture.py
"""

import json
import pathlib
import shutil
import tempfile

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(n: int) -> str:
    """A synthetic Beijing resident ID number with a valid GB 11643 check character."""
    body = f"110105{1960 + n % 40}{1 + n % 12:02}{1 + n % 28:02}{n % 1000:03}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def rows(start: int, count: int) -> pa.Table:
    ids = list(range(start, start + count))
    return pa.table(
        {
            "order_id": pa.array(ids, pa.int64()),
            "sfzh": [id_number(n) for n in ids],
            "shouji": [f"139{n:08}" for n in ids],
            "city": ["上海" if n % 2 else "北京" for n in ids],
        }
    )


def main() -> None:
    out = pathlib.Path(__file__).resolve().parent.parent / "connectors/tests/data/iceberg"
    with tempfile.TemporaryDirectory(prefix="mulu-iceberg-") as scratch:
        warehouse = pathlib.Path(scratch) / "wh"
        warehouse.mkdir()
        catalog = SqlCatalog(
            "fixture",
            uri=f"sqlite:///{scratch}/catalog.db",
            warehouse=f"file://{warehouse}",
        )
        catalog.create_namespace("db")
        first = rows(0, 40)
        table = catalog.create_table("db.orders", schema=first.schema)
        table.append(first)
        s1 = table.current_snapshot().snapshot_id
        table.append(rows(40, 30))
        s2 = table.current_snapshot().snapshot_id
        table.delete(delete_filter="order_id < 10")
        table.append(rows(70, 20))
        table.maintenance.expire_snapshots().by_ids([s1, s2]).commit()
        table = catalog.load_table("db.orders")
        current = table.current_snapshot()
        assert table.scan().to_arrow().num_rows == 80
        source = pathlib.Path(table.location().removeprefix("file://"))
        live = sorted(
            p.removeprefix(table.location() + "/")
            for p in table.inspect.files().column("file_path").to_pylist()
        )
        written = sorted(str(p.relative_to(source)) for p in (source / "data").rglob("*.parquet"))
        facts = {
            "current_snapshot_id": current.snapshot_id,
            "rows": 80,
            "snapshots": [s.snapshot_id for s in table.snapshots()],
            "data_files": live,
            "orphan_files": [p for p in written if p not in live],
        }
        assert len(facts["orphan_files"]) == 1, facts
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        shutil.copytree(source, out / "orders")
        (out / "facts.json").write_text(json.dumps(facts, indent=2) + "\n")
        print(json.dumps(facts))


if __name__ == "__main__":
    main()
