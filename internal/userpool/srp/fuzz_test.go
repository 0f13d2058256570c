package srp

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
)

// repeatReader is a deterministic rand: the same byte forever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func fuzzVerifier(t testing.TB) Verifier {
	v, err := NewVerifier(repeatReader(0x5a), "AbCdEfGhI", "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func FuzzChallenge(f *testing.F) {
	for _, kv := range katVectors {
		f.Add(kv.srpA)
	}
	for _, s := range []string{"", "0", "1", "00", groupN.Text(16), "00" + groupN.Text(16),
		new(big.Int).Lsh(groupN, 1).Text(16), "-1", "+1", "0x10", "zz", strings.Repeat("f", 769), strings.Repeat("0", 801)} {
		f.Add(s)
	}
	v := fuzzVerifier(f)
	f.Fuzz(func(t *testing.T, srpA string) {
		s, out, err := Challenge(repeatReader(0x42), v, srpA)
		if err != nil {
			if s != nil || out != (ChallengeOut{}) {
				t.Fatal("error with a result")
			}
			if !errors.Is(err, ErrInvalidA) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		a, ok := parseHexInt(srpA)
		if !ok || !inGroup(a) || s.a.Cmp(a) != 0 {
			t.Fatalf("accepted A %q", srpA)
		}
		if b, ok := parseHexInt(out.SRPBHex); !ok || !inGroup(b) || padHex(b) != out.SRPBHex {
			t.Fatalf("bad SRP_B %q", out.SRPBHex)
		}
		blob, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Session
		if err := back.UnmarshalBinary(blob); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzVerify feeds Verify arbitrary answers, on a real session or on one decoded from
// arbitrary bytes; it must never panic, and never accept a signature not made with the key.
func FuzzVerify(f *testing.F) {
	kv := katVectors[0]
	block, _ := base64.StdEncoding.DecodeString(kv.secretBlock)
	f.Add([]byte(nil), "GateHouse", kv.userID, block, kv.timestamp, kv.signature)
	f.Add([]byte{1, 0, 0, 1, 5, 0, 1, 5, 0, 1, 5, 0, 1, 5}, "p", "u", []byte{}, "Mon Mar 2 03:04:05 UTC 2026", strings.Repeat("A", 43)+"=")
	f.Add([]byte{}, "", "", []byte{0}, "Mon Mar 02 3:4:5 gmt 2026", "!!!")
	f.Add([]byte{}, "p", "u", []byte{0}, "Sun Nov 22 21:40:00 UTC 2026", strings.Repeat("/", 44))

	ver := verifierWithSalt(mustHexBytes(f, kv.salt), PoolName(kv.poolID), kv.userID, kv.password)
	live, _, err := Challenge(bytes.NewReader(mustHexBytes(f, kv.b)), ver, kv.srpA)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sessionBlob []byte, poolName, userID string, secretBlock []byte, timestamp, signature string) {
		s := live
		if len(sessionBlob) > 0 {
			var dec Session
			if err := dec.UnmarshalBinary(sessionBlob); err != nil {
				if !errors.Is(err, ErrInvalidSession) {
					t.Fatalf("UnmarshalBinary: %v", err)
				}
				return
			}
			s = &dec
		}
		ok, err := s.Verify(poolName, userID, secretBlock, timestamp, signature)
		if ok && err != nil {
			t.Fatal("ok with an error")
		}
		if ok {
			// Only the right key signs: recompute and compare.
			key, _ := s.key()
			ts, _ := ParseTimestamp(timestamp)
			want := base64.StdEncoding.EncodeToString(claimSignature(key, poolName, userID, secretBlock, FormatTimestamp(ts)))
			if want != signature {
				t.Fatalf("accepted %q, want %q", signature, want)
			}
		}
	})
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"Sun Nov 22 21:40:00 UTC 2026", "Mon Mar 02 3:4:5 gmt 2026", "", "Sun Nov 22 21:40:00 UTC 20266"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTimestamp(s)
		if err != nil {
			return
		}
		// What parses prints canonically and parses back to the same instant.
		c := FormatTimestamp(tm)
		back, err := ParseTimestamp(c)
		if err != nil || !back.Equal(tm) {
			t.Fatalf("%q → %q → %v, %v", s, c, back, err)
		}
	})
}

func FuzzUnmarshalVerifier(f *testing.F) {
	v, _ := NewVerifier(rand.Reader, "p", "u", "pw")
	blob, _ := v.MarshalBinary()
	f.Add(blob)
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var x Verifier
		if err := x.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrInvalidVerifier) {
				t.Fatalf("UnmarshalBinary: %v", err)
			}
			return
		}
		// What decodes is valid, encodes, and decodes to the same verifier.
		again, err := x.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var y Verifier
		if err := y.UnmarshalBinary(again); err != nil || !bytes.Equal(x.Salt, y.Salt) || x.V.Cmp(y.V) != 0 {
			t.Fatalf("re-decode: %v", err)
		}
	})
}
