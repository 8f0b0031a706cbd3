"""Run `cadregraph extract` over articles with Spark (local mode here; any cluster the same way).

Each partition of a JSON Lines RDD of articles ({"id", "text", ...}) is piped through
`cadregraph extract -`, which reads JSON Lines on stdin and writes facts as JSON Lines on
stdout: the map step. `cadregraph build` then merges the facts into one snapshot: the reduce.

usage: python3 extract_spark.py ARTICLES.jsonl OUT_DIR CADREGRAPH_BINARY
"""
import sys

from pyspark.sql import SparkSession


def main(articles, out_dir, binary):
    spark = SparkSession.builder.master("local[2]").appName("cadregraph-extract").getOrCreate()
    try:
        lines = spark.sparkContext.textFile(articles, minPartitions=4)
        facts = lines.pipe(f"{binary} extract -")
        facts.saveAsTextFile(out_dir)
    finally:
        spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
