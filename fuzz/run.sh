#!/usr/bin/env bash
# Seed the fuzz corpora with the project's own fixtures and run each target for SECONDS
# (default 600). Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_PER_TARGET:-600}
mkdir -p corpus/extract corpus/snapshot corpus/gazetteer
cp ../examples/corpus/*.txt ../tests/data/holdout/*.txt ../tests/data/holdout2/*.txt ../tests/data/gold/*.txt corpus/extract/
python3 - <<'PY'
import re
rows = open("../tests/data/patterns.ron", encoding="utf-8").read()
for i, text in enumerate(re.findall(r'text: "((?:[^"\\]|\\.)*)"', rows)):
    open(f"corpus/extract/pattern{i:03}.txt", "w", encoding="utf-8").write(text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
PY
cp ../graphs/nghe-an.ron corpus/snapshot/
for f in ../gazetteer/*.ron; do
  for i in 0 1 2 3 4 5 6; do (printf "\\x0$i"; cat "$f") > "corpus/gazetteer/$i-$(basename "$f")"; done
done
for target in ${TARGETS:-extract snapshot gazetteer}; do
  echo "== $target ($seconds s)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 \
    > "fuzz-$target.log" 2>&1 || echo "$target stopped: see fuzz/fuzz-$target.log and fuzz/artifacts/$target/"
  grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|SUMMARY|panicked" "fuzz-$target.log" | tail -3
done
