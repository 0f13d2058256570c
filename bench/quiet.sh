#!/usr/bin/env bash
# quiet.sh [max-busy-cores] [window-seconds] [give-up-seconds]
#
# Waits until the machine has been quiet -- other processes kept fewer than max-busy-cores
# (default 0.15) cores busy, averaged over window-seconds (default 5) -- and prints the busy
# figure it saw. Gives up (exit 1, still printing the last figure) after give-up-seconds
# (default 600). Benchmarks on a shared two-core machine are only comparable when started
# from a quiet state; bench/run.sh calls this before each run.
set -euo pipefail
max=${1:-0.15}
window=${2:-5}
giveup=${3:-600}
hz=$(getconf CLK_TCK)

busy_ticks() { # user nice system irq softirq steal of the "cpu" line of /proc/stat
	awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat
}

start=$(date +%s)
while :; do
	a=$(busy_ticks)
	sleep "$window"
	b=$(busy_ticks)
	cores=$(awk -v a="$a" -v b="$b" -v hz="$hz" -v w="$window" 'BEGIN{printf "%.2f", (b-a)/hz/w}')
	if awk -v c="$cores" -v m="$max" 'BEGIN{exit !(c < m)}'; then
		echo "quiet: ${cores} cores busy over ${window}s (load $(cut -d' ' -f1-3 /proc/loadavg))"
		exit 0
	fi
	if (($(date +%s) - start > giveup)); then
		echo "not quiet after ${giveup}s: ${cores} cores busy (load $(cut -d' ' -f1-3 /proc/loadavg))"
		exit 1
	fi
done
