package token

import (
	"errors"
	"fmt"
	"time"
)

// Verify's errors. Every error Verify returns for a bad token either is an *ExpiredError
// (errors.Is(err, ErrExpired)) or wraps ErrInvalid, and then also one of the more precise
// sentinels below, so a caller can pick AWS's message ("Invalid Access Token", "Access Token
// has expired", "Invalid login token. Issuer doesn't match providerName", …). Any other error
// (a store failure, a cancelled context) is an internal error, not a verdict on the token.
var (
	// ErrInvalid is the umbrella for a token that is not a valid token of this issuer.
	ErrInvalid = errors.New("token: invalid token")
	// ErrExpired matches *ExpiredError: the token was valid but its exp has passed.
	ErrExpired = errors.New("token: token expired")

	// ErrMalformed: not a compact RS256 JWS with a JSON object payload, too large, or a
	// required claim (iss, exp, token_use) is missing or of the wrong type.
	ErrMalformed = fmt.Errorf("%w: malformed", ErrInvalid)
	// ErrIssuer: iss is not a user pool of this issuer, or not the pool asked for.
	ErrIssuer = fmt.Errorf("%w: wrong issuer", ErrInvalid)
	// ErrUnknownKey: the kid is not a signing key of the token's pool.
	ErrUnknownKey = fmt.Errorf("%w: unknown signing key", ErrInvalid)
	// ErrSignature: the signature does not verify.
	ErrSignature = fmt.Errorf("%w: bad signature", ErrInvalid)
	// ErrTokenUse: token_use is not the one asked for, or not the use of the key that signed it.
	ErrTokenUse = fmt.Errorf("%w: wrong token_use", ErrInvalid)
	// ErrAudience: aud (ID token) or client_id (access token) is not the client asked for.
	ErrAudience = fmt.Errorf("%w: wrong audience", ErrInvalid)
	// ErrNotYetValid: nbf is in the future (Cognito's tokens carry no nbf; others may).
	ErrNotYetValid = fmt.Errorf("%w: not yet valid", ErrInvalid)
)

// ExpiredError reports a token whose signature and issuer are good but whose exp has passed.
// Cognito Identity words it "Invalid login token. Token expired: {now} >= {exp}".
type ExpiredError struct {
	Expiry time.Time // the token's exp
	Now    time.Time // the verifier's clock
}

func (e *ExpiredError) Error() string {
	return fmt.Sprintf("token: token expired: %d >= %d", e.Now.Unix(), e.Expiry.Unix())
}

// Is makes errors.Is(err, ErrExpired) true.
func (e *ExpiredError) Is(target error) bool { return target == ErrExpired }
