package authorizer

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/token"
)

// FuzzAuthorize feeds arbitrary identity header values to a Cognito authorizer over the real
// issuer and store: it must never panic, never fail other than with a gateway response (the
// store is healthy), and never pass a header that does not carry one of the genuine tokens.
func FuzzAuthorize(f *testing.F) {
	e := newEnv(f)
	a := e.cognito(f, func(c *CognitoConfig) { c.PoolIDs = []string{poolA, poolB} })
	claims := e.idClaims(poolA, clientA)
	genuine := []string{
		e.sign(f, poolA, token.UseID, claims),
		e.sign(f, poolB, token.UseID, e.idClaims(poolB, clientB)),
	}
	seeds := []string{
		"", ".", "..", strings.Repeat(".", 8<<10), "Bearer", "Bearer ", "eyJ!!!.@@@.###",
		genuine[0], genuine[1], "Bearer " + genuine[0], "bearer " + genuine[1], genuine[0] + " ",
		// Refused: another pool's access token, an expired one, tampering, alg none.
		e.sign(f, poolB, token.UseAccess, e.accessClaims(poolB, clientB, "openid")),
		e.sign(f, poolA, token.UseID, with(claims, "exp", e.clock.Now().Add(-time.Minute).Unix())),
		genuine[0][:strings.IndexByte(genuine[0], '.')+1] + b64JSON(f, with(claims, "sub", "x")) + genuine[0][strings.LastIndexByte(genuine[0], '.'):],
		b64JSON(f, map[string]any{"alg": "none"}) + "." + b64JSON(f, claims) + ".",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		p, err := a.Authorize(context.Background(), request(header))
		if err != nil {
			var resp *gateway.Response
			if !errors.As(err, &resp) || resp.Status != 401 {
				t.Fatalf("refused with %v, want a 401 gateway response", err)
			}
			if p != nil {
				t.Fatal("a principal and an error")
			}
			return
		}
		if p == nil {
			t.Fatal("no principal and no error")
		}
		if !carriesGenuine(stripBearer(header), genuine) {
			t.Fatalf("passed a header that carries no genuine token: %q", header)
		}
	})
}

// carriesGenuine reports whether tok is one of the genuine tokens: the same signed header and
// payload, and the same signature bytes (base64's unused trailing bits may differ: that is
// the same signature).
func carriesGenuine(tok string, genuine []string) bool {
	i := strings.LastIndexByte(tok, '.')
	if i < 0 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		return false
	}
	for _, g := range genuine {
		j := strings.LastIndexByte(g, '.')
		gsig, _ := base64.RawURLEncoding.DecodeString(g[j+1:])
		if tok[:i] == g[:j] && bytes.Equal(sig, gsig) {
			return true
		}
	}
	return false
}
