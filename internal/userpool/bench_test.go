package userpool

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
)

// BenchmarkIssueTokens measures the token-issuance part of a sign-in through the user-pool
// path (issueTokens): building Cognito's ID and access claim sets for a user with typical
// attributes, signing both (RS256, 2048-bit keys, as token.BenchmarkSignPair) and, in
// "with-refresh", minting the refresh token and storing its record in SQLite on disk
// (synchronous=FULL, as the server runs). Target: ≤ 2.5 ms of CPU per sign-in; cpu-ms/op is
// this process's CPU time per op, ns/op the wall time (which includes waiting for fsync).
//
//	go test ./internal/userpool -run '^$' -bench IssueTokens -benchtime 3s -count 3 -benchmem
func BenchmarkIssueTokens(b *testing.B) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "gatehouse.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	mk, err := masterkey.Load(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	iss, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: "http://127.0.0.1:9229"})
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Store: st, Tokens: iss, Master: mk})
	if err != nil {
		b.Fatal(err)
	}
	pr, err := s.CreateUserPool(ctx, &CreateUserPoolRequest{PoolName: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	cr, err := s.CreateUserPoolClient(ctx, &CreateUserPoolClientRequest{UserPoolId: pr.UserPool.Id, ClientName: "bench",
		ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		b.Fatal(err)
	}
	c, p, err := s.loadClient(ctx, cr.UserPoolClient.ClientId)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	sub := uuid.NewString()
	u := store.User{
		PoolID: p.rec.ID, Username: "bench.user", UsernameKey: "bench.user", Sub: sub,
		Status: "CONFIRMED", Enabled: true, CreatedAt: now, UpdatedAt: now,
		Attributes: []store.Attribute{
			{Name: "sub", Value: sub},
			{Name: "email", Value: "bench.user@example.com"},
			{Name: "email_verified", Value: "true"},
			{Name: "given_name", Value: "Bench"},
			{Name: "family_name", Value: "User"},
			{Name: "updated_at", Value: strconv.FormatInt(now.Unix(), 10)},
		},
	}
	if err := st.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}

	for _, withRefresh := range []bool{false, true} {
		name := "sign-only"
		if withRefresh {
			name = "with-refresh"
		}
		b.Run(name, func(b *testing.B) {
			res, err := s.issueTokens(ctx, p, c, u, now, "", withRefresh) // warm the key cache
			if err != nil {
				b.Fatal(err)
			}
			if res.IdToken == "" || res.AccessToken == "" || (withRefresh && res.RefreshToken == "") {
				b.Fatalf("incomplete result: %+v", res)
			}
			b.ReportAllocs()
			usage := startBenchUsage()
			for b.Loop() {
				if _, err := s.issueTokens(ctx, p, c, u, now, "", withRefresh); err != nil {
					b.Fatal(err)
				}
			}
			usage.report(b, true)
			b.ReportMetric(float64(b.Elapsed())/float64(time.Millisecond)/float64(b.N), "ms/op")
		})
	}
}

// benchUsage samples this process's CPU time and the machine's busy time (Linux /proc; the
// metrics are left out elsewhere), to report CPU per op and how many cores other processes
// kept busy during the run ("other-cores"; 0 on a quiet machine, up to 2 on this one). The
// unit of /proc's times is USER_HZ, 10 ms, so runs should last seconds.
type benchUsage struct {
	ok         bool
	self, busy time.Duration
	start      time.Time
}

func startBenchUsage() benchUsage {
	self, busy, ok := benchCPUTimes()
	return benchUsage{ok: ok, self: self, busy: busy, start: time.Now()}
}

func (u benchUsage) report(b *testing.B, cpuMetric bool) {
	self, busy, ok := benchCPUTimes()
	if !u.ok || !ok {
		return
	}
	if cpuMetric {
		b.ReportMetric(float64(self-u.self)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(max(0, float64(busy-u.busy-(self-u.self))/float64(time.Since(u.start))), "other-cores")
}

func benchCPUTimes() (self, busy time.Duration, ok bool) {
	const tick = 10 * time.Millisecond
	st, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(st[bytes.LastIndexByte(st, ')')+1:]))
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
	return time.Duration(utime+stime) * tick, time.Duration(ticks) * tick, true
}

// BenchmarkVerifyPassword measures one argon2id verification at the stored parameters
// (m=19 MiB, t=2, p=1), alone ("serial") and with one verification per core at once
// ("parallel", ns/op is then the machine's time per verification). It is the ceiling for
// password sign-ins: no sign-in rate can exceed 1 s / parallel ns/op.
//
//	go test ./internal/userpool -run '^$' -bench VerifyPassword -benchtime 200x -count 3
func BenchmarkVerifyPassword(b *testing.B) {
	hash, err := hashPassword(rand.Reader, "Bench-Passw0rd!")
	if err != nil {
		b.Fatal(err)
	}
	check := func(b *testing.B) {
		ok, err := verifyPassword(hash, "Bench-Passw0rd!")
		if err != nil || !ok {
			b.Fatalf("verifyPassword = %v, %v", ok, err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		usage := startBenchUsage()
		for b.Loop() {
			check(b)
		}
		usage.report(b, true)
	})
	b.Run("parallel", func(b *testing.B) {
		usage := startBenchUsage()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				check(b)
			}
		})
		usage.report(b, true)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
	})
}
