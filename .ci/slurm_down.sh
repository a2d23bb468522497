#!/usr/bin/env bash
# Stop the daemons that .ci/slurm_up.sh DIR started, by the PIDs it recorded (never by name).
set -uo pipefail

dir=$(realpath -m "${1:?usage: slurm_down.sh STATE_DIR}")
export SLURM_CONF="$dir/slurm.conf"
# Cancel what is still queued or running on this cluster (a run that timed out, say), so that
# no job outlives the daemons.
if [[ -s $dir/slurmctld.main.pid ]] && kill -0 "$(<"$dir/slurmctld.main.pid")" 2>/dev/null; then
    mapfile -t jobs < <(squeue --noheader --format=%i 2>/dev/null || true)
    if ((${#jobs[@]})); then
        scancel "${jobs[@]}" 2>/dev/null || true
        sleep 2
    fi
fi
pids=()
for daemon in slurmd slurmctld munged; do
    file="$dir/$daemon.pid"
    [[ $daemon != munged ]] && file="$dir/$daemon.main.pid"
    [[ -s $file ]] || continue
    pid=$(<"$file")
    if kill "$pid" 2>/dev/null; then
        pids+=("$pid")
    fi
    rm -f "$file"
done
# The default configuration path points at DIR: unlink it with DIR.
if [[ -L /etc/slurm/slurm.conf && $(readlink /etc/slurm/slurm.conf) == "$dir/slurm.conf" ]]; then
    rm -f /etc/slurm/slurm.conf
fi
# Give them up to 5 s to exit, then force.
for _ in $(seq 50); do
    alive=()
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && alive+=("$pid")
    done
    ((${#alive[@]} == 0)) && exit 0
    sleep 0.1
done
kill -9 "${alive[@]}" 2>/dev/null || true
exit 0
