package token

import (
	"context"
	"crypto/x509"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
)

func TestEnsureKeys(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for range 2 { // idempotent
		if err := e.iss.EnsureKeys(ctx, poolA); err != nil {
			t.Fatal(err)
		}
	}
	rows, _ := e.keys.ListSigningKeys(ctx, poolA)
	if len(rows) != 2 {
		t.Fatalf("pool has %d keys, want 2", len(rows))
	}
	uses := map[string]bool{}
	for _, r := range rows {
		uses[r.Use] = true
		if r.Alg != "RS256" || r.PoolID != poolA || r.CreatedAt.IsZero() || !r.RetiredAt.IsZero() {
			t.Errorf("key row %+v", r)
		}
		pub, err := x509.ParsePKIXPublicKey(r.Public)
		if err != nil {
			t.Fatalf("public key is not PKIX DER: %v", err)
		}
		if n := pub.(interface{ Size() int }).Size() * 8; n != 2048 {
			t.Errorf("key has %d bits, want 2048", n)
		}
		if _, err := x509.ParsePKCS8PrivateKey(r.Private); err == nil {
			t.Error("private key is stored in the clear")
		}
		der, err := testMaster(t, 1).Open(r.Private, []byte(poolA+"/"+r.KID))
		if err != nil {
			t.Fatalf("private key is not sealed with aad pool/kid: %v", err)
		}
		if _, err := x509.ParsePKCS8PrivateKey(der); err != nil {
			t.Errorf("sealed private key is not PKCS#8: %v", err)
		}
	}
	if !uses[UseID] || !uses[UseAccess] {
		t.Errorf("uses = %v, want id and access", uses)
	}
	if err := e.iss.EnsureKeys(ctx, "not a pool id"); err == nil {
		t.Error("EnsureKeys accepted an invalid pool id")
	}
}

func TestSignCreatesKeysLazily(t *testing.T) {
	e := newEnv(t)
	tok := e.sign(t, poolA, UseAccess, accessClaims(e.iss, poolA, e.clock.Now()))
	if _, err := e.iss.Verify(context.Background(), tok, VerifyOptions{Use: UseAccess}); err != nil {
		t.Fatal(err)
	}
}

