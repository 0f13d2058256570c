package sqlstore_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// raceIdentityAcrossNodes opens two Stores on url, as two Gatehouse nodes sharing one
// database, and races GetOrCreateIdentity for one login key through both: every caller must
// get the one identity that was created.
func raceIdentityAcrossNodes(t *testing.T, url string) {
	ctx := t.Context()
	var nodes []*sqlstore.Store
	for range 2 {
		s, err := sqlstore.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		nodes = append(nodes, s)
	}
	must(t, nodes[0].CreateIdentityPool(ctx, store.IdentityPool{ID: "us-east-1:pool", Name: "p"}))
	for round := range 5 {
		key := fmt.Sprintf("accounts.google.com:%d", round)
		const perNode = 8
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			ids     = map[string]int{}
			created int
			errs    []error
		)
		for ni, s := range nodes {
			for i := range perNode {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id, c, err := s.GetOrCreateIdentity(ctx, key, store.Identity{
						PoolID: "us-east-1:pool", ID: fmt.Sprintf("us-east-1:%d-%d-%d", round, ni, i),
						Logins: []string{"accounts.google.com"},
					})
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err)
						return
					}
					ids[id.ID]++
					if c {
						created++
					}
				}()
			}
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("round %d: %v", round, errs)
		}
		if len(ids) != 1 || created != 1 {
			t.Fatalf("round %d: callers got identities %v, %d created; want one identity created once", round, ids, created)
		}
	}
	all, err := nodes[1].ListIdentities(ctx, "us-east-1:pool", store.Page{})
	must(t, err)
	if len(all) != 5 {
		t.Fatalf("pool has %d identities, want 5", len(all))
	}
}

func TestSQLiteIdentityAcrossNodes(t *testing.T) {
	raceIdentityAcrossNodes(t, filepath.Join(t.TempDir(), "gatehouse.db"))
}

func TestPostgresIdentityAcrossNodes(t *testing.T) {
	raceIdentityAcrossNodes(t, storetest.PostgresURL(t, "gh_test_"))
}
