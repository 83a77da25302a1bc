# Shared by the sweep scripts of this folder (sourced, not run): finds or builds `crossbar`,
# runs a sweep file resumably and writes its report.
#
#   run_sweep NAME OUTDIR           # the sweep file is read from stdin
#
# Writes OUTDIR/NAME.json (the sweep file), OUTDIR/NAME.jsonl (one line per finished point) and
# OUTDIR/NAME/ (report.md, report.csv, SVG plots). Killed? Run the same script again: finished
# points are skipped, none is duplicated. Environment: CROSSBAR (the executable; default: this
# checkout's release build, built when missing), SWEEP_JOBS (points at once; default: CPUs).
set -euo pipefail
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)

crossbar_bin() {
    if [ -n "${CROSSBAR:-}" ]; then echo "$CROSSBAR"; return; fi
    if [ ! -x "$root/.build/release/crossbar" ]; then
        "$root/scripts/setup.sh" >&2
        (cd "$root" && swift build -c release --product crossbar >&2)
    fi
    echo "$root/.build/release/crossbar"
}

run_sweep() {
    local name=$1 outdir=$2
    local bin; bin=$(crossbar_bin)
    mkdir -p -- "$outdir"
    cat > "$outdir/$name.json.tmp" && mv "$outdir/$name.json.tmp" "$outdir/$name.json"
    "$bin" sweep plan "$outdir/$name.json" --count >/dev/null   # validate before running anything
    local status=0
    "$bin" sweep run "$outdir/$name.json" --out "$outdir/$name.jsonl" --jobs "${SWEEP_JOBS:-$(nproc)}" || status=$?
    "$bin" sweep report "$outdir/$name.jsonl" --out "$outdir/$name"
    echo "results: $outdir/$name.jsonl; report: $outdir/$name/report.md" >&2
    return $status
}
