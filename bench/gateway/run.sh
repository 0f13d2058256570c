#!/usr/bin/env bash
# bench/gateway/run.sh
#
# Load-tests Gatehouse's API gateway (`gatehouse serve -c serverless.yml`) with wrk against a
# plain net/http/httputil.ReverseProxy in front of the same backend, in the same run, all on
# loopback (docs: the acceptance item "requests/s with a Cognito authorizer on cache hits
# >= 0.85 x a plain ReverseProxy; on cache misses >= 0.6 x; p99 added latency reported;
# warm Node handler invocations/s reported").
#
# What it starts, each built from this checkout into a temporary folder:
#   backend    bench/gateway/backend: 200 and a small JSON body for any path
#   baseline   bench/gateway/baseline: httputil.ReverseProxy -> backend
#   gatehouse  gatehouse serve -c serverless.yml (written here) with
#                ANY auth/{proxy+}  http-proxy -> backend, COGNITO_USER_POOLS authorizer
#                ANY open/{proxy+}  http-proxy -> backend, no authorizer
#                GET hello          Node.js lambda-proxy handler answering 200 "hi"
#                ANY token/{proxy+} http-proxy -> backend, Lambda TOKEN authorizer (a Node.js
#                                   function allowing */dev/*/token/*, results cached 300 s)
#                ANY rbac/{proxy+}  http-proxy -> backend, COGNITO_GROUP_POLICY authorizer: the
#                                   user's group "bench" carries role bench-role, whose inline
#                                   policy allows */dev/*/rbac/* and */dev/*/iam/*
#                ANY iam/{proxy+}   http-proxy -> backend, AWS_IAM: SigV4-signed requests with
#                                   the user's identity-pool credentials for bench-role
#
# Gatehouse is started twice on one data folder: first without -c, to create the user pool,
# app client and user and mint the ID tokens (bench/gateway/tokens), create the role, an
# identity pool and the user's temporary credentials (bench/gateway/iam setup, through the
# IAM and Cognito Identity APIs), then with -c, once the serverless.yml can name the pool's ARN.
#
# Each round then runs wrk against, in turn (the order rotates from round to round):
#   baseline       the ReverseProxy, GET /x, with hit.lua: the hit run's Authorization header
#   baseline-miss  the ReverseProxy, GET /x, with miss.lua: the miss run's tokens, one a request
#   open           gatehouse, open/{proxy+}, GET /dev/open/x, as baseline (header forwarded)
#   hit            gatehouse, auth/{proxy+}, GET /dev/auth/x, one ID token throughout (after
#                  each connection's first request, authorizer cache hits)
#   miss           gatehouse, auth/{proxy+}, GET /dev/auth/x, a different ID token on every
#                  request (miss.lua; every round has its own tokens: every request a cache miss)
#   token          gatehouse, token/{proxy+}, GET /dev/token/x, as hit: one token, so a cached
#                  TOKEN authorizer result after the first request
#   group          gatehouse, rbac/{proxy+}, GET /dev/rbac/x, as hit: the Cognito token cache
#                  and the role policy cache answer; the policy is evaluated on every request
#   iam            gatehouse, iam/{proxy+}, GET /dev/iam/x, one SigV4 signature (signed just
#                  before the run, good for 5 minutes) on every request: every request's
#                  signature is verified and the role's policy evaluated
#   lambda         gatehouse, hello: warm Node.js invocations (LAMBDA_CONNS connections; the
#                  function runs at most 10 processes at once, Gatehouse's default concurrency)
# Each gatehouse run is compared with the baseline run that sends the same requests with the
# same wrk script: open, hit, token, group and iam with baseline, miss with baseline-miss (miss.lua builds every
# request in Lua, which costs wrk some CPU on the cores the servers use; the table gives miss
# against baseline too). It prints a markdown table: requests/s, p50 and p99 latency,
# requests/s relative to the matching baseline of the same round, p99 added latency (p99 minus
# that baseline's p99), then the median of the rounds against the targets.
#
# wrk, the servers and Node all share the machine's cores (2 on the reference machine);
# nothing is pinned, wrk runs THREADS threads (2). Each run waits for a quiet machine first
# (bench/quiet.sh): other people's compiles would otherwise land in one run and not the other.
#
# Environment:
#   THREADS (2), CONNS (32), DURATION (10s), ROUNDS (3), WARMUP (3s: each target once,
#   unrecorded, before round 1), LAMBDA_CONNS (10), MISS_DURATION (DURATION of the miss and
#   baseline-miss runs, default 5s), MISS_TOKENS (tokens per round's miss run, default 50000:
#   at least its requests/s x MISS_DURATION, or tokens repeat within the run and the table's
#   "token repeats" column says so; minting them takes ~1.3 ms each, a few minutes in all),
#   QUIET_MAX (0.25 cores), QUIET_WAIT (300 s), OUT (bench/results/YYYY-MM-DD), KEEP=1 keeps
#   the temporary folder.
#
# Raw output: $OUT/gateway-setup.txt (machine, builds, token minting, serverless.yml),
# $OUT/gateway-{baseline,baseline-miss,open,hit,miss,lambda}.txt (every wrk run), $OUT/gateway-summary.txt
# (the table).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
HERE=$ROOT/bench/gateway

THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-3s}
LAMBDA_CONNS=${LAMBDA_CONNS:-10}
MISS_DURATION=${MISS_DURATION:-5s}
MISS_TOKENS=${MISS_TOKENS:-50000}
QUIET_MAX=${QUIET_MAX:-0.25}
QUIET_WAIT=${QUIET_WAIT:-300}
OUT=${OUT:-$ROOT/bench/results/$(date -u +%F)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

if ! command -v wrk >/dev/null; then
	echo "installing wrk"
	apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
command -v node >/dev/null || { echo "node is not installed: the lambda run needs it" >&2; exit 1; }

TMP=$(mktemp -d /tmp/gatehouse-gwbench.XXXXXX)
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "${KEEP:-}" = 1 ]; then
		echo "kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT

SETUP=$OUT/gateway-setup.txt
: >"$SETUP"
TARGETS=(baseline baseline-miss open hit miss token group iam lambda)
for t in "${TARGETS[@]}"; do : >"$OUT/gateway-$t.txt"; done
log() { echo "$*" | tee -a "$SETUP"; }

{
	echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "nproc:   $(nproc)"
	echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
	echo "memory:  $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
	echo "kernel:  $(uname -sr)"
	echo "go:      $(go version)"
	echo "node:    $(node --version)"
	echo "wrk:     $(wrk -v 2>&1 | head -1)"
	echo "load:    wrk -t$THREADS -c$CONNS -d$DURATION (lambda: -c$LAMBDA_CONNS), $ROUNDS rounds, warm-up $WARMUP"
	echo "         miss and baseline-miss runs: -d$MISS_DURATION, $MISS_TOKENS tokens each; nothing pinned"
} | tee -a "$SETUP"

log "building into $TMP/bin"
mkdir -p "$TMP/bin"
go build -o "$TMP/bin/" ./cmd/gatehouse ./bench/gateway/backend ./bench/gateway/baseline ./bench/gateway/tokens ./bench/gateway/iam 2>&1 | tee -a "$SETUP"
BIN=$TMP/bin

# wait_url LOGFILE PID PATTERN: waits for the line matching PATTERN in LOGFILE and prints
# its last field (the URL the program printed).
wait_url() {
	local file=$1 pid=$2 pattern=$3 line i
	for ((i = 0; i < 300; i++)); do
		if line=$(grep -m1 -- "$pattern" "$file" 2>/dev/null); then
			echo "${line##* }"
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	echo "no \"$pattern\" from pid $pid; its output:" >&2
	cat "$file" >&2
	return 1
}

# stop PID: SIGTERM and wait, then forget the pid.
stop() {
	local pid=$1 p keep=()
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for p in "${PIDS[@]}"; do
		[ "$p" = "$pid" ] || keep+=("$p")
	done
	PIDS=("${keep[@]}")
}

