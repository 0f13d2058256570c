package main

// Benchmarks for the user-pool performance targets. docs/benchmarks.md records the numbers,
// the machine and the commands; bench/run.sh runs them all. They run only with -bench, so
// `go test ./...` stays fast.
//
//   - BenchmarkSignInThroughput: USER_PASSWORD_AUTH sign-ins per second over HTTP against a
//     real server (SQLite on disk, argon2id m=19 MiB t=2 p=1), with 1–8 concurrent clients.
//   - BenchmarkSignInPoolSize: sign-in latency in a pool of 1,000 users against one of
//     100,000 users, interleaved in the same run, and the ratio.
//
// Every sub-benchmark also reports the CPU this process used per sign-in (server and client
// share the process) and how many cores other processes kept busy meanwhile ("other-cores"),
// so that a number disturbed by a neighbour's test run shows it.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// benchPassword passes the default password policy (length, upper, lower, digit, symbol).
const benchPassword = "Bench-Passw0rd!"

func benchUsername(i int) string { return fmt.Sprintf("user%06d", i) }

// startBenchServer starts Gatehouse as `gatehouse serve --data dir --addr 127.0.0.1:0` does:
// SQLite in dir, the real clock.
func startBenchServer(b *testing.B, dir string) *server {
	b.Helper()
	o := serveOptions{
		storeFlags: storeFlags{data: dir},
		addr:       "127.0.0.1:0", region: "us-east-1", account: "000000000000", logLevel: "warn",
	}
	log := slog.New(slog.NewTextHandler(testWriter{b}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := startServer(context.Background(), o, log)
	if err != nil {
		b.Fatalf("start server: %v", err)
	}
	b.Cleanup(func() {
		if err := srv.Close(); err != nil {
			b.Errorf("close server: %v", err)
		}
	})
	return srv
}

// benchPool is a user pool with users user000000 … user{n-1}, all with benchPassword, and
// an app client that allows USER_PASSWORD_AUTH.
type benchPool struct {
	srv      *server
	poolID   string
	clientID string
	users    int
	client   *signInClient
}

// newBenchPool starts a server in a fresh directory and fills a pool with n users. The first
// user goes through the API (AdminCreateUser, AdminSetUserPassword), so its stored record,
// argon2id hash included, is the real thing; the others are copies of that record with their
// own username, sub and email, written straight through the store: hashing n passwords would
// take n × 25 ms of CPU. Setup only; nothing here is timed.
func newBenchPool(b *testing.B, n int) *benchPool {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	srv := startBenchServer(b, dir)
	idp := newIDPClient(srv.awsURL)
	p, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	c, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id,
		ClientName: aws.String("bench-client"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		b.Fatal(err)
	}
	bp := &benchPool{srv: srv, poolID: *p.UserPool.Id, clientID: *c.UserPoolClient.ClientId, users: n,
		client: newSignInClient(srv.awsURL, *c.UserPoolClient.ClientId)}

	first := benchUsername(0)
	if _, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &bp.poolID, Username: &first,
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String(benchPassword),
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(first + "@example.com")},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String("name"), Value: aws.String("Bench User")},
		}}); err != nil {
		b.Fatal(err)
	}
	if _, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &bp.poolID, Username: &first,
		Password: aws.String(benchPassword), Permanent: true}); err != nil {
		b.Fatal(err)
	}
	tmpl, err := srv.store.GetUser(ctx, bp.poolID, first)
	if err != nil {
		b.Fatal(err)
	}
	if tmpl.Status != "CONFIRMED" || !strings.HasPrefix(tmpl.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		b.Fatalf("template user: status %s, hash %.40s…; want CONFIRMED and argon2id m=19456,t=2,p=1", tmpl.Status, tmpl.PasswordHash)
	}
	if n > 1 {
		start := time.Now()
		if err := populate(ctx, filepath.Join(dir, "gatehouse.db"), tmpl, 1, n); err != nil {
			b.Fatal(err)
		}
		b.Logf("populated pool with %d users in %v", n, time.Since(start).Round(time.Millisecond))
	}
	if got, err := srv.store.CountUsers(ctx, bp.poolID); err != nil || got != n {
		b.Fatalf("pool has %d users (%v), want %d", got, err, n)
	}
	// The copies sign in like the original.
	for _, i := range []int{0, n / 2, n - 1} {
		if _, err := bp.client.signIn(benchUsername(i)); err != nil {
			b.Fatalf("sign-in of %s: %v", benchUsername(i), err)
		}
	}
	return bp
}

