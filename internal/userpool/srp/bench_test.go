package srp

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"
)

type benchFixture struct {
	ver                    Verifier
	poolName, userID, srpA string
	b, block               []byte
	timestamp, signature   string
}

func newBenchFixture(tb testing.TB) benchFixture {
	kv := katVectors[0]
	block, _ := base64.StdEncoding.DecodeString(kv.secretBlock)
	return benchFixture{
		ver:       verifierWithSalt(mustHexBytes(tb, kv.salt), PoolName(kv.poolID), kv.userID, kv.password),
		poolName:  PoolName(kv.poolID),
		userID:    kv.userID,
		srpA:      kv.srpA,
		b:         mustHexBytes(tb, kv.b),
		block:     block,
		timestamp: kv.timestamp,
		signature: kv.signature,
	}
}

// serverHandshake is the server's whole part of one sign-in: Challenge, the session through
// its encoding (as the caller stores it), Verify. b is fixed so that the client's known
// signature matches; the work does not depend on which b it is.
func (fx benchFixture) serverHandshake(tb testing.TB) {
	s, _, err := Challenge(bytes.NewReader(fx.b), fx.ver, fx.srpA)
	if err != nil {
		tb.Fatal(err)
	}
	blob, err := s.MarshalBinary()
	if err != nil {
		tb.Fatal(err)
	}
	var back Session
	if err := back.UnmarshalBinary(blob); err != nil {
		tb.Fatal(err)
	}
	ok, err := back.Verify(fx.poolName, fx.userID, fx.block, fx.timestamp, fx.signature)
	if err != nil || !ok {
		tb.Fatalf("Verify = %v, %v", ok, err)
	}
}

// BenchmarkHandshake is the server side of one full SRP sign-in, on one goroutine.
func BenchmarkHandshake(b *testing.B) {
	fx := newBenchFixture(b)
	for b.Loop() {
		fx.serverHandshake(b)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
}

// BenchmarkHandshakeParallel is the same on every core (GOMAXPROCS goroutines).
func BenchmarkHandshakeParallel(b *testing.B) {
	fx := newBenchFixture(b)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			fx.serverHandshake(b)
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "handshakes/s")
}

func BenchmarkChallenge(b *testing.B) {
	fx := newBenchFixture(b)
	for b.Loop() {
		if _, _, err := Challenge(rand.Reader, fx.ver, fx.srpA); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	fx := newBenchFixture(b)
	s, _, err := Challenge(bytes.NewReader(fx.b), fx.ver, fx.srpA)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := s.Verify(fx.poolName, fx.userID, fx.block, fx.timestamp, fx.signature); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkFakeChallenge(b *testing.B) {
	fx := newBenchFixture(b)
	secret := bytes.Repeat([]byte{1}, 32)
	for b.Loop() {
		if _, _, err := FakeChallenge(rand.Reader, secret, "us-east-1_GateHouse", "nobody", fx.srpA); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewVerifier is the cost added to sign-up and every password change.
func BenchmarkNewVerifier(b *testing.B) {
	for b.Loop() {
		if _, err := NewVerifier(rand.Reader, "GateHouse", "alice", "Correct Horse Battery Staple 1!"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClient is the client side of one sign-in (amazon-cognito-identity-js's work, with a
// 1024-bit a), for comparison: A = g^a, then S = (B − k·g^x)^(a+u·x) and the signature.
func BenchmarkClient(b *testing.B) {
	fx := newBenchFixture(b)
	kv := katVectors[0]
	params := map[string]string{"USER_ID_FOR_SRP": kv.userID, "SRP_B": kv.srpB, "SALT": kv.saltWire, "SECRET_BLOCK": kv.secretBlock}
	for b.Loop() {
		c := newJSClient(fx.poolName, nil)
		if _, err := c.passwordVerifier(params, kv.password, kv.timestamp); err != nil {
			b.Fatal(err)
		}
	}
}