"$BIN/backend" -addr 127.0.0.1:0 >"$TMP/backend.log" 2>&1 &
PIDS+=($!)
BACKEND=$(wait_url "$TMP/backend.log" $! "backend: listening")
"$BIN/baseline" -addr 127.0.0.1:0 -target "$BACKEND" >"$TMP/baseline.log" 2>&1 &
PIDS+=($!)
BASELINE=$(wait_url "$TMP/baseline.log" $! "baseline: listening")
log "backend $BACKEND, baseline $BASELINE"

# Token layout in tokens.txt: line 1 the hit run's token; then WARM_TOKENS for the warm-up
# miss run; then MISS_TOKENS per round.
WARM_TOKENS=3000
NTOKENS=$((1 + WARM_TOKENS + ROUNDS * MISS_TOKENS))
DATA=$TMP/data
# Tokens carry iss={issuer}/{poolId}, by default the AWS endpoint's own URL; both starts pick a
# free port, so they name a fixed issuer instead (the one AWS's own tokens carry).
ISSUER=https://cognito-idp.us-east-1.amazonaws.com
"$BIN/gatehouse" serve --data "$DATA" --addr 127.0.0.1:0 --issuer-url "$ISSUER" >"$TMP/gatehouse-setup.log" 2>&1 &
GH=$!
PIDS+=("$GH")
AWS=$(wait_url "$TMP/gatehouse-setup.log" "$GH" "gatehouse: aws endpoint")
log "minting $NTOKENS ID tokens on $AWS"
"$BIN/tokens" -endpoint "$AWS" -n "$NTOKENS" -concurrency 4 -tokens "$TMP/tokens.txt" -pool "$TMP/pool.env" \
	-group-role arn:aws:iam::000000000000:role/bench-role 2>&1 | tee -a "$SETUP"
# shellcheck disable=SC1091
. "$TMP/pool.env"
"$BIN/iam" setup -endpoint "$AWS" -pool "$POOL_ID" -client "$CLIENT_ID" -token "$(head -1 "$TMP/tokens.txt")" -creds "$TMP/creds" \
	-policy '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":["arn:aws:execute-api:us-east-1:000000000000:*/dev/*/rbac/*","arn:aws:execute-api:us-east-1:000000000000:*/dev/*/iam/*"]}]}' 2>&1 | tee -a "$SETUP"
stop "$GH"
log "pool $POOL_ID ($POOL_ARN), client $CLIENT_ID"

SVC=$TMP/svc
mkdir -p "$SVC"
cat >"$SVC/handler.js" <<'EOF'
exports.handler = async () => ({ statusCode: 200, body: "hi" });
EOF
cat >"$SVC/authorizer.js" <<'EOF'
exports.handler = async (event) => ({
  principalId: "bench",
  policyDocument: {
    Version: "2012-10-17",
    Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn.split("/").slice(0, 2).join("/") + "/*/token/*" }],
  },
  context: { plan: "bench" },
});
EOF
cat >"$SVC/serverless.yml" <<EOF
service: gateway-bench
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs20.x
  stage: dev
  region: us-east-1
functions:
  auth:
    events:
      - http:
          path: "auth/{proxy+}"
          method: any
          integration: http-proxy
          request: { uri: "$BACKEND/{proxy}" }
          authorizer:
            name: bench-authorizer
            type: COGNITO_USER_POOLS
            arn: $POOL_ARN
  open:
    events:
      - http:
          path: "open/{proxy+}"
          method: any
          integration: http-proxy
          request: { uri: "$BACKEND/{proxy}" }
  hello:
    handler: handler.handler
    events:
      - http: { path: hello, method: get }
  authfn:
    handler: authorizer.handler
  token:
    events:
      - http:
          path: "token/{proxy+}"
          method: any
          integration: http-proxy
          request: { uri: "$BACKEND/{proxy}" }
          authorizer: { name: authfn, resultTtlInSeconds: 300 }
  rbac:
    events:
      - http:
          path: "rbac/{proxy+}"
          method: any
          integration: http-proxy
          request: { uri: "$BACKEND/{proxy}" }
          authorizer:
            name: bench-group-policy
            type: COGNITO_GROUP_POLICY
            arn: $POOL_ARN
  iam:
    events:
      - http:
          path: "iam/{proxy+}"
          method: any
          integration: http-proxy
          request: { uri: "$BACKEND/{proxy}" }
          authorizer: aws_iam