// populate writes users from…to-1 as copies of tmpl, through a second Store on the server's
// database file. That Store's writer runs with synchronous=OFF (the _sync alias in the URL
// takes precedence over the _synchronous=FULL sqlstore adds): each CreateUser is still its own
// transaction through the store's interface, but does not wait for an fsync. That is safe
// here because this is throwaway setup data, and the server keeps its own FULL-synchronous
// connection for the measured sign-ins. Several goroutines overlap the Go-side work with the
// single SQLite writer.
func populate(ctx context.Context, dbPath string, tmpl store.User, from, to int) error {
	st, err := sqlstore.Open(ctx, "file:"+dbPath+"?_sync=OFF")
	if err != nil {
		return err
	}
	defer st.Close()
	var (
		next    atomic.Int64
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	next.Store(int64(from))
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= to {
					return
				}
				if err := st.CreateUser(ctx, copyUser(tmpl, i)); err != nil {
					errOnce.Do(func() { first = fmt.Errorf("create %s: %w", benchUsername(i), err) })
					next.Store(int64(to))
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// copyUser is tmpl renamed to user i, with its own sub and email.
func copyUser(tmpl store.User, i int) store.User {
	u := tmpl
	u.Username = benchUsername(i)
	u.UsernameKey = u.Username
	u.Sub = uuid.NewString()
	u.Attributes = slices.Clone(tmpl.Attributes)
	for j, a := range u.Attributes {
		switch a.Name {
		case "sub":
			u.Attributes[j].Value = u.Sub
		case "email":
			u.Attributes[j].Value = u.Username + "@example.com"
		}
	}
	return u
}

// signInClient posts InitiateAuth (USER_PASSWORD_AUTH) as AWS's JSON 1.1 protocol frames it,
// over kept-alive connections. It is plainer than the AWS SDK so that the client's share of
// the machine (both run on the same two cores) stays small.
type signInClient struct {
	hc       *http.Client
	url      string
	clientID string
}

func newSignInClient(url, clientID string) *signInClient {
	return &signInClient{
		hc:  &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}, Timeout: time.Minute},
		url: url + "/", clientID: clientID,
	}
}

type initiateAuthIn struct {
	AuthFlow       string
	ClientId       string //nolint:revive // AWS's member name
	AuthParameters map[string]string
}

var errNoTokens = errors.New("answer carries no ID, access and refresh token")

// signIn signs username in and returns how long the round trip took.
func (c *signInClient) signIn(username string) (time.Duration, error) {
	body, err := json.Marshal(initiateAuthIn{AuthFlow: "USER_PASSWORD_AUTH", ClientId: c.clientID,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": benchPassword}})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, out)
	}
	for _, want := range []string{`"IdToken"`, `"AccessToken"`, `"RefreshToken"`} {
		if !bytes.Contains(out, []byte(want)) {
			return 0, fmt.Errorf("%w: %s", errNoTokens, out)
		}
	}
	return took, nil
}

// BenchmarkSignInThroughput measures USER_PASSWORD_AUTH sign-ins per second end to end
// (target: ≥ 60/s on two cores). Each sub-benchmark runs b.N sign-ins of random users of a
// 1,000-user pool spread over a fixed number of concurrent clients.
//
//	go test ./cmd/gatehouse -run '^$' -bench SignInThroughput -benchtime 600x -count 3 -v
func BenchmarkSignInThroughput(b *testing.B) {
	bp := newBenchPool(b, 1000)
	for _, workers := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			// Warm the connections so that the first dials are not timed.
			runSignIns(b, []*benchPool{bp}, workers, 2*workers)
			b.ResetTimer()
			usage := startUsage()
			lat := runSignIns(b, []*benchPool{bp}, workers, b.N)
			b.StopTimer()
			usage.report(b, 1)
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signins/s")
			b.ReportMetric(ms(percentile(lat[0], 0.50)), "p50-ms")
			b.ReportMetric(ms(percentile(lat[0], 0.99)), "p99-ms")
		})
	}
}

