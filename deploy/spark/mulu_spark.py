"""Runs a sharded mulu scan from Spark: the plan on the driver, one Spark task per shard
(each runs the mulu binary shipped to the executors), the merge on the driver, and the
identifier sketches unioned in Spark SQL.

    spark-submit deploy/spark/mulu_spark.py --mulu /opt/mulu/mulu --config mulu.toml \
        --hash-key-file key.hex --run s3://bucket/runs/nightly --shards 64

The run folder must be reachable from every executor (a bucket prefix, or a shared folder);
sources and credentials come from the config and the executors' environment, as for
`mulu scan --plan`. Exit status: 0 when every shard and the merge succeeded, 3 when the merge
is partial, 1 otherwise.
"""

import argparse
import json
import os
import subprocess
import sys

from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def mulu_args(args, *command):
    """The mulu command line shared by every step."""
    extra = ["--hash-key-file", args.hash_key_file]
    if args.config:
        extra += ["--config", args.config]
    return [*command, *extra]


def run_shard(index, binary, args):
    """One Spark task: scan shard `index`; returns (index, exit code, last stderr line)."""
    command = [binary, *mulu_args(args, "scan", "--plan", args.run, "--shard", str(index),
                                  "--of", str(args.shards), "--quiet")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    tail = done.stderr.strip().splitlines()[-1:] or [""]
    return index, done.returncode, tail[0]


def union_sketches(spark, run):
    """Per identifier kind, Spark SQL's estimate of the union of the shards' HLL sketches."""
    files = spark.read.format("binaryFile").load(f"{run}/shards/*/sketches/*.hll")
    kinds = files.withColumn("kind", F.regexp_extract("path", r"([^/]+)\.hll$", 1))
    unioned = kinds.groupBy("kind").agg(F.hll_union_agg("content").alias("sketch"))
    rows = unioned.select("kind", F.hll_sketch_estimate("sketch").alias("estimate")).collect()
    return {row["kind"]: row["estimate"] for row in rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mulu", required=True, help="the mulu binary, shipped to executors")
    parser.add_argument("--run", required=True, help="the run folder (path or bucket prefix)")
    parser.add_argument("--shards", type=int, required=True)
    parser.add_argument("--hash-key-file", required=True)
    parser.add_argument("--config")
    parser.add_argument("--master", help="e.g. local[2]; default: spark-submit's")
    parser.add_argument("--json", help="also write the merged report here")
    parser.add_argument("--no-state", action="store_true")
    parser.add_argument("--skip-plan", action="store_true", help="the plan exists already")
    parser.add_argument("sources", nargs="*", help="sources given as URLs or paths, besides the config's")
    args = parser.parse_args()

    builder = SparkSession.builder.appName("mulu")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.addFile(args.mulu)
    name = os.path.basename(args.mulu)

    if not args.skip_plan:
        plan = mulu_args(args, "plan", "--out", args.run, *args.sources)
        subprocess.run([args.mulu, *plan], check=True)

    def task(indices):
        binary = SparkFiles.get(name)
        os.chmod(binary, 0o755)
        return [run_shard(i, binary, args) for i in indices]

    results = sc.parallelize(range(args.shards), args.shards).mapPartitions(task).collect()
    failed = [(i, code, tail) for i, code, tail in results if code != 0]
    for i, code, tail in failed:
        print(f"shard {i} failed with exit {code}: {tail}", file=sys.stderr)

    merge = mulu_args(args, "merge", args.run)
    if args.json:
        merge += ["--json", args.json]
    if args.no_state:
        merge += ["--no-state"]
    merged = subprocess.run([args.mulu, *merge], check=False)

    spark_estimates = union_sketches(spark, args.run)
    print(json.dumps({"spark_estimates": spark_estimates}, sort_keys=True))
    spark.stop()
    if failed or merged.returncode not in (0, 3):
        return 1
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main())
