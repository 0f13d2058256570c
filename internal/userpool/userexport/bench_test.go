package userexport

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// benchUsers writes an export of n users that share one real password hash (hashing 100,000
// passwords would take an hour), in three groups.
func benchUsers(b *testing.B, n int, path string) {
	b.Helper()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		b.Fatal(err)
	}
	hash := argon2Hash("Bench-Passw0rd!", salt, 19*1024, 2, 1)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(enc.Encode(exportHeader{Format: exportFormat, Version: exportVersion, Pool: "us-east-1_benchpool"}))
	for _, g := range []string{"admins", "editors", "readers"} {
		must(enc.Encode(exportGroup{Type: "group", Name: g, Description: "the " + g}))
	}
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range n {
		sub := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		rec := exportUser{Type: "user", Username: fmt.Sprintf("user%06d", i), Sub: sub, Status: "CONFIRMED", Enabled: true,
			Created: created, Updated: created, PasswordHash: hash,
			Attributes: []exportAttribute{{"sub", sub}, {"email", fmt.Sprintf("user%06d@example.com", i)}, {"email_verified", "true"},
				{"name", fmt.Sprintf("User Number %d", i)}, {"custom:team", []string{"red", "green", "blue"}[i%3]}},
			SRP: &exportSRP{Salt: bytes.Repeat([]byte{byte(i)}, 16), Verifier: bytes.Repeat([]byte{0x5a}, 384)},
		}
		switch i % 4 {
		case 1:
			rec.Groups = []string{"readers"}
		case 2:
			rec.Groups = []string{"editors", "readers"}
		}
		must(enc.Encode(rec))
	}
	must(enc.Encode(exportEnd{Type: "end", UserCount: n, GroupCount: 3}))
	must(w.Flush())
}

func benchUserCount(b *testing.B) int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

// BenchmarkImport100k imports 100,000 users (3 groups, half of the users in one or two of
// them) from a file into a fresh pool of a SQLite store on disk (synchronous=FULL, as the
// server runs). Target: ≥ 5,000 users/s.
//
//	go test ./internal/userpool/userexport -run '^$' -bench 'Import100k|Export100k' -benchtime 1x
func BenchmarkImport100k(b *testing.B) {
	benchImport(b, filepath.Join(b.TempDir(), "gatehouse.db"))
}

// BenchmarkImport100kPostgres is BenchmarkImport100k on the PostgreSQL server named by
// GATEHOUSE_TEST_POSTGRES (skipped without it).
func BenchmarkImport100kPostgres(b *testing.B) {
	benchImport(b, storetest.PostgresURL(b, "gh_export_"))
}

func benchImport(b *testing.B, storeURL string) {
	n := benchUserCount(b)
	e := newBenchExportEnv(b, storeURL)
	path := filepath.Join(b.TempDir(), "users.jsonl")
	benchUsers(b, n, path)
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pr, err := e.pools.CreateUserPool(e.ctx, exportPoolRequest())
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		stats, err := e.x.Import(e.ctx, pr.UserPool.Id, f, nil)
		elapsed += time.Since(start)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if stats.Created != n {
			b.Fatalf("created %d of %d", stats.Created, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "users/s")
}

// BenchmarkExport100k exports a pool of 100,000 users imported as in BenchmarkImport100k.
func BenchmarkExport100k(b *testing.B) {
	benchExport(b, filepath.Join(b.TempDir(), "gatehouse.db"))
}

// BenchmarkExport100kPostgres is BenchmarkExport100k on the PostgreSQL server named by
// GATEHOUSE_TEST_POSTGRES (skipped without it).
func BenchmarkExport100kPostgres(b *testing.B) {
	benchExport(b, storetest.PostgresURL(b, "gh_export_"))
}

func benchExport(b *testing.B, storeURL string) {
	n := benchUserCount(b)
	e := newBenchExportEnv(b, storeURL)
	path := filepath.Join(b.TempDir(), "users.jsonl")
	benchUsers(b, n, path)
	pr, err := e.pools.CreateUserPool(e.ctx, exportPoolRequest())
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.x.Import(e.ctx, pr.UserPool.Id, f, nil); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cw := &countingWriter{}
		stats, err := e.x.Export(e.ctx, pr.UserPool.Id, cw, nil)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if stats.Users != n {
			b.Fatalf("exported %d of %d", stats.Users, n)
		}
		b.SetBytes(cw.n)
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "users/s")
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

type benchExportEnv struct {
	ctx   context.Context
	pools *userpool.Service
	x     *Service
}

func newBenchExportEnv(b *testing.B, storeURL string) *benchExportEnv {
	b.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, storeURL)
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
	s, err := userpool.New(userpool.Config{Store: st, Tokens: iss, Master: mk})
	if err != nil {
		b.Fatal(err)
	}
	return &benchExportEnv{ctx: ctx, pools: s, x: New(Config{Pools: s, Store: st})}
}
