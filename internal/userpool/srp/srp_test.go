package srp

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/big"
	"strings"
	"testing"
	"time"
)

func mustHexBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsPoolName is getUserPoolName of CognitoUserPool.js: userPoolId.split('_')[1].
func jsPoolName(poolID string) string { return strings.Split(poolID, "_")[1] }

func TestGroupConstants(t *testing.T) {
	if got, want := hex.EncodeToString(groupK.Bytes()), "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"; got != want {
		t.Errorf("k = %s, want %s", got, want)
	}
	if groupN.BitLen() != 3072 || !groupN.ProbablyPrime(20) {
		t.Errorf("N is not a 3072-bit prime")
	}
	if got := len(pad(groupN)); got != nBytes+1 {
		t.Errorf("len(pad(N)) = %d, want %d (leading 0x00: top bit set)", got, nBytes+1)
	}
}

func TestPad(t *testing.T) {
	// The examples of padHex's comment in AuthenticationHelper.js, positive ones.
	for _, tc := range []struct {
		in   int64
		want string
	}{{0, "00"}, {20, "14"}, {56, "38"}, {236, "00ec"}, {200, "00c8"}, {0x7fff, "7fff"}, {0x8000, "008000"}, {0x123, "0123"}} {
		if got := padHex(big.NewInt(tc.in)); got != tc.want {
			t.Errorf("padHex(%d) = %q, want %q", tc.in, got, tc.want)
		}
		if got := jsPadHex(big.NewInt(tc.in)); got != tc.want {
			t.Errorf("jsPadHex(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPoolName(t *testing.T) {
	for in, want := range map[string]string{
		"us-east-1_AbCdEfGhI": "AbCdEfGhI",
		"eu-west-2_z9Y8x7W6v": "z9Y8x7W6v",
		"plain":               "plain",
		"a_b_c":               "b",
	} {
		if got := PoolName(in); got != want {
			t.Errorf("PoolName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKnownAnswersServer runs the server on the fixed vectors and checks every intermediate
// value against the answers amazon-cognito-identity-js computed.
func TestKnownAnswersServer(t *testing.T) {
	for _, kv := range katVectors {
		t.Run(kv.userID, func(t *testing.T) {
			poolName := PoolName(kv.poolID)
			ver := verifierWithSalt(mustHexBytes(t, kv.salt), poolName, kv.userID, kv.password)
			if got := ver.V.Text(16); got != kv.verifier {
				t.Fatalf("verifier = %s…, want %s…", got[:16], kv.verifier[:16])
			}
			// NewVerifier reads exactly the salt from rand.
			ver2, err := NewVerifier(bytes.NewReader(mustHexBytes(t, kv.salt)), poolName, kv.userID, kv.password)
			if err != nil || ver2.V.Cmp(ver.V) != 0 || !bytes.Equal(ver2.Salt, ver.Salt) {
				t.Fatalf("NewVerifier = %v, %v; want the known verifier", ver2, err)
			}

			sess, out, err := Challenge(bytes.NewReader(mustHexBytes(t, kv.b)), ver, kv.srpA)
			if err != nil {
				t.Fatal(err)
			}
			if out.SaltHex != kv.saltWire {
				t.Errorf("SALT = %s, want %s", out.SaltHex, kv.saltWire)
			}
			if out.SRPBHex != kv.srpB {
				t.Errorf("SRP_B = %s…, want %s…", out.SRPBHex[:16], kv.srpB[:16])
			}
			u := hashInts(sess.a, sess.bigB)
			if got := u.Text(16); got != kv.u {
				t.Errorf("u = %s, want %s", got, kv.u)
			}
			s := new(big.Int).Exp(sess.v, u, groupN)
			s.Mul(s, sess.a).Mod(s, groupN).Exp(s, sess.b, groupN)
			if got := s.Text(16); got != kv.s {
				t.Errorf("S = %s…, want %s…", got[:16], kv.s[:16])
			}
			key, err := sess.key()
			if err != nil || hex.EncodeToString(key) != kv.key {
				t.Errorf("key = %x, %v; want %s", key, err, kv.key)
			}

			block, _ := base64.StdEncoding.DecodeString(kv.secretBlock)
			ok, err := sess.Verify(poolName, kv.userID, block, kv.timestamp, kv.signature)
			if err != nil || !ok {
				t.Fatalf("Verify(known signature) = %v, %v; want true", ok, err)
			}
			// Every part of the signed message matters.
			tampered := []struct {
				name           string
				pool, user, ts string
				block          []byte
			}{
				{"pool", poolName + "x", kv.userID, kv.timestamp, block},
				{"user", poolName, kv.userID + "x", kv.timestamp, block},
				{"block", poolName, kv.userID, kv.timestamp, append(append([]byte(nil), block...), 0)},
				{"timestamp", poolName, kv.userID, FormatTimestamp(mustParse(t, kv.timestamp).Add(time.Second)), block},
			}
			for _, tc := range tampered {
				if ok, err := sess.Verify(tc.pool, tc.user, tc.block, tc.ts, kv.signature); ok || err != nil {
					t.Errorf("Verify with another %s = %v, %v; want false, nil", tc.name, ok, err)
				}
			}
			sig := []byte(kv.signature)
			sig[3] ^= 1
			if ok, err := sess.Verify(poolName, kv.userID, block, kv.timestamp, string(sig)); ok || err != nil {
				t.Errorf("Verify(flipped signature) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func mustParse(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := ParseTimestamp(s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestKnownAnswersClient checks the test's own client against the same answers, so that the
// random handshakes below test the server against a client known to be right.
func TestKnownAnswersClient(t *testing.T) {
	for _, kv := range katVectors {
		t.Run(kv.userID, func(t *testing.T) {
			c := newJSClient(jsPoolName(kv.poolID), jsBig(kv.a))
			if got := c.srpA(); got != kv.srpA {
				t.Fatalf("SRP_A = %s…, want %s…", got[:16], kv.srpA[:16])
			}
			parts, err := c.passwordAuthenticationKey(kv.userID, kv.password, jsBig(kv.srpB), jsBig(kv.saltWire))
			if err != nil {
				t.Fatal(err)
			}
			if parts.u.Text(16) != kv.u || parts.s.Text(16) != kv.s || hex.EncodeToString(parts.key) != kv.key {
				t.Fatalf("client u, S, key = %s, %s…, %x; want %s, %s…, %s",
					parts.u.Text(16), parts.s.Text(16)[:16], parts.key, kv.u, kv.s[:16], kv.key)
			}
			resp, err := c.passwordVerifier(map[string]string{
				"USER_ID_FOR_SRP": kv.userID, "SRP_B": kv.srpB, "SALT": kv.saltWire, "SECRET_BLOCK": kv.secretBlock,
			}, kv.password, kv.timestamp)
			if err != nil {
				t.Fatal(err)
			}
			if resp["PASSWORD_CLAIM_SIGNATURE"] != kv.signature {
				t.Errorf("signature = %s, want %s", resp["PASSWORD_CLAIM_SIGNATURE"], kv.signature)
			}
		})
	}
}

// handshake runs a full sign-in between the JS-faithful client and the server, the session
// going through MarshalBinary/UnmarshalBinary as it does through the caller's store.
func handshake(t *testing.T, poolID, userID, setPassword, tryPassword string, now time.Time) bool {
	t.Helper()
	ver, err := NewVerifier(rand.Reader, PoolName(poolID), userID, setPassword)
	if err != nil {
		t.Fatal(err)
	}
	c := newJSClient(jsPoolName(poolID), nil)
	sess, out, err := Challenge(rand.Reader, ver, c.srpA())
	if err != nil {
		t.Fatal(err)
	}
	blob, err := sess.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	secretBlock := make([]byte, 64)
	rand.Read(secretBlock)
	resp, err := c.passwordVerifier(map[string]string{
		"USER_ID_FOR_SRP": userID, "SRP_B": out.SRPBHex, "SALT": out.SaltHex,
		"SECRET_BLOCK": base64.StdEncoding.EncodeToString(secretBlock),
	}, tryPassword, jsNowString(now))
	if err != nil {
		t.Fatal(err)
	}
	var back Session
	if err := back.UnmarshalBinary(blob); err != nil {
		t.Fatal(err)
	}
	block, err := base64.StdEncoding.DecodeString(resp["PASSWORD_CLAIM_SECRET_BLOCK"])
	if err != nil {
		t.Fatal(err)
	}
	ok, err := back.Verify(PoolName(poolID), resp["USERNAME"], block, resp["TIMESTAMP"], resp["PASSWORD_CLAIM_SIGNATURE"])
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestHandshakeJSClient(t *testing.T) {
	now := time.Date(2026, 1, 5, 7, 8, 9, 0, time.UTC)
	for i := range 8 {
		user := []string{"alice", "Bob.Example@example.com", "7c3e1d7e-0b6f-4c5a-9a3e-1f2d3c4b5a69", "ünï©ødé"}[i%4]
		if !handshake(t, "us-east-1_AbCdEfGhI", user, "Passw0rd!", "Passw0rd!", now.Add(time.Duration(i)*37*time.Hour)) {
			t.Errorf("handshake %d (%s): right password refused", i, user)
		}
	}
	if handshake(t, "us-east-1_AbCdEfGhI", "alice", "Passw0rd!", "passw0rd!", now) {
		t.Error("wrong password accepted")
	}
	// The verifier is bound to the pool name.
	ver, _ := NewVerifier(rand.Reader, "OtherPool", "alice", "Passw0rd!")
	c := newJSClient("AbCdEfGhI", nil)
	sess, out, err := Challenge(rand.Reader, ver, c.srpA())
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := c.passwordVerifier(map[string]string{"USER_ID_FOR_SRP": "alice", "SRP_B": out.SRPBHex, "SALT": out.SaltHex, "SECRET_BLOCK": "AAAA"}, "Passw0rd!", jsNowString(now))
	if ok, err := sess.Verify("AbCdEfGhI", "alice", []byte{0, 0, 0}, resp["TIMESTAMP"], resp["PASSWORD_CLAIM_SIGNATURE"]); ok || err != nil {
		t.Errorf("verifier of another pool: Verify = %v, %v; want false", ok, err)
	}
}

func TestChallengeHostileA(t *testing.T) {
	ver, err := NewVerifier(rand.Reader, "pool", "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	n := groupN.Text(16)
	twoN := new(big.Int).Lsh(groupN, 1).Text(16)
	nPlus1 := new(big.Int).Add(groupN, big.NewInt(1)).Text(16)
	for name, a := range map[string]string{
		"empty":          "",
		"zero":           "0",
		"zeros":          "0000",
		"N":              n,
		"N upper":        strings.ToUpper(n),
		"N leading 00":   "00" + n,
		"2N":             twoN,
		"N+1":            nPlus1,
		"non-hex":        "xyz",
		"0x prefix":      "0x1234",
		"sign":           "-1234",
		"plus":           "+1234",
		"space":          "12 34",
		"trailing nl":    "1234\n",
		"underscore":     "12_34",
		"huge":           strings.Repeat("f", 10000),
		"just too long":  strings.Repeat("0", maxHexLen-1) + "12",
		"unicode digits": "１２３",
	} {
		if _, _, err := Challenge(rand.Reader, ver, a); !errors.Is(err, ErrInvalidA) {
			t.Errorf("%s: Challenge err = %v, want ErrInvalidA", name, err)
		}
	}
	// Accepted: leading zeros (up to the bound), odd length, upper case, 1 and N−1.
	for name, a := range map[string]string{
		"one":         "1",
		"odd length":  "abc",
		"upper":       "ABC",
		"leading 0s":  strings.Repeat("0", 30) + "abc",
		"N-1":         new(big.Int).Sub(groupN, big.NewInt(1)).Text(16),
		"bound":       strings.Repeat("0", maxHexLen-3) + "abc",
		"padHex of A": "00" + strings.Repeat("8", 767),
		"lowercase A": newJSClient("p", nil).srpA(),
	} {
		if _, _, err := Challenge(rand.Reader, ver, a); err != nil {
			t.Errorf("%s: Challenge err = %v, want nil", name, err)
		}
	}
}

func TestChallengeBadVerifierAndRand(t *testing.T) {
	a := newJSClient("p", nil).srpA()
	good, _ := NewVerifier(rand.Reader, "pool", "alice", "pw")
	for name, v := range map[string]Verifier{
		"zero value": {},
		"no salt":    {V: good.V},
		"v = 0":      {Salt: good.Salt, V: new(big.Int)},
		"v = N":      {Salt: good.Salt, V: new(big.Int).Set(groupN)},
		"v < 0":      {Salt: good.Salt, V: big.NewInt(-5)},
	} {
		if _, _, err := Challenge(rand.Reader, v, a); !errors.Is(err, ErrInvalidVerifier) {
			t.Errorf("%s: err = %v, want ErrInvalidVerifier", name, err)
		}
	}
	if _, _, err := Challenge(bytes.NewReader(make([]byte, 5)), good, a); err == nil {
		t.Error("short rand: want an error")
	}
	if _, err := NewVerifier(bytes.NewReader(nil), "pool", "alice", "pw"); err == nil {
		t.Error("NewVerifier with empty rand: want an error")
	}
	// b = 0 is redrawn.
	r := io.MultiReader(bytes.NewReader(make([]byte, bLen)), rand.Reader)
	if s, _, err := Challenge(r, good, a); err != nil || s.b.Sign() == 0 {
		t.Errorf("zero b: %v, %v", s, err)
	}
	if _, _, err := Challenge(bytes.NewReader(make([]byte, bLen*maxTries)), good, a); err == nil {
		t.Error("rand of zeros only: want an error")
	}
}

// validSession returns a session with its client, for the Verify tests.
func validSession(t testing.TB) (*Session, *jsClient, ChallengeOut) {
	ver, err := NewVerifier(rand.Reader, "pool", "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	c := newJSClient("pool", nil)
	s, out, err := Challenge(rand.Reader, ver, c.srpA())
	if err != nil {
		t.Fatal(err)
	}
	return s, c, out
}

func TestVerifyHostile(t *testing.T) {
	s, c, out := validSession(t)
	ts := "Tue Feb 3 04:05:06 UTC 2026"
	resp, err := c.passwordVerifier(map[string]string{"USER_ID_FOR_SRP": "alice", "SRP_B": out.SRPBHex, "SALT": out.SaltHex, "SECRET_BLOCK": "c2VjcmV0"}, "pw", ts)
	if err != nil {
		t.Fatal(err)
	}
	sig := resp["PASSWORD_CLAIM_SIGNATURE"]
	block := []byte("secret")
	if ok, err := s.Verify("pool", "alice", block, ts, sig); !ok || err != nil {
		t.Fatalf("Verify = %v, %v; want true", ok, err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sig)
	for name, bad := range map[string]string{
		"empty":       "",
		"not base64":  strings.Repeat("!", 44),
		"url base64":  base64.URLEncoding.EncodeToString(append([]byte{0xfb, 0xff}, raw[2:]...)),
		"no padding":  base64.RawStdEncoding.EncodeToString(raw),
		"short":       base64.StdEncoding.EncodeToString(raw[:31]),
		"long":        base64.StdEncoding.EncodeToString(append(raw, 0)),
		"hex":         hex.EncodeToString(raw),
		"spaces":      " " + sig[1:],
		"newline":     sig[:43] + "\n",
		"non-canonic": sig[:42] + string(sig[42]+1) + "=",
		"huge":        strings.Repeat("A", 1<<16),
	} {
		if ok, err := s.Verify("pool", "alice", block, ts, bad); ok || !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: Verify = %v, %v; want false, ErrInvalidSignature", name, ok, err)
		}
	}
	for _, bad := range []string{"", "now", "Tue Feb 3 04:05:06 2026", ts + " ", " " + ts, "Tue  Feb 3 04:05:06 UTC 2026"} {
		if ok, err := s.Verify("pool", "alice", block, bad, sig); ok || !errors.Is(err, ErrInvalidTimestamp) {
			t.Errorf("timestamp %q: Verify = %v, %v; want false, ErrInvalidTimestamp", bad, ok, err)
		}
	}
	// Parsable but not canonical: Cognito signs its own rendering, so these fail the check
	// (NotAuthorizedException), as measured against AWS for "Sep 05" and a wrong weekday.
	for _, variant := range []string{"Tue Feb 03 04:05:06 UTC 2026", "Wed Feb 3 04:05:06 UTC 2026", "tue feb 3 04:05:06 utc 2026", "Tue Feb 3 4:05:06 UTC 2026", "Tue Feb 3 04:05:06 GMT 2026"} {
		resp, _ := c.passwordVerifier(map[string]string{"USER_ID_FOR_SRP": "alice", "SRP_B": out.SRPBHex, "SALT": out.SaltHex, "SECRET_BLOCK": "c2VjcmV0"}, "pw", variant)
		if ok, err := s.Verify("pool", "alice", block, variant, resp["PASSWORD_CLAIM_SIGNATURE"]); ok || err != nil {
			t.Errorf("non-canonical %q: Verify = %v, %v; want false, nil", variant, ok, err)
		}
	}
	// Zero and nil sessions.
	var zero Session
	if ok, err := zero.Verify("pool", "alice", block, ts, sig); ok || !errors.Is(err, ErrInvalidSession) {
		t.Errorf("zero Session: %v, %v", ok, err)
	}
	var nilS *Session
	if ok, err := nilS.Verify("pool", "alice", block, ts, sig); ok || !errors.Is(err, ErrInvalidSession) {
		t.Errorf("nil Session: %v, %v", ok, err)
	}
}

func TestParseTimestamp(t *testing.T) {
	for in, want := range map[string]time.Time{
		"Sun Nov 22 21:40:00 UTC 2026": time.Date(2026, 11, 22, 21, 40, 0, 0, time.UTC),
		"Mon Mar 2 03:04:05 UTC 2026":  time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC),
		"Mon Mar 02 03:04:05 UTC 2026": time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC),
		"Sat Jan 1 00:00:00 GMT 2000":  time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		"Fri Dec 31 23:59:59 UTC 2027": time.Date(2027, 12, 31, 23, 59, 59, 0, time.UTC),
		"Thu Feb 29 12:00:00 UTC 2024": time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC),
		"SUN NOV 22 21:40:00 utc 2026": time.Date(2026, 11, 22, 21, 40, 0, 0, time.UTC),
		"Mon Nov 22 1:2:3 UTC 2026":    time.Date(2026, 11, 22, 1, 2, 3, 0, time.UTC), // weekday not checked
	} {
		got, err := ParseTimestamp(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "garbage", "Sun Nov 22 21:40:00 UTC", "Sun Nov 22 21:40:00 UTC 2026 x",
		"Sunday Nov 22 21:40:00 UTC 2026", "Sun November 22 21:40:00 UTC 2026", "Xyz Nov 22 21:40:00 UTC 2026",
		"Sun Nov 0 21:40:00 UTC 2026", "Sun Nov 31 21:40:00 UTC 2026", "Sun Feb 29 21:40:00 UTC 2026",
		"Sun Nov 123 21:40:00 UTC 2026", "Sun Nov 22 24:00:00 UTC 2026", "Sun Nov 22 21:60:00 UTC 2026",
		"Sun Nov 22 21:40:60 UTC 2026", "Sun Nov 22 21:40 UTC 2026", "Sun Nov 22 21:40:00:00 UTC 2026",
		"Sun Nov 22 021:40:00 UTC 2026", "Sun Nov 22 21:40:00 PST 2026", "Sun Nov 22 21:40:00 +0000 2026",
		"Sun Nov 22 21:40:00 UTC 26", "Sun Nov 22 21:40:00 UTC 20266", "Sun Nov 22 21:40:00 UTC -026",
		"Sun Nov +2 21:40:00 UTC 2026", "Sun Nov 22 21:-4:00 UTC 2026", "Sun\tNov 22 21:40:00 UTC 2026",
		"Sun Nov 22 21:40:00Z UTC 2026", "2026-11-22T21:40:00Z", strings.Repeat("Sun ", 100),
		"Sun Nov ２２ 21:40:00 UTC 2026",
	} {
		if got, err := ParseTimestamp(in); !errors.Is(err, ErrInvalidTimestamp) {
			t.Errorf("ParseTimestamp(%q) = %v, %v; want ErrInvalidTimestamp", in, got, err)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	// FormatTimestamp is DateHelper.getNowString; round trips through ParseTimestamp.
	start := time.Date(2025, 12, 28, 0, 0, 0, 0, time.UTC)
	for i := range 2000 {
		tm := start.Add(time.Duration(i)*7*time.Hour + time.Duration(i)*61*time.Second)
		s := FormatTimestamp(tm)
		if want := jsNowString(tm); s != want {
			t.Fatalf("FormatTimestamp = %q, want %q", s, want)
		}
		if back := mustParse(t, s); !back.Equal(tm) || FormatTimestamp(back) != s {
			t.Fatalf("round trip of %q gave %v", s, back)
		}
	}
	if got := FormatTimestamp(time.Date(2026, 11, 22, 22, 40, 0, 0, time.FixedZone("x", 3600))); got != "Sun Nov 22 21:40:00 UTC 2026" {
		t.Errorf("FormatTimestamp of a non-UTC time = %q", got)
	}
}

func TestFakeChallenge(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	a := newJSClient("AbCdEfGhI", nil).srpA()
	s1, out1, err := FakeChallenge(rand.Reader, secret, "us-east-1_AbCdEfGhI", "nobody", a)
	if err != nil {
		t.Fatal(err)
	}
	_, out2, err := FakeChallenge(rand.Reader, secret, "us-east-1_AbCdEfGhI", "nobody", a)
	if err != nil {
		t.Fatal(err)
	}
	if out1.SaltHex != out2.SaltHex {
		t.Errorf("fake salt not stable: %s, %s", out1.SaltHex, out2.SaltHex)
	}
	if out1.SRPBHex == out2.SRPBHex {
		t.Error("fake B repeated; want a fresh B per challenge")
	}
	for name, other := range map[string][3]string{
		"other user":   {string(secret), "us-east-1_AbCdEfGhI", "nobody2"},
		"other pool":   {string(secret), "us-east-1_AbCdEfGhJ", "nobody"},
		"other secret": {string(bytes.Repeat([]byte{8}, 32)), "us-east-1_AbCdEfGhI", "nobody"},
		"shifted":      {string(secret), "us-east-1_AbCdEfGhIn", "obody"},
	} {
		_, o, err := FakeChallenge(rand.Reader, []byte(other[0]), other[1], other[2], a)
		if err != nil {
			t.Fatal(err)
		}
		if o.SaltHex == out1.SaltHex {
			t.Errorf("%s: same fake salt", name)
		}
	}
	// Looks like a real answer: salt of SaltLen bytes, B a group element.
	if salt, ok := parseHexInt(out1.SaltHex); !ok || salt.BitLen() > 8*SaltLen {
		t.Errorf("fake SALT %q", out1.SaltHex)
	}
	if b, ok := parseHexInt(out1.SRPBHex); !ok || !inGroup(b) {
		t.Errorf("fake SRP_B %q", out1.SRPBHex)
	}
	// Whatever the client answers, the fake session says no; even across encoding.
	blob, _ := s1.MarshalBinary()
	var back Session
	if err := back.UnmarshalBinary(blob); err != nil || !back.fake {
		t.Fatalf("fake flag lost: %v %v", back.fake, err)
	}
	ts := "Sun Nov 22 21:40:00 UTC 2026"
	key, _ := back.key()
	sig := base64.StdEncoding.EncodeToString(claimSignature(key, "AbCdEfGhI", "nobody", nil, ts))
	if ok, err := back.Verify("AbCdEfGhI", "nobody", nil, ts, sig); ok || err != nil {
		t.Errorf("fake session Verify(even its own key) = %v, %v; want false, nil", ok, err)
	}
	if _, _, err := FakeChallenge(rand.Reader, secret[:15], "p_x", "u", a); err == nil {
		t.Error("short secret: want an error")
	}
	if _, _, err := FakeChallenge(rand.Reader, secret, "p_x", "u", "0"); !errors.Is(err, ErrInvalidA) {
		t.Errorf("fake with A=0: %v", err)
	}
}

func TestSessionEncoding(t *testing.T) {
	s, _, _ := validSession(t)
	blob, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Session
	if err := back.UnmarshalBinary(blob); err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]*big.Int{{s.a, back.a}, {s.bigB, back.bigB}, {s.b, back.b}, {s.v, back.v}} {
		if p[0].Cmp(p[1]) != 0 {
			t.Fatal("round trip changed a value")
		}
	}
	if back.fake {
		t.Error("real session decoded as fake")
	}
	bad := map[string][]byte{
		"nil":          nil,
		"version":      append([]byte{2}, blob[1:]...),
		"flags":        append([]byte{1, 2}, blob[2:]...),
		"truncated":    blob[:len(blob)-1],
		"trailing":     append(append([]byte(nil), blob...), 0),
		"header only":  blob[:2],
		"zero lengths": {1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	}
	// A = N: rewrite the first number.
	nb := groupN.Bytes()
	withN := []byte{1, 0, byte(len(nb) >> 8), byte(len(nb))}
	withN = append(withN, nb...)
	withN = append(withN, blob[4+len(s.a.Bytes()):]...)
	bad["A = N"] = withN
	for name, data := range bad {
		var x Session
		if err := x.UnmarshalBinary(data); !errors.Is(err, ErrInvalidSession) {
			t.Errorf("%s: err = %v, want ErrInvalidSession", name, err)
		}
	}
	if _, err := (&Session{}).MarshalBinary(); !errors.Is(err, ErrInvalidSession) {
		t.Errorf("marshal zero session: %v", err)
	}
}

func TestVerifierEncoding(t *testing.T) {
	v, _ := NewVerifier(rand.Reader, "pool", "alice", "pw")
	blob, err := v.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back Verifier
	if err := back.UnmarshalBinary(blob); err != nil || back.V.Cmp(v.V) != 0 || !bytes.Equal(back.Salt, v.Salt) {
		t.Fatalf("round trip: %v %v", back, err)
	}
	for name, data := range map[string][]byte{
		"nil":       nil,
		"version":   append([]byte{9}, blob[1:]...),
		"no salt":   {1, 0, 5},
		"no v":      blob[:2+SaltLen],
		"salt long": {1, 200, 1, 2},
		"v = N":     append([]byte{1, 1, 7}, groupN.Bytes()...),
		"v huge":    append([]byte{1, 1, 7}, bytes.Repeat([]byte{1}, 400)...),
	} {
		var x Verifier
		if err := x.UnmarshalBinary(data); !errors.Is(err, ErrInvalidVerifier) {
			t.Errorf("%s: err = %v, want ErrInvalidVerifier", name, err)
		}
	}
	if _, err := (Verifier{}).MarshalBinary(); !errors.Is(err, ErrInvalidVerifier) {
		t.Errorf("marshal zero verifier: %v", err)
	}
}
