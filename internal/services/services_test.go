package services

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// TestNewSharesOneGraph: the services are built over one store and wired to each other: a
// pool made through the user-pool service is the pool the export and the stack deployer see.
func TestNewSharesOneGraph(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key, err := masterkey.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st, Master: key, Region: "us-east-1", Account: "000000000000", IssuerURL: "http://127.0.0.1:9229"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Issuer == nil || s.Pools == nil || s.Identities == nil || s.Principals == nil || s.Auth == nil || s.IAM == nil || s.Export == nil || s.Stack == nil {
		t.Fatalf("a service is missing: %+v", s)
	}
	if _, err := New(Config{Store: st, Master: key, IssuerURL: "not a url"}); err == nil {
		t.Error("New accepted an issuer URL that is not one")
	} else {
		t.Log(err)
	}
	var out bytes.Buffer
	if _, err := s.Export.Export(ctx, "us-east-1_missing", &out, nil); err == nil || !strings.Contains(err.Error(), "us-east-1_missing") {
		t.Errorf("export of a missing pool: %v", err)
	}
}