EOF
{
	echo "--- serverless.yml"
	cat "$SVC/serverless.yml"
	echo "--- handler.js"
	cat "$SVC/handler.js"
	echo "--- authorizer.js"
	cat "$SVC/authorizer.js"
} >>"$SETUP"

(cd "$SVC" && exec "$BIN/gatehouse" serve -c serverless.yml --data "$DATA" --addr 127.0.0.1:0 --issuer-url "$ISSUER" --api-addr 127.0.0.1:0) >"$TMP/gatehouse.log" 2>&1 &
GH=$!
PIDS+=("$GH")
API=$(wait_url "$TMP/gatehouse.log" "$GH" "gatehouse: api endpoint")
log "gatehouse api $API"

HIT_TOKEN=$(head -1 "$TMP/tokens.txt")
check() { # name want-status url [curl args...]
	local name=$1 want=$2 url=$3 got
	shift 3
	got=$(curl -s -o "$TMP/check.body" -w '%{http_code}' "$@" "$url")
	log "check $name: $url -> $got $(head -c 120 "$TMP/check.body")"
	if [ "$got" != "$want" ]; then
		echo "check $name: want $want, got $got" >&2
		echo "--- gatehouse log" >&2
		tail -20 "$TMP/gatehouse.log" >&2
		exit 1
	fi
}
check baseline 200 "$BASELINE/x"
check open 200 "$API/open/x"
check auth-none 401 "$API/auth/x"
check auth-token 200 "$API/auth/x" -H "Authorization: $HIT_TOKEN"
check lambda 200 "$API/hello"
check token-none 401 "$API/token/x"
check token 200 "$API/token/x" -H "Authorization: $HIT_TOKEN"
check group-none 401 "$API/rbac/x"
check group 200 "$API/rbac/x" -H "Authorization: $HIT_TOKEN"
check iam-none 403 "$API/iam/x"
"$BIN/iam" sign -creds "$TMP/creds" -url "$API/iam/x" -out "$TMP/signed.headers"
check iam 200 "$API/iam/x" -H "@$TMP/signed.headers"

# Every target: URL, connections, script and its arguments (miss adds its token range).
url_of() {
	case $1 in
	baseline | baseline-miss) echo "$BASELINE/x" ;;
	open) echo "$API/open/x" ;;
	hit | miss) echo "$API/auth/x" ;;
	token) echo "$API/token/x" ;;
	group) echo "$API/rbac/x" ;;
	iam) echo "$API/iam/x" ;;
	lambda) echo "$API/hello" ;;
	esac
}
conns_of() { if [ "$1" = lambda ]; then echo "$LAMBDA_CONNS"; else echo "$CONNS"; fi; }

RESULTS=$TMP/results.tsv
: >"$RESULTS"

