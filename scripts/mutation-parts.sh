#!/usr/bin/env bash
# Mutation testing of the pure core in parts small enough to end within a session on 2 cores (Stryker
# writes its report and incremental file only when a run ends). Each part has its own incremental
# file, bench/stryker-incremental-<part>.json (commit it: a rerun then tests only what changed), and
# its report is kept as reports/mutation/<part>-part.json for scripts/mutation-summary.mjs, which reads
# them all as one.
#
#   bash scripts/mutation-parts.sh [part ...]      (no part: all, in this order)
#   node scripts/mutation-summary.mjs reports/mutation/*-part.json
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A PARTS=(
  [metrics-a]='src/metrics/callbacks.ts,src/metrics/compare.ts,src/metrics/contribution.ts,src/metrics/delta.ts,src/metrics/dims.ts,src/metrics/fallbacks.ts,src/metrics/figure-calls.ts,src/metrics/grains.ts'
  [metrics-b]='src/metrics/histogram.ts,src/metrics/local-time.ts,src/metrics/measures.ts,src/metrics/no-help.ts,src/metrics/nodes.ts,src/metrics/notices.ts,src/metrics/queue-contribution.ts,src/metrics/queues.ts,src/metrics/recompute.ts,src/metrics/repeat-callers.ts,src/metrics/skr.ts,src/metrics/summary.ts,src/metrics/view-types.ts'
  [flow-engine]='src/flow/engine.ts,src/flow/nodes/*.ts'
  [flow-core]='src/flow/context.ts,src/flow/state.ts,src/flow/actions.ts,src/flow/prompt.ts,src/flow/texts.ts,src/flow/backups.ts,src/flow/opening-hours.ts,src/flow/registry.ts,src/flow/references.ts,src/flow/node-label.ts,src/flow/schema.ts'
  [flow-lint]='src/flow/lint/**/*.ts,!src/flow/lint/lint.ts'
  [flow-replay]='src/flow/replay/**/*.ts,!src/flow/replay/archive.ts'
  [flow-render]='src/flow/render/**/*.ts'
  [journey]='src/journey/**/*.ts,src/privacy/pseudonym.ts'
)
ORDER=(metrics-a metrics-b flow-engine flow-core flow-lint flow-replay flow-render journey)

parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=("${ORDER[@]}")
for p in "${parts[@]}"; do
  [ -n "${PARTS[$p]:-}" ] || { echo "mutation-parts: no part named $p (parts: ${ORDER[*]})" >&2; exit 2; }
done
mkdir -p reports/mutation
for p in "${parts[@]}"; do
  echo "== $p ($(date -u +%H:%M) UTC, commit $(git rev-parse --short HEAD))"
  node scripts/mutation-retest-static.mjs "bench/stryker-incremental-$p.json"
  npx stryker run --mutate "${PARTS[$p]}" --concurrency 2 --incrementalFile "bench/stryker-incremental-$p.json"
  cp reports/mutation/mutation.json "reports/mutation/$p-part.json"
done
