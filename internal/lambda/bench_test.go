package lambda

import (
	"context"
	"log/slog"
	"runtime"
	"testing"
	"time"
)

// BenchmarkInvokeNodeWarm measures warm invocations of a trivial Node.js handler: one process
// serving invocations one after the other (serial), and GOMAXPROCS processes in parallel.
func BenchmarkInvokeNodeWarm(b *testing.B) {
	payload := []byte(`{"resource":"/tasks","path":"/tasks","httpMethod":"GET","headers":{"Accept":"application/json"},"requestContext":{"stage":"dev"}}`)
	for _, bc := range []struct {
		name        string
		concurrency int
	}{
		{"serial", 1},
		{"parallel", runtime.GOMAXPROCS(0)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m := NewManager(slog.New(slog.DiscardHandler))
			defer m.Close()
			nodeFunction(b, m, "bench", "src/tasks.list", map[string]string{
				"src/tasks.js": `exports.list = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.path }) });`,
			}, func(fn *Function) { fn.Concurrency = bc.concurrency })
			ctx := context.Background()
			// Warm every process.
			done := make(chan error, bc.concurrency)
			for range bc.concurrency {
				go func() {
					_, err := m.Invoke(ctx, "bench", payload)
					done <- err
				}()
			}
			for range bc.concurrency {
				if err := <-done; err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			if bc.concurrency == 1 {
				for b.Loop() {
					if res, err := m.Invoke(ctx, "bench", payload); err != nil || res.FunctionError != nil {
						b.Fatal(err, res.FunctionError)
					}
				}
			} else {
				b.SetParallelism(1)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if res, err := m.Invoke(ctx, "bench", payload); err != nil || res.FunctionError != nil {
							b.Error(err, res.FunctionError)
							return
						}
					}
				})
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "invocations/s")
		})
	}
}