# bench TARGET ROUND DURATION: one wrk run; ROUND "warm" is not recorded.
bench() {
	local target=$1 round=$2 dur=$3 url conns args=() first file quiet
	url=$(url_of "$target")
	conns=$(conns_of "$target")
	case $target in
	baseline | open | hit | token | group) args=(-s "$HERE/hit.lua" "$url" -- "$TMP/tokens.txt" 1) ;;
	iam)
		"$BIN/iam" sign -creds "$TMP/creds" -url "$url" -out "$TMP/signed.headers"
		args=(-s "$HERE/hit.lua" "$url" -- "$TMP/signed.headers" headers)
		;;
	miss | baseline-miss)
		if [ "$round" = warm ]; then
			first=2
			args=(-s "$HERE/miss.lua" "$url" -- "$TMP/tokens.txt" "$first" "$WARM_TOKENS" "$THREADS")
		else
			first=$((2 + WARM_TOKENS + (round - 1) * MISS_TOKENS))
			args=(-s "$HERE/miss.lua" "$url" -- "$TMP/tokens.txt" "$first" "$MISS_TOKENS" "$THREADS")
		fi
		;;
	*) args=(-s "$HERE/hit.lua" "$url") ;;
	esac
	file=$OUT/gateway-$target.txt
	quiet=$("$ROOT/bench/quiet.sh" "$QUIET_MAX" 2 "$QUIET_WAIT" || true)
	{
		echo "== $target round $round: $quiet"
		echo "\$ wrk -t$THREADS -c$conns -d$dur --latency ${args[*]/$TMP/\$TMP}"
	} >>"$file"
	wrk -t"$THREADS" -c"$conns" -d"$dur" --latency "${args[@]}" >"$TMP/wrk.out" 2>&1 || true
	cat "$TMP/wrk.out" >>"$file"
	echo >>"$file"
	local res tok
	res=$(grep -m1 '^RESULT ' "$TMP/wrk.out" || true)
	if [ -z "$res" ]; then
		echo "wrk $target round $round gave no RESULT line:" >&2
		cat "$TMP/wrk.out" >&2
		exit 1
	fi
	tok=$(grep -m1 '^TOKENS ' "$TMP/wrk.out" || true)
	local rps p50 p99 non2xx sockerr repeats
	kv() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k{print $2}'; }
	rps=$(kv "$res" rps)
	p50=$(kv "$res" p50_us)
	p99=$(kv "$res" p99_us)
	non2xx=$(kv "$res" non2xx)
	sockerr=$(kv "$res" socket_errors)
	repeats=-
	# Only gatehouse caches: a baseline-miss token sent twice costs the baseline nothing more.
	[ -z "$tok" ] || [ "$target" != miss ] || repeats=$(kv "$tok" repeats)
	printf '%-13s round %-4s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  non-2xx %s  socket errors %s  repeats %s  (%s)\n' \
		"$target" "$round" "$rps" "$(awk -v u="$p50" 'BEGIN{print u/1000}')" "$(awk -v u="$p99" 'BEGIN{print u/1000}')" \
		"$non2xx" "$sockerr" "$repeats" "$quiet"
	if [ "$round" != warm ]; then
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$round" "$rps" "$p50" "$p99" "$non2xx" "$sockerr" "$repeats" >>"$RESULTS"
	fi
}

echo "warm-up ($WARMUP each, not recorded)"
for t in "${TARGETS[@]}"; do bench "$t" warm "$WARMUP"; done
for ((r = 1; r <= ROUNDS; r++)); do
	echo "round $r/$ROUNDS"
	n=${#TARGETS[@]}
	for ((i = 0; i < n; i++)); do
		t=${TARGETS[$(((i + r - 1) % n))]}
		case $t in
		miss | baseline-miss) bench "$t" "$r" "$MISS_DURATION" ;;
		*) bench "$t" "$r" "$DURATION" ;;
		esac
	done
done

{
	echo "--- gatehouse log (last 50 lines)"
	tail -50 "$TMP/gatehouse.log"
} >>"$SETUP"

# The table: every run, then the medians against the targets.
SUMMARY=$OUT/gateway-summary.txt
awk -F'\t' -v threads="$THREADS" -v conns="$CONNS" -v lconns="$LAMBDA_CONNS" -v dur="$DURATION" -v mdur="$MISS_DURATION" \
	-v rounds="$ROUNDS" -v cpus="$(nproc)" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# row: one line of a table. base is the run compared with ("" for none).
