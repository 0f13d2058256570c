package token

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// MaxTokenSize bounds the tokens Verify parses. Cognito's tokens are a few KiB even with many
// groups and attributes.
const MaxTokenSize = 16 << 10

// Leeway is the clock skew Verify allows on exp and nbf: none. A token is expired from the
// second its exp names (RFC 7519 §4.1.4: the current time must be before exp).
const Leeway = 0

// VerifyOptions says what a caller expects of a token. Empty fields are not checked.
type VerifyOptions struct {
	// PoolID: the token must be of this pool. Empty: any pool of this issuer.
	PoolID string
	// Use: "id" or "access", compared with token_use.
	Use string
	// ClientID: compared with aud for ID tokens and client_id for access tokens.
	ClientID string
	// AllowPool, when set, is asked about the pool iss names before any key is used: a
	// token of a pool it refuses is ErrIssuer. For callers that accept several pools (the
	// gateway's Cognito authorizer): the token is parsed once, here.
	AllowPool func(poolID string) bool
	// AlsoIssuer, with PoolID, is an iss accepted besides IssuerFor(PoolID), e.g. AWS's own
	// https://cognito-idp.{region}.amazonaws.com/{PoolID}: the token must still be signed by a
	// key of PoolID. Cognito Identity accepts a user pool's tokens under either issuer.
	AlsoIssuer string
}

// Verify checks raw as AWS says a Cognito token is checked
// (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html)
// and returns its claims:
//
//   - at most MaxTokenSize bytes, a compact JWS whose alg is RS256 (none, HS256 and every other
//     algorithm are refused before any key is used);
//   - iss names a user pool of this issuer (and want.PoolID when given);
//   - kid names a key of that pool, and the signature verifies with it;
//   - token_use is the use of that key ("id" or "access"), and want.Use when given;
//   - exp has not passed (no leeway), nbf if present has;
//   - aud (ID token) or client_id (access token) is want.ClientID when given.
//
// Errors: see ErrInvalid and ExpiredError. Claims are decoded with UseNumber.
func (i *Issuer) Verify(ctx context.Context, raw string, want VerifyOptions) (Claims, error) {
	if len(raw) > MaxTokenSize {
		return nil, fmt.Errorf("%w: token is %d bytes, more than %d", ErrMalformed, len(raw), MaxTokenSize)
	}
	if strings.Count(raw, ".") != 2 {
		return nil, fmt.Errorf("%w: not a compact JWS", ErrMalformed)
	}
	jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: want one signature", ErrMalformed)
	}
	kid := jws.Signatures[0].Header.KeyID
	if kid == "" {
		return nil, fmt.Errorf("%w: no kid", ErrMalformed)
	}
	// The payload is read before the signature is checked only to learn which pool's keys to
	// check it with; nothing from it is trusted until the signature verifies.
	claims, err := decodeClaims(jws.UnsafePayloadWithoutVerification())
	if err != nil {
		return nil, err
	}
	poolID, ok := i.PoolIDFromIssuer(claims.String("iss"))
	if !ok && want.PoolID != "" && want.AlsoIssuer != "" && claims.String("iss") == want.AlsoIssuer {
		poolID, ok = want.PoolID, true
	}
	if !ok {
		return nil, fmt.Errorf("%w: iss is not a user pool of %s", ErrIssuer, i.issuer)
	}
	if want.PoolID != "" && poolID != want.PoolID {
		return nil, fmt.Errorf("%w: token of pool %s, want %s", ErrIssuer, poolID, want.PoolID)
	}
	if want.AllowPool != nil && !want.AllowPool(poolID) {
		return nil, fmt.Errorf("%w: token of pool %s, which the caller does not accept", ErrIssuer, poolID)
	}
	k, err := i.verifyKey(ctx, poolID, kid)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, fmt.Errorf("%w: kid is not a key of pool %s", ErrUnknownKey, poolID)
	}
	if _, err := jws.Verify(k.pub); err != nil {
		return nil, ErrSignature
	}
	if err := i.checkClaims(claims, k.use, want); err != nil {
		return nil, err
	}
	return claims, nil
}

func decodeClaims(payload []byte) (Claims, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var c Claims
	if err := dec.Decode(&c); err != nil || c == nil {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrMalformed)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the payload object", ErrMalformed)
	}
	return c, nil
}

// checkClaims checks a signed token's claims; keyUse is the use of the key that signed it.
func (i *Issuer) checkClaims(c Claims, keyUse string, want VerifyOptions) error {
	use := c.String("token_use")
	if use != keyUse {
		return fmt.Errorf("%w: token_use %q signed by a key for %q tokens", ErrTokenUse, use, keyUse)
	}
	exp, ok := c.Time("exp")
	if !ok {
		return fmt.Errorf("%w: no numeric exp", ErrMalformed)
	}
	now := i.now()
	if !now.Before(exp.Add(Leeway)) {
		return &ExpiredError{Expiry: exp, Now: now}
	}
	if _, present := c["nbf"]; present {
		nbf, ok := c.Time("nbf")
		if !ok {
			return fmt.Errorf("%w: nbf is not a number", ErrMalformed)
		}
		if now.Add(Leeway).Before(nbf) {
			return fmt.Errorf("%w: nbf %d is after now %d", ErrNotYetValid, nbf.Unix(), now.Unix())
		}
	}
	if want.Use != "" && use != want.Use {
		return fmt.Errorf("%w: got an %s token, want an %s token", ErrTokenUse, use, want.Use)
	}
	if want.ClientID != "" {
		switch use {
		case UseID: // ID tokens name their client in aud.
			if !contains(c.Strings("aud"), want.ClientID) {
				return fmt.Errorf("%w: aud is not the client", ErrAudience)
			}
		case UseAccess: // Access tokens have no aud, but client_id.
			if c.String("client_id") != want.ClientID {
				return fmt.Errorf("%w: client_id is not the client", ErrAudience)
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
