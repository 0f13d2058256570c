#!/usr/bin/env bash
# bench/run.sh [name ...]
#
# Runs the benchmarks behind the user-pool performance targets (docs/benchmarks.md) and
# keeps their output in $OUT (default: a new /tmp/gatehouse-bench.* folder). Names, in order:
#
#   verify      argon2id verification alone, serial and one per core (the sign-in ceiling)
#   issue       token issuance through the user-pool path (target 2: <= 2.5 ms CPU)
#   signpair    signing alone (internal/token BenchmarkSignPair)
#   throughput  USER_PASSWORD_AUTH sign-ins/s over HTTP (target 1: >= 60/s)
#   poolsize    sign-in latency, 1,000 vs 100,000 users (target 3: within 1.2x)
#
# With no names it runs all of them. Test binaries are built first; each run then waits for
# a quiet machine (bench/quiet.sh; QUIET_MAX cores busy, default 0.15, for up to QUIET_WAIT
# seconds, default 900) so that compiling and other people's tests do not overlap the
# measurement. Every result line carries "other-cores": how busy other processes kept the
# machine during that run. Re-run anything where it is above ~0.2.
#
# Environment: COUNT (default 3), OUT, QUIET_MAX, QUIET_WAIT, GATEHOUSE_BENCH_SMALL,
# GATEHOUSE_BENCH_LARGE (pool sizes of poolsize; default 1000 and 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d /tmp/gatehouse-bench.XXXXXX)}
COUNT=${COUNT:-3}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(verify issue signpair throughput poolsize)

{
	echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "nproc:   $(nproc)"
	echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "memory:  $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel:  $(uname -sr)"
	echo "go:      $(go version)"
} | tee "$OUT/machine.txt"

echo "building test binaries"
go test -c -o "$OUT/userpool.test" ./internal/userpool
go test -c -o "$OUT/token.test" ./internal/token
go test -c -o "$OUT/gatehouse.test" ./cmd/gatehouse

run() { # name binary package-folder args...
	local name=$1 bin=$2 dir=$3
	shift 3
	echo "== $name: (cd $dir && $bin $*)" | tee -a "$OUT/$name.txt"
	bench/quiet.sh "${QUIET_MAX:-0.15}" 5 "${QUIET_WAIT:-900}" | tee -a "$OUT/$name.txt" || true
	# A test binary runs in its package's folder, as go test runs it.
	(cd "$dir" && "$OUT/$bin" "$@") 2>&1 | tee -a "$OUT/$name.txt"
}

for n in "${names[@]}"; do
	case $n in
	verify) run verify userpool.test internal/userpool -test.run '^$' -test.bench VerifyPassword -test.benchtime 200x -test.count "$COUNT" ;;
	issue) run issue userpool.test internal/userpool -test.run '^$' -test.bench IssueTokens -test.benchtime 3s -test.count "$COUNT" -test.benchmem ;;
	signpair) run signpair token.test internal/token -test.run '^$' -test.bench SignPair -test.benchtime 3s -test.count "$COUNT" ;;
	throughput) run throughput gatehouse.test cmd/gatehouse -test.run '^$' -test.bench SignInThroughput -test.benchtime 600x -test.count "$COUNT" -test.v ;;
	poolsize) run poolsize gatehouse.test cmd/gatehouse -test.run '^$' -test.bench SignInPoolSize -test.benchtime 1000x -test.count 1 -test.v -test.timeout 60m ;;
	*) echo "unknown benchmark $n" >&2; exit 2 ;;
	esac
done
echo "results in $OUT"