// BenchmarkSignInPoolSize compares sign-in latency in a pool of 1,000 users with one of
// 100,000 (target: within 1.2×). Two servers, each with its own database, hold the two pools;
// every iteration signs one random user of each pool in, one after the other (alternating
// which goes first), so both see the same machine state. One client at a time: latency
// without queueing. GATEHOUSE_BENCH_SMALL and GATEHOUSE_BENCH_LARGE change the sizes.
//
//	go test ./cmd/gatehouse -run '^$' -bench SignInPoolSize -benchtime 1000x -v -timeout 60m
func BenchmarkSignInPoolSize(b *testing.B) {
	small, large := envInt(b, "GATEHOUSE_BENCH_SMALL", 1000), envInt(b, "GATEHOUSE_BENCH_LARGE", 100000)
	pools := []*benchPool{newBenchPool(b, small), newBenchPool(b, large)}

	b.Run(fmt.Sprintf("signin/%d-vs-%d", small, large), func(b *testing.B) {
		runSignIns(b, pools, 1, 20) // warm-up
		b.ResetTimer()
		usage := startUsage()
		lat := runSignIns(b, pools, 1, b.N)
		b.StopTimer()
		usage.report(b, 2)
		reportRatios(b, lat[0], lat[1])
	})

	// The part of a sign-in whose cost can depend on the pool's size is the user lookup
	// (GetUser by pool and username); the argon2id hash, the signatures and the refresh-token
	// insert do not look at other users. This measures the lookup alone, through the
	// server's own store, so that a size effect hidden by the ~25 ms hash still shows.
	// One op is 100 lookups in each pool.
	b.Run(fmt.Sprintf("lookup/%d-vs-%d", small, large), func(b *testing.B) {
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(1, 2))
		var lat [2][]time.Duration
		for b.Loop() {
			for i := range 100 {
				for k := range 2 {
					j := (i + k) % 2
					p := pools[j]
					name := benchUsername(rng.IntN(p.users))
					start := time.Now()
					if _, err := p.srv.store.GetUser(ctx, p.poolID, name); err != nil {
						b.Fatal(err)
					}
					lat[j] = append(lat[j], time.Since(start))
				}
			}
		}
		reportRatios(b, lat[0], lat[1])
	})
}

// reportRatios reports the small and large pool's latency percentiles and their ratios.
func reportRatios(b *testing.B, small, large []time.Duration) {
	for _, q := range []struct {
		name string
		p    float64
	}{{"p50", 0.50}, {"p90", 0.90}, {"p99", 0.99}} {
		s, l := percentile(small, q.p), percentile(large, q.p)
		b.ReportMetric(ms(s), q.name+"-small-ms")
		b.ReportMetric(ms(l), q.name+"-large-ms")
		b.ReportMetric(float64(l)/float64(s), q.name+"-large/small")
	}
	ms, ml := mean(small), mean(large)
	b.ReportMetric(float64(ml)/float64(ms), "mean-large/small")
}

// runSignIns signs n random users in, spread over workers concurrent clients. With several
// pools each iteration signs one user of every pool in, rotating which pool goes first. It
// returns the latencies per pool.
func runSignIns(b *testing.B, pools []*benchPool, workers, n int) [][]time.Duration {
	var (
		next   atomic.Int64
		mu     sync.Mutex
		all    = make([][]time.Duration, len(pools))
		failed atomic.Bool
		wg     sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(n)))
			mine := make([][]time.Duration, len(pools))
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() {
					break
				}
				for k := range pools {
					j := (i + k) % len(pools)
					p := pools[j]
					took, err := p.client.signIn(benchUsername(rng.IntN(p.users)))
					if err != nil {
						failed.Store(true)
						b.Error(err)
						return
					}
					mine[j] = append(mine[j], took)
				}
			}
			mu.Lock()
			for j := range all {
				all[j] = append(all[j], mine[j]...)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	if failed.Load() {
		b.FailNow()
	}
	return all
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func mean(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return sum / time.Duration(len(d))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// usage samples the CPU time of this process and of the whole machine (Linux /proc), to
// report CPU per operation and how busy other processes kept the cores meanwhile.
type usage struct {
	ok          bool
	self, total time.Duration
	wall        time.Time
}

func startUsage() usage {
	self, total, ok := cpuTimes()
	return usage{ok: ok, self: self, total: total, wall: time.Now()}
}

// report adds cpu-ms/signin (this process, server and client together, per sign-in; an op
// is perOp sign-ins) and other-cores (the average number of cores other processes used
// while the benchmark ran; 0 on a quiet machine).
func (u usage) report(b *testing.B, perOp int) {
	self, total, ok := cpuTimes()
	if !u.ok || !ok {
		return
	}
	wall := time.Since(u.wall)
	b.ReportMetric(ms(self-u.self)/float64(b.N*perOp), "cpu-ms/signin")
	other := max(0, float64(total-u.total-(self-u.self))/float64(wall))
	b.ReportMetric(other, "other-cores")
}

// clockTick is USER_HZ, the unit of /proc's CPU times: 100 on every Linux port Go supports.
const clockTick = 10 * time.Millisecond

// cpuTimes returns this process's CPU time (user + system) and the machine's busy time over
// all cores, from /proc/self/stat and /proc/stat.
func cpuTimes() (self, busy time.Duration, ok bool) {
	st, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, 0, false
	}
	// Fields after the command name (which is in parentheses and may hold spaces).
	rest := st[bytes.LastIndexByte(st, ')')+1:]
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		return 0, 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	ps, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(ps), "\n")
	cf := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	if len(cf) < 9 || cf[0] != "cpu" {
		return 0, 0, false
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7, 8} {
		n, err := strconv.ParseInt(cf[i], 10, 64)
		if err != nil {
			return 0, 0, false
		}
		ticks += n
	}
	return time.Duration(utime+stime) * clockTick, time.Duration(ticks) * clockTick, true
}