function row(label, t, base, r,    ratio, added) {
	if (base == "" || !((base, r) in rps)) { ratio = ""; added = "" }
	else { ratio = sprintf("%.3f", rps[t, r] / rps[base, r]); added = sprintf("%+.2f", p99[t, r] - p99[base, r]) }
	printf "| %s | %s | %.0f | %.2f | %.2f | %s | %s | %d | %s |\n", label, r, rps[t, r], p50[t, r], p99[t, r], ratio, added, bad[t, r], rep[t, r]
}
{
	t = $1; r = $2
	rps[t, r] = $3; p50[t, r] = $4 / 1000; p99[t, r] = $5 / 1000; bad[t, r] = $6 + $7; rep[t, r] = $8
	if (!(r in seenr)) { seenr[r] = 1; nr++; rlist[nr] = r }
}
END {
	n = split("baseline baseline-miss open hit miss miss token group iam lambda", order, " ")
	split("baseline baseline-miss open hit miss miss@baseline token group iam lambda", label, " ")
	split("_ _ baseline baseline baseline-miss baseline baseline baseline baseline _", base, " ")
	printf "Gateway benchmark, %s: wrk -t%d -c%d -d%s (miss and baseline-miss -d%s; lambda -c%d), %d rounds,\n", date, threads, conns, dur, mdur, lconns, rounds
	printf "%d cores shared by wrk, the servers and Node, nothing pinned.\n\n", cpus
	print "| run | round | req/s | p50 ms | p99 ms | req/s vs its baseline | p99 added ms | errors | token repeats |"
	print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	for (k = 1; k <= n; k++) {
		t = order[k]; b = base[k] == "_" ? "" : base[k]
		for (i = 1; i <= nr; i++) {
			r = rlist[i]
			if (!((t, r) in rps)) continue
			row(label[k], t, b, r)
			R[k, i] = rps[t, r]; P50[k, i] = p50[t, r]; P99[k, i] = p99[t, r]
			if (b != "" && (b, r) in rps) { Q[k, i] = rps[t, r] / rps[b, r]; A[k, i] = p99[t, r] - p99[b, r] }
		}
	}
	print ""
	print "Medians of the rounds:"
	print ""
	print "| run | req/s | p50 ms | p99 ms | req/s vs its baseline | p99 added ms | target | |"
	print "|---|---:|---:|---:|---:|---:|---|---|"
	for (k = 1; k <= n; k++) {
		t = order[k]; b = base[k] == "_" ? "" : base[k]
		for (i = 1; i <= nr; i++) { a1[i] = R[k, i]; a2[i] = Q[k, i]; a3[i] = A[k, i]; a4[i] = P50[k, i]; a5[i] = P99[k, i] }
		mr = median(a1, nr); m50 = median(a4, nr); m99 = median(a5, nr)
		q = ""; a = ""
		if (b != "") { mq = median(a2, nr); ma = median(a3, nr); q = sprintf("%.3f", mq); a = sprintf("%+.2f", ma) }
		goal = ""; verdict = ""
		if (label[k] == "hit" || label[k] == "token" || label[k] == "group" || label[k] == "iam") { goal = ">= 0.85 x baseline"; verdict = mq >= 0.85 ? "met" : "NOT met" }
		if (label[k] == "miss") { goal = ">= 0.6 x baseline-miss"; verdict = mq >= 0.6 ? "met" : "NOT met" }
		if (label[k] == "miss@baseline") { goal = "(>= 0.6 x baseline)"; verdict = mq >= 0.6 ? "met" : "NOT met" }
		if (label[k] == "lambda") { goal = "reported: warm Node.js invocations/s" }
		printf "| %s | %.0f | %.2f | %.2f | %s | %s | %s | %s |\n", label[k], mr, m50, m99, q, a, goal, verdict
	}
	print ""
	print "Each run is compared with the baseline run of the same round that sends the same requests"
	print "with the same wrk script: open, hit, token, group and iam with baseline (hit.lua, one token; iam: one SigV4 signature), miss with"
	print "baseline-miss (miss.lua, a token per request; building requests in Lua costs wrk CPU on the"
	print "same cores); miss@baseline is the miss run against baseline. p99 added = p99 - that"
	print "baseline p99. errors: non-2xx answers plus socket errors (a run with errors does not count);"
	print "token repeats: miss requests that reused a token of the same run (0: every one a cache miss)."
}' "$RESULTS" | tee "$SUMMARY"

if awk -F'\t' '$6 + $7 > 0 {bad = 1} $1 == "miss" && $8 > 0 {bad = 1} END {exit !bad}' "$RESULTS"; then
	echo "WARNING: some runs had errors or repeated tokens; see the table" | tee -a "$SUMMARY"
fi
echo "raw output in $OUT/gateway-*.txt"
