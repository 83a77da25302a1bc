#!/bin/bash
# End-to-end test of sharded sweeps on a real Slurm: starts a one-node cluster on loopback (Debian's
# slurmctld/slurmd/munge), submits a 12-point weight-programming sweep (TTv2, c-TTv2, AGAD × σ_r × seeds) as a 4-task job array plus the merge
# job with scripts/slurm/submit-sweep.sh, waits for the queue to drain, and checks that the merged
# results equal an unsharded `crossbar sweep run` point for point (`crossbar sweep compare`).
#
#   sudo scripts/ci/slurm-test.sh        (needs root: installs packages, starts daemons)
#
# Facts and pitfalls of a one-node Slurm in a container (no systemd, munged as the munge user,
# /run/munge created by hand, SlurmctldHost = hostname -s, slurmd -N, RealMemory ≤ 95 % of free -m,
# proctrack/linuxproc + task/none, batch_sched_delay=0, poll squeue instead of sbatch --wait).
# The Slurm configuration, state, spool, logs and pid files live in a temporary directory
# (SLURM_CONF points there), on ports 16817/16818 (or the next free ones), so nothing in /etc/slurm
# is touched. Daemons started here are stopped by the PIDs in their pid files on exit, even on
# failure; a munged that was already running is left alone. Set KEEP=1 to keep the work directory.
set -euo pipefail
t0=$(date +%s.%N)
root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
say() { printf '[slurm-test %5.1fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{print a-b}')" "$*"; }
fail() { say "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "must run as root (installs packages and starts the Slurm daemons)"

# --- the release binary -------------------------------------------------------------------------
bin=$root/.build/release/crossbar
if [ ! -x "$bin" ]; then
    say "building the release binary"
    swift build -c release --product crossbar >/dev/null
fi

# --- packages -----------------------------------------------------------------------------------
missing=()
for p in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# --- stopping daemons by pid file (never by name) -----------------------------------------------
work=$(mktemp -d /tmp/crossbar-slurm-test.XXXXXX)
started=()   # "pidfile:comm" of daemons this script started
alive() {    # running and not a zombie (PID 1 here reaps orphans only now and then)
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}
stop() {
    local file=${1%%:*} comm=${1##*:} pid i
    [ -f "$file" ] || return 0
    pid=$( { tr -dc "0-9" < "$file"; } 2>/dev/null || true)
    [ -n "$pid" ] || return 0
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] || return 0   # not ours (any more)
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do alive "$pid" || return 0; sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
}
# Processes of this test's cluster that outlive the daemons (a slurmstepd of a job still running
# when the test is interrupted, and its children): exactly those whose working directory is inside
# the work directory (slurmd runs its steps from $work/log, the jobs run in $work/out).
strays() {
    local d pid cwd
    for d in /proc/[0-9]*; do
        pid=${d#/proc/}
        [ "$pid" = $$ ] && continue
        cwd=$(readlink "$d/cwd" 2>/dev/null) || continue
        case "$cwd" in "$work"|"$work"/*) alive "$pid" && echo "$pid" ;; esac
    done
}
cleanup() {
    local status=$? pids i
    # Let our (private) controller cancel whatever is still queued or running, so the steps end
    # normally. SLURM_CONF points at this test's cluster only.
    if [ -n "${SLURM_CONF:-}" ] && [ -n "$(squeue -h -o %A 2>/dev/null)" ]; then
        scancel $(squeue -h -o %A) 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.1; done
    fi
    for ((k = ${#started[@]} - 1; k >= 0; k--)); do stop "${started[k]}"; done
    pids=$(strays)
    if [ -n "$pids" ]; then
        kill -TERM $pids 2>/dev/null || true
        for ((i = 0; i < 20; i++)); do pids=$(strays); [ -z "$pids" ] && break; sleep 0.05; done
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true   # slurmstepd ignores TERM without its slurmd
    fi
    if [ $status -ne 0 ]; then
        echo "--- slurmctld.log (tail)"; tail -n 15 "$work/log/slurmctld.log" 2>/dev/null || true
        echo "--- slurmd.log (tail)"; tail -n 15 "$work/log/slurmd.log" 2>/dev/null || true
        for f in "$work"/out/*.out; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done
        echo "work directory kept: $work"
    elif [ -z "${KEEP:-}" ]; then
        rm -rf "$work"
    else
        echo "work directory kept: $work"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- munge ----------------------------------------------------------------------------------------
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -f /etc/munge/munge.key ]; then
    /usr/sbin/mungekey --create >/dev/null
fi
chown munge:munge /etc/munge/munge.key && chmod 0600 /etc/munge/munge.key
munge_pid=$( { tr -dc '0-9' < /run/munge/munged.pid; } 2>/dev/null || true)
if [ -n "$munge_pid" ] && [ "$(cat "/proc/$munge_pid/comm" 2>/dev/null)" = munged ] && alive "$munge_pid"; then
    say "munged already running (pid $munge_pid), reusing it"
else
    runuser -u munge -- /usr/sbin/munged
    started+=("/run/munge/munged.pid:munged")
fi

# --- configuration --------------------------------------------------------------------------------
host=$(hostname -s)
read -r cpus sockets cores threads < <(slurmd -C | head -n1 | tr ' ' '\n' | awk -F= '
    $1=="CPUs"{c=$2} $1=="SocketsPerBoard"{s=$2} $1=="CoresPerSocket"{k=$2} $1=="ThreadsPerCore"{t=$2}
    END{print c, s, k, t}')
memory=$(( $(free -m | awk '/^Mem:/{print $2}') * 95 / 100 ))
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
ctld_port=16817; while ! port_free "$ctld_port"; do ctld_port=$((ctld_port + 2)); done
slurmd_port=$((ctld_port + 1)); while ! port_free "$slurmd_port"; do slurmd_port=$((slurmd_port + 2)); done
mkdir -p "$work/state" "$work/spool" "$work/log" "$work/out"
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<CONF
# written by crossbar scripts/ci/slurm-test.sh
ClusterName=crossbar-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MailProg=/bin/true
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus Sockets=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

# --- daemons --------------------------------------------------------------------------------------
/usr/sbin/slurmctld -c -f "$SLURM_CONF"
started+=("$work/slurmctld.pid:slurmctld")
/usr/sbin/slurmd -N "$host" -f "$SLURM_CONF"
started+=("$work/slurmd.pid:slurmd")
deadline=$(( $(date +%s) + 30 ))
until [ "$(sinfo -h -N -n "$host" -o %t 2>/dev/null)" = idle ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "node $host did not become idle (sinfo: $(sinfo -h -N -o '%N %t %E' 2>&1))"
    sleep 0.1
done
say "cluster up: node $host idle ($cpus CPUs, ${memory} MB), ports $ctld_port/$slurmd_port"

# --- the sweep ------------------------------------------------------------------------------------
cat > "$work/spec.json" <<'SPEC'
{
  "name": "slurm-ci",
  "base": {"task": "program", "n_states": 20, "updates": 3000,
           "device": {"type": "soft_bounds_reference", "w_max": 1, "w_min": -1, "up_down_dtod": 0.1, "subtract_symmetry_point": true}},
  "axes": [
    {"path": "algorithm", "values": ["ttv2", "c-ttv2", "agad"]},
    {"path": "device.reference_std", "values": [0, 0.3]},
    {"path": "seed", "values": [1, 2]}
  ],
  "metrics": ["weight_error_std"]
}
SPEC
CROSSBAR=$bin "$root/scripts/slurm/submit-sweep.sh" "$work/spec.json" "$work/out" 4
# shellcheck disable=SC1091
. "$work/out/jobs.env"
deadline=$(( $(date +%s) + 180 ))
while [ -n "$(squeue -h -j "$ARRAY_JOB,$MERGE_JOB" -o %i 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "jobs still queued after 180 s: $(squeue -h -o '%i %T %r')"
    sleep 0.2
done
say "queue drained (array job $ARRAY_JOB, merge job $MERGE_JOB)"

# --- checks ---------------------------------------------------------------------------------------
states=$(scontrol show job "$ARRAY_JOB" | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ')
[ "$(scontrol show job "$ARRAY_JOB" | grep -c 'JobState=COMPLETED')" -eq 4 ] || fail "array tasks not all COMPLETED:$states"
scontrol show job "$MERGE_JOB" | grep -q 'JobState=COMPLETED' || fail "merge job: $(scontrol show job "$MERGE_JOB" | grep -o 'JobState=[A-Z_]* Reason=[^ ]*')"
scontrol show job "$MERGE_JOB" | grep -q 'ExitCode=0:0' || fail "merge job exit code: $(scontrol show job "$MERGE_JOB" | grep -o 'ExitCode=[^ ]*')"
for i in 0 1 2 3; do [ -s "$work/out/RESULTS.shard-$i.jsonl" ] || fail "missing shard file $i"; done
[ -s "$work/out/report/report.md" ] || fail "the merge job wrote no report"
ls "$root"/slurm-*.out >/dev/null 2>&1 && fail "Slurm output files landed in the checkout"
python3 - "$work/out/RESULTS.jsonl" <<'PY' || fail "merged results are malformed"
import json, sys
records = [json.loads(line) for line in open(sys.argv[1])]
assert len(records) == 12, len(records)
assert len({r["id"] for r in records}) == 12
assert [r["index"] for r in records] == list(range(12))
assert sorted({r["shard"] for r in records}) == ["0/4", "1/4", "2/4", "3/4"], {r["shard"] for r in records}
assert all(r["status"] == "ok" and int(r["shard"].split("/")[0]) == r["index"] % 4 for r in records)
PY
"$bin" sweep run "$work/spec.json" --out "$work/unsharded.jsonl" --jobs 2 --quiet
"$bin" sweep compare "$work/out/RESULTS.jsonl" "$work/unsharded.jsonl" || fail "sharded and unsharded results differ"
say "PASS: 12 points in 4 Slurm shards + merge equal the unsharded run"
