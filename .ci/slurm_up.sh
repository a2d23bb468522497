#!/usr/bin/env bash
# Start a one-node SLURM cluster on this machine, without systemd, for CI and for trying
# profiles/slurm by hand (as root, after `apt-get install slurmctld slurmd slurm-client munge`).
#
#   bash .ci/slurm_up.sh DIR      # writes DIR/slurm.conf, state, logs and DIR/*.pid, and links
#                                 # /etc/slurm/slurm.conf to DIR/slurm.conf (the default path)
#   sinfo; snakemake --workflow-profile profiles/slurm
#   bash .ci/slurm_down.sh DIR    # stops the daemons by their PIDs, removes the link
#
# Accounting (slurmdbd) is left out: profiles/slurm asks squeue, not sacct, for job states.
set -euo pipefail

dir=$(realpath -m "${1:?usage: slurm_up.sh STATE_DIR}")
for port in 6817 6818; do
    if (: </dev/tcp/127.0.0.1/$port) 2>/dev/null; then
        echo "slurm_up: port $port is taken: a SLURM cluster is already running here" >&2
        exit 1
    fi
done
mkdir -p "$dir/state" "$dir/spool" "$dir/log"

# The node's name must be the short host name, and it must resolve.
node=$(hostname -s)
if ! getent hosts "$node" >/dev/null; then
    echo "slurm_up: '$node' does not resolve; adding it to /etc/hosts" >&2
    echo "127.0.0.1 $node" >>/etc/hosts
fi
cpus=$(nproc)
# Leave ~1 GiB to the system; slurmd refuses to start if RealMemory exceeds what it sees.
mem_mb=$(($(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024))

cat >"$dir/slurm.conf" <<EOF
ClusterName=likertflow-ci
SlurmctldHost=$node
SlurmUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups in a container: track processes through /proc, bind no tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Share the node between jobs by cores and memory; without DefMemPerCPU every job would take
# the node's whole memory and jobs would run one at a time.
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
# Finished jobs stay visible to squeue for 5 min (the profile's status checks rely on it).
MinJobAge=300
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
MessageTimeout=30
NodeName=$node CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"
# Job steps (srun inside a job, as the slurm executor's jobs do) drop SLURM_* variables and read
# the default path, so link it there unless a real cluster's configuration is already in place.
if [[ ! -e /etc/slurm/slurm.conf || -L /etc/slurm/slurm.conf ]]; then
    mkdir -p /etc/slurm
    ln -sfn "$dir/slurm.conf" /etc/slurm/slurm.conf
else
    echo "slurm_up: /etc/slurm/slurm.conf exists and is not ours; job steps may not find $SLURM_CONF" >&2
fi

# munged runs as the munge user with its socket in /run/munge.
install -d -o munge -g munge -m 0755 /run/munge
if [[ ! -s /etc/munge/munge.key ]]; then
    install -d -o munge -g munge -m 0700 /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
fi
# Daemons get no terminal and no inherited stdout, so they cannot hold CI's output open.
# A munged that is already running (started by the package, say) is used as it is.
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
        </dev/null >"$dir/log/munged.log" 2>&1 &
    echo $! >"$dir/munged.pid"
fi
for _ in $(seq 50); do
    munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
done
munge -n </dev/null | unmunge >/dev/null

slurmctld -D -c -f "$dir/slurm.conf" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
echo $! >"$dir/slurmctld.main.pid"
slurmd -D -f "$dir/slurm.conf" </dev/null >"$dir/log/slurmd.out" 2>&1 &
echo $! >"$dir/slurmd.main.pid"

# Ready when the node is idle (about 1.5 s).
for _ in $(seq 150); do
    for daemon in slurmctld slurmd; do
        kill -0 "$(<"$dir/$daemon.main.pid")" 2>/dev/null ||
            { echo "slurm_up: $daemon exited" >&2; tail -n 20 "$dir/log/$daemon.log" >&2; exit 1; }
    done
    if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
        sinfo
        exit 0
    fi
    sleep 0.2
done
echo "slurm_up: the node did not become idle in 30 s; logs in $dir/log" >&2
tail -n 20 "$dir"/log/*.log >&2 || true
exit 1
