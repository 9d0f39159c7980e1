#!/usr/bin/env bash
# Seeds each target's corpus from the repository's fixtures.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/extract_html corpus/import corpus/query corpus/layout corpus/pdf_export
find "$root/../shared/fixtures/readability" -name source.html 2>/dev/null | head -200 | while read -r f; do
  cp "$f" "corpus/extract_html/$(echo "$f" | md5sum | cut -c1-16)"
done
cp "$root/../shared/fixtures/vilnius/"*.html corpus/extract_html/ 2>/dev/null || true
find "$root/crates/quire-import/tests/fixtures" -type f | while read -r f; do cp "$f" "corpus/import/$(echo "$f" | md5sum | cut -c1-16)"; done
printf '%s\n' 'nato accession' '"after the war" -kremlin' 'tag:politics/europe only' 'site:courier1 cab*' 'is:read has:notes ukraine' '"unbalanced' > corpus/query/seeds
i=0; while read -r q; do printf '%s' "$q" > "corpus/query/$i"; i=$((i + 1)); done < corpus/query/seeds; rm corpus/query/seeds
