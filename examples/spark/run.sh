#!/usr/bin/env bash
# End to end: the example corpus as JSON Lines → Spark (local mode) pipes it through
# `cadregraph extract -` → `cadregraph build` merges the facts → the snapshot is the one a single
# build gives (graphs/nghe-an.ron). Needs `pip install pyspark` and Java 17+; not part of
# `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/articles.jsonl" <<'PY'
import json, pathlib, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for path in sorted(pathlib.Path("examples/corpus").glob("*.txt")):
        out.write(json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
PY
python3 examples/spark/extract_spark.py "$work/articles.jsonl" "$work/facts" "$PWD/target/release/cadregraph"
cat "$work"/facts/part-* > "$work/facts.jsonl"
./target/release/cadregraph build "$work/facts.jsonl" -o "$work/spark.ron"
if cmp -s "$work/spark.ron" graphs/nghe-an.ron; then
  echo "Spark map + cadregraph build reduce = one build: identical snapshots"
else
  diff <(head -50 "$work/spark.ron") <(head -50 graphs/nghe-an.ron) || true
  echo "snapshots differ" >&2
  exit 1
fi
