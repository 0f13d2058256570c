package srp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// jsClient is the client side of Cognito SRP written from amazon-cognito-identity-js
// (AuthenticationHelper.js, InternalCognitoUser.authenticateUserDefaultAuth, DateHelper.js),
// step by step and with its own string-based helpers, so that it shares no code with the
// server it tests.
type jsClient struct {
	n, g, k  *big.Int
	poolName string
	smallA   *big.Int
	largeA   *big.Int
}

// jsInitN is initN of AuthenticationHelper.js, copied separately from the server's constant.
const jsInitN = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

func jsBig(hexStr string) *big.Int {
	v, ok := new(big.Int).SetString(hexStr, 16)
	if !ok {
		panic("bad hex " + hexStr)
	}
	return v
}

// jsPadHex is padHex for a non-negative BigInteger: even length, "00" before a leading 8–f.
func jsPadHex(v *big.Int) string {
	s := v.Text(16)
	if len(s)%2 != 0 {
		s = "0" + s
	}
	if strings.ContainsRune("89abcdefABCDEF", rune(s[0])) {
		s = "00" + s
	}
	return s
}

// jsHash is hash(buf): SHA-256 as 64 lowercase hex digits.
func jsHash(buf []byte) string {
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// jsHexHash is hexHash(hexStr): hash of Buffer.from(hexStr, 'hex').
func jsHexHash(hexStr string) string {
	b, err := hex.DecodeString(hexStr)
	if err != nil {
		panic(err)
	}
	return jsHash(b)
}

// newJSClient is new AuthenticationHelper(poolName) with smallAValue = a (nil: 128 random
// bytes, as generateRandomSmallA).
func newJSClient(poolName string, a *big.Int) *jsClient {
	c := &jsClient{n: jsBig(jsInitN), g: jsBig("2"), poolName: poolName}
	c.k = jsBig(jsHexHash(jsPadHex(c.n) + jsPadHex(c.g)))
	if a == nil {
		buf := make([]byte, 128)
		if _, err := rand.Read(buf); err != nil {
			panic(err)
		}
		a = jsBig(hex.EncodeToString(buf))
	}
	c.smallA = a
	c.largeA = new(big.Int).Exp(c.g, a, c.n) // calculateA
	if new(big.Int).Mod(c.largeA, c.n).Sign() == 0 {
		panic("Illegal paramater. A mod N cannot be 0.")
	}
	return c
}

// srpA is AuthParameters.SRP_A: largeAValue.toString(16).
func (c *jsClient) srpA() string { return c.largeA.Text(16) }

type jsKeyParts struct {
	u, x, s *big.Int
	key     []byte
}

// passwordAuthenticationKey is getPasswordAuthenticationKey(username, password, B, salt).
func (c *jsClient) passwordAuthenticationKey(username, password string, serverB, salt *big.Int) (jsKeyParts, error) {
	if new(big.Int).Mod(serverB, c.n).Sign() == 0 {
		return jsKeyParts{}, errors.New("B cannot be zero.")
	}
	u := jsBig(jsHexHash(jsPadHex(c.largeA) + jsPadHex(serverB))) // calculateU
	if u.Sign() == 0 {
		return jsKeyParts{}, errors.New("U cannot be zero.")
	}
	usernamePasswordHash := jsHash([]byte(c.poolName + username + ":" + password))
	x := jsBig(jsHexHash(jsPadHex(salt) + usernamePasswordHash))
	// calculateS: (B − k·g^x mod N)^(a + u·x) mod N; JSBN's Montgomery convert reduces a
	// negative base mod N first, so do the same explicitly.
	gModPowXN := new(big.Int).Exp(c.g, x, c.n)
	intValue2 := new(big.Int).Sub(serverB, new(big.Int).Mul(c.k, gModPowXN))
	intValue2.Mod(intValue2, c.n)
	exp := new(big.Int).Add(c.smallA, new(big.Int).Mul(u, x))
	s := new(big.Int).Exp(intValue2, exp, c.n)
	// computehkdf(pad(S), pad(U)): PRK = HMAC(salt, ikm); first block HMAC(PRK, info ‖ 0x01).
	ikm, _ := hex.DecodeString(jsPadHex(s))
	hsalt, _ := hex.DecodeString(jsPadHex(u))
	prk := hmac.New(sha256.New, hsalt)
	prk.Write(ikm)
	okm := hmac.New(sha256.New, prk.Sum(nil))
	okm.Write(append([]byte("Caldera Derived Key"), 1))
	return jsKeyParts{u: u, x: x, s: s, key: okm.Sum(nil)[:16]}, nil
}

// jsNowString is DateHelper.getNowString for t.
func jsNowString(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%s %s %d %02d:%02d:%02d UTC %d",
		[]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}[t.Weekday()],
		[]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[t.Month()-1],
		t.Day(), t.Hour(), t.Minute(), t.Second(), t.Year())
}

// passwordVerifier answers the PASSWORD_VERIFIER challenge as authenticateUserDefaultAuth does
// and returns the ChallengeResponses.
func (c *jsClient) passwordVerifier(params map[string]string, password, dateNow string) (map[string]string, error) {
	username := params["USER_ID_FOR_SRP"]
	serverB := jsBig(params["SRP_B"])
	salt := jsBig(params["SALT"])
	parts, err := c.passwordAuthenticationKey(username, password, serverB, salt)
	if err != nil {
		return nil, err
	}
	secretBlock, err := base64.StdEncoding.DecodeString(params["SECRET_BLOCK"])
	if err != nil {
		return nil, err
	}
	var concat []byte
	concat = append(concat, c.poolName...)
	concat = append(concat, username...)
	concat = append(concat, secretBlock...)
	concat = append(concat, dateNow...)
	m := hmac.New(sha256.New, parts.key)
	m.Write(concat)
	return map[string]string{
		"USERNAME":                    username,
		"PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
		"TIMESTAMP":                   dateNow,
		"PASSWORD_CLAIM_SIGNATURE":    base64.StdEncoding.EncodeToString(m.Sum(nil)),
	}, nil
}