func TestSignRefusesInconsistentClaims(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	id := idClaims(e.iss, poolA, e.clock.Now())
	tests := []struct {
		name   string
		use    string
		claims map[string]any
		msg    string
	}{
		{"unknown use", "refresh", withClaims(id, "token_use", "refresh"), "unknown token use"},
		{"token_use differs", UseAccess, id, "token_use is \"id\", want \"access\""},
		{"no token_use", UseID, withClaims(id, "token_use", nil), "token_use"},
		{"iss of another pool", UseID, withClaims(id, "iss", e.iss.IssuerFor(poolB)), "claim iss"},
		{"no iss", UseID, withClaims(id, "iss", nil), "claim iss"},
		{"unencodable claim", UseID, withClaims(id, "bad", func() {}), "encoding claims"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.iss.Sign(ctx, poolA, tt.use, tt.claims)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Sign error = %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestRotateKeepsOldTokensVerifying(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	oldID := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
	oldAccess := e.sign(t, poolA, UseAccess, accessClaims(e.iss, poolA, now))

	e.clock.Advance(time.Minute)
	if err := e.iss.Rotate(ctx, poolA, UseID); err != nil {
		t.Fatal(err)
	}
	newID := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
	newAccess := e.sign(t, poolA, UseAccess, accessClaims(e.iss, poolA, now))
	if kidOf(t, newID) == kidOf(t, oldID) {
		t.Error("ID key did not change")
	}
	if kidOf(t, newAccess) != kidOf(t, oldAccess) {
		t.Error("rotating the ID key changed the access key")
	}
	for name, tok := range map[string]string{"old id": oldID, "new id": newID, "access": oldAccess} {
		if _, err := e.iss.Verify(ctx, tok, VerifyOptions{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	jwks := parseJWKS(t, must(e.iss.JWKS(ctx, poolA)))
	if len(jwks) != 3 {
		t.Errorf("JWKS has %d keys after one rotation, want 3", len(jwks))
	}
	rows, _ := e.keys.ListSigningKeys(ctx, poolA)
	for _, r := range rows {
		if r.KID == kidOf(t, oldID) && !r.RetiredAt.Equal(e.clock.Now()) {
			t.Errorf("old key RetiredAt = %v, want %v", r.RetiredAt, e.clock.Now())
		}
	}
	if err := e.iss.Rotate(ctx, poolA, "refresh"); err == nil {
		t.Error("Rotate accepted an unknown use")
	}
}

func TestKeysPersistAcrossInstances(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	tok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))

	second := e.issuer(t, testMaster(t, 1))
	if _, err := second.Verify(ctx, tok, VerifyOptions{Use: UseID}); err != nil {
		t.Fatalf("new instance does not verify: %v", err)
	}
	tok2, err := second.Sign(ctx, poolA, UseID, idClaims(second, poolA, now))
	if err != nil {
		t.Fatal(err)
	}
	if kidOf(t, tok2) != kidOf(t, tok) {
		t.Error("new instance signs with another key")
	}
	if rows, _ := e.keys.ListSigningKeys(ctx, poolA); len(rows) != 2 {
		t.Errorf("store holds %d keys, want the 2 from the first instance", len(rows))
	}

	// With another master key the private keys do not open: no signing, but the public keys
	// are in the clear and still verify.
	wrong := e.issuer(t, testMaster(t, 2))
	_, err = wrong.Sign(ctx, poolA, UseID, idClaims(wrong, poolA, now))
	if !errors.Is(err, masterkey.ErrOpen) {
		t.Errorf("Sign with the wrong master key: %v, want masterkey.ErrOpen", err)
	}
	if _, err := wrong.Verify(ctx, tok, VerifyOptions{}); err != nil {
		t.Errorf("Verify with the wrong master key: %v", err)
	}
}

func TestSealedKeyCannotMoveBetweenRows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.iss.EnsureKeys(ctx, poolA); err != nil {
		t.Fatal(err)
	}
	// Copy pool A's ID key row into pool B under the same kid: the aad no longer matches.
	rows, _ := e.keys.ListSigningKeys(ctx, poolA)
	moved := rows[0]
	moved.PoolID = poolB
	if err := e.keys.CreateSigningKey(ctx, moved); err != nil {
		t.Fatal(err)
	}
	other := e.issuer(t, testMaster(t, 1))
	_, err := other.Sign(ctx, poolB, moved.Use, withClaims(idClaims(other, poolB, e.clock.Now()), "token_use", moved.Use))
	if !errors.Is(err, masterkey.ErrOpen) {
		t.Fatalf("Sign with a moved key: %v, want masterkey.ErrOpen", err)
	}
}

func TestSigningUsesTheCache(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
	before := e.keys.listCalls()
	for range 20 {
		tok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
		e.sign(t, poolA, UseAccess, accessClaims(e.iss, poolA, now))
		if _, err := e.iss.Verify(ctx, tok, VerifyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.keys.listCalls() - before; got != 0 {
		t.Errorf("signing and verifying queried the store %d times", got)
	}
	e.clock.Advance(cacheTTL)
	e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
	e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
	if got := e.keys.listCalls() - before; got != 1 {
		t.Errorf("after cacheTTL the store was queried %d times, want 1", got)
	}
}

// Two nodes share one store: what one rotates, the other learns.
func TestRotationOnAnotherNode(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	nodeA := e.iss
	nodeB := e.issuer(t, testMaster(t, 1))
	oldTok := e.sign(t, poolA, UseID, idClaims(nodeA, poolA, now))
	if _, err := nodeB.Verify(ctx, oldTok, VerifyOptions{}); err != nil {
		t.Fatal(err)
	}

	e.clock.Advance(time.Second)
	if err := nodeB.Rotate(ctx, poolA, UseID); err != nil {
		t.Fatal(err)
	}
	newTok, err := nodeB.Sign(ctx, poolA, UseID, idClaims(nodeB, poolA, now))
	if err != nil {
		t.Fatal(err)
	}
	// Node A has never seen the new kid: the miss reloads its keys.
	if _, err := nodeA.Verify(ctx, newTok, VerifyOptions{}); err != nil {
		t.Fatalf("node A does not verify node B's new key: %v", err)
	}
	// Node A signs with the new key once its cache has been refreshed.
	e.clock.Advance(cacheTTL)
	tok, err := nodeA.Sign(ctx, poolA, UseID, idClaims(nodeA, poolA, now))
	if err != nil {
		t.Fatal(err)
	}
	if kidOf(t, tok) != kidOf(t, newTok) {
		t.Error("node A still signs with the retired key after cacheTTL")
	}
}

func TestUnknownKidReloadIsRateLimited(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, e.clock.Now()))
	e.clock.Advance(missReloadAfter)
	forged := strings.Replace(tok, strings.Split(tok, ".")[0],
		b64JSON(t, map[string]string{"kid": "Zm9yZ2VkLWtpZC1mb3JnZWQta2lkLWZvcmdlZC1raWQh", "alg": "RS256"}), 1)
	before := e.keys.listCalls()
	for range 50 {
		if _, err := e.iss.Verify(ctx, forged, VerifyOptions{}); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("forged kid: %v", err)
		}
	}
	if got := e.keys.listCalls() - before; got != 1 {
		t.Errorf("50 unknown kids queried the store %d times, want 1", got)
	}
}

// When two nodes ensure a pool's keys at once, the pool briefly has two active keys of a use;
// every node must sign with the same one.
func TestDuplicateActiveKeysAgree(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	nodes := []*Issuer{e.iss, e.issuer(t, testMaster(t, 1))}
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(func() {
			if err := n.EnsureKeys(ctx, poolA); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// Force the duplicate case even if the goroutines did not race: add a second ID key.
	e.clock.Advance(time.Second)
	if err := e.issuer(t, testMaster(t, 1)).createKey(ctx, poolA, UseID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(cacheTTL)
	var kids []string
	for _, n := range nodes {
		tok, err := n.Sign(ctx, poolA, UseID, idClaims(n, poolA, now))
		if err != nil {
			t.Fatal(err)
		}
		kids = append(kids, kidOf(t, tok))
	}
	if kids[0] != kids[1] {
		t.Errorf("nodes sign with different keys: %q", kids)
	}
}

func TestSkipsUnusableRows(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, e.clock.Now()))
	for _, r := range []store.SigningKey{
		{PoolID: poolA, KID: "es256", Use: UseID, Alg: "ES256", Public: []byte("x"), CreatedAt: e.clock.Now()},
		{PoolID: poolA, KID: "badpub", Use: UseID, Alg: "RS256", Public: []byte("x"), CreatedAt: e.clock.Now()},
		{PoolID: poolA, KID: "weird", Use: "refresh", Alg: "RS256", Public: []byte("x"), CreatedAt: e.clock.Now()},
	} {
		if err := e.keys.CreateSigningKey(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	fresh := e.issuer(t, testMaster(t, 1))
	if _, err := fresh.Verify(ctx, tok, VerifyOptions{}); err != nil {
		t.Fatalf("bad rows broke verification: %v", err)
	}
	jwks := parseJWKS(t, must(fresh.JWKS(ctx, poolA)))
	if len(jwks) != 2 {
		t.Errorf("JWKS has %d keys, want the 2 good ones", len(jwks))
	}
	if _, err := fresh.Sign(ctx, poolA, UseID, idClaims(fresh, poolA, e.clock.Now())); err != nil {
		t.Errorf("bad rows broke signing: %v", err)
	}
}

func TestNewIssuerValidatesConfig(t *testing.T) {
	m := testMaster(t, 1)
	k := &memKeys{}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no store", Config{Master: m, IssuerURL: testIssuerURL}},
		{"no master key", Config{Keys: k, IssuerURL: testIssuerURL}},
		{"no issuer", Config{Keys: k, Master: m}},
		{"relative issuer", Config{Keys: k, Master: m, IssuerURL: "/x"}},
		{"issuer with query", Config{Keys: k, Master: m, IssuerURL: "http://h/?a=b"}},
		{"ftp issuer", Config{Keys: k, Master: m, IssuerURL: "ftp://h"}},
	}
	for _, tt := range tests {
		if _, err := NewIssuer(tt.cfg); err == nil {
			t.Errorf("%s: NewIssuer succeeded", tt.name)
		}
	}
	iss, err := NewIssuer(Config{Keys: k, Master: m, IssuerURL: testIssuerURL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if got := iss.IssuerFor(poolA); got != testIssuerURL+"/"+poolA {
		t.Errorf("IssuerFor = %q (trailing slash kept?)", got)
	}
}

func TestPoolIDFromIssuer(t *testing.T) {
	iss, _ := NewIssuer(Config{Keys: &memKeys{}, Master: testMaster(t, 1), IssuerURL: testIssuerURL})
	for in, want := range map[string]string{
		testIssuerURL + "/" + poolA:                               poolA,
		testIssuerURL + "/eu-west_2_Abc":                          "eu-west_2_Abc",
		testIssuerURL + "/":                                       "",
		testIssuerURL + "/" + poolA + "/x":                        "",
		testIssuerURL + "/us-east-1_":                             "",
		testIssuerURL + "/_abc":                                   "",
		testIssuerURL + "/us-east-1_ab-c":                         "",
		testIssuerURL + "/" + strings.Repeat("a", 50) + "_abcdef": "",
		"https://evil.example/" + poolA:                           "",
		testIssuerURL + "x/" + poolA:                              "",
	} {
		got, ok := iss.PoolIDFromIssuer(in)
		if got != want || ok != (want != "") {
			t.Errorf("PoolIDFromIssuer(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
