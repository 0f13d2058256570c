package srp

import (
	"crypto/sha256"
	"encoding/hex"
	"math/big"
)

// nHex is the 3072-bit prime of RFC 5054 appendix A, the N of amazon-cognito-identity-js.
const nHex = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
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

// The group is computed once and never modified: every use treats these as read-only inputs.
var (
	groupN = mustHexInt(nHex)
	groupG = big.NewInt(2)
	// groupK is SHA256(pad(N) ‖ pad(g)), the SRP-6a multiplier.
	groupK = hashInts(groupN, groupG)
)

// nBytes is the byte length of N; pad of a value below N is at most nBytes+1 bytes.
const nBytes = 384

// maxHexLen bounds a hex-encoded group element from a client: 768 digits for N, plus a few
// leading zeros. Anything longer is refused before it is parsed.
const maxHexLen = 800

func mustHexInt(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad constant " + s)
	}
	return n
}

// pad is the client's padHex as bytes: minimal big-endian two's complement of a non-negative
// integer, so a leading 0x00 when the top bit is set, and 0x00 for zero.
func pad(x *big.Int) []byte {
	b := x.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// padHex is pad as the lowercase hex the client would print.
func padHex(x *big.Int) string { return hex.EncodeToString(pad(x)) }

// hashInts is SHA256(pad(x1) ‖ pad(x2) ‖ …) as a non-negative integer.
func hashInts(xs ...*big.Int) *big.Int {
	h := sha256.New()
	for _, x := range xs {
		h.Write(pad(x))
	}
	return new(big.Int).SetBytes(h.Sum(nil))
}

// parseHexInt parses a client's hex number: digits only (either case, no sign, no prefix,
// odd length and leading zeros allowed), at most maxHexLen of them.
func parseHexInt(s string) (*big.Int, bool) {
	if len(s) == 0 || len(s) > maxHexLen {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return nil, false
		}
	}
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, false
	}
	return new(big.Int).SetBytes(b), true
}

// inGroup reports whether 0 < x < N: a usable group element (A, B or v).
func inGroup(x *big.Int) bool {
	return x != nil && x.Sign() > 0 && x.Cmp(groupN) < 0
}

// passwordX is x = SHA256(pad(salt) ‖ SHA256(poolName ‖ userID ‖ ":" ‖ password)), the salt
// taken as the integer the client parses from the SALT hex.
func passwordX(salt []byte, poolName, userID, password string) *big.Int {
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	h := sha256.New()
	h.Write(pad(new(big.Int).SetBytes(salt)))
	h.Write(inner[:])
	return new(big.Int).SetBytes(h.Sum(nil))
}
