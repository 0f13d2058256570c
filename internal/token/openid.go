package token

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Identity-pool OpenID tokens (Cognito Identity API reference, GetOpenIdToken:
// https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetOpenIdToken.html).
// Cognito Identity signs them with keys of its own, published at
// https://cognito-identity.amazonaws.com/.well-known/jwks_uri; Gatehouse keeps one RS256 key
// for them in the same key store, under the key-store id openIDKeys, rotated with
// RotateOpenID like a pool's keys.

// OpenIDIssuer is the iss of identity-pool OpenID tokens, as AWS's.
const OpenIDIssuer = "https://cognito-identity.amazonaws.com"

// openIDKeys is the key-store id of the OpenID token keys. It is not a valid user pool id
// (no underscore), so Verify never picks these keys for a user-pool token and Handler never
// serves them as a pool's JWKS.
const openIDKeys = "cognito-identity"

// SignOpenID signs an identity-pool OpenID token. claims must hold iss == OpenIDIssuer; the
// caller (package identitypool) decides every claim (sub, aud, amr, exp, iat).
func (i *Issuer) SignOpenID(ctx context.Context, claims map[string]any) (string, error) {
	if got, _ := claims["iss"].(string); got != OpenIDIssuer {
		return "", fmt.Errorf("token: sign OpenID token: claim iss is %q, want %q", got, OpenIDIssuer)
	}
	if _, ok := claims["token_use"]; ok {
		return "", fmt.Errorf("token: sign OpenID token: identity-pool tokens carry no token_use")
	}
	st, err := i.cached(ctx, openIDKeys)
	if err != nil {
		return "", err
	}
	if st.lookupActive(UseID) == nil {
		if err := i.ensureKeys(ctx, openIDKeys, UseID); err != nil {
			return "", err
		}
	}
	k, err := i.activeKey(ctx, openIDKeys, UseID)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("token: sign OpenID token: encoding claims: %w", err)
	}
	jws, err := k.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("token: sign OpenID token: %w", err)
	}
	return jws.CompactSerialize()
}

// RotateOpenID creates a new OpenID signing key and retires the old one, which stays in the
// JWKS.
func (i *Issuer) RotateOpenID(ctx context.Context) error {
	i.genMu.Lock()
	defer i.genMu.Unlock()
	rows, err := i.keys.ListSigningKeys(ctx, openIDKeys)
	if err != nil {
		return fmt.Errorf("token: listing OpenID signing keys: %w", err)
	}
	if err := i.createKey(ctx, openIDKeys, UseID); err != nil {
		return err
	}
	now := i.now()
	for _, r := range rows {
		if r.RetiredAt.IsZero() {
			if err := i.keys.RetireSigningKey(ctx, openIDKeys, r.KID, now); err != nil {
				return fmt.Errorf("token: retiring OpenID signing key %s: %w", r.KID, err)
			}
		}
	}
	_, err = i.reload(ctx, openIDKeys)
	return err
}

// OpenIDJWKS returns the JWKS of the OpenID token keys ({"keys":[]} before the first token).
func (i *Issuer) OpenIDJWKS(ctx context.Context) ([]byte, error) { return i.JWKS(ctx, openIDKeys) }

// OpenIDHandler serves GET /.well-known/jwks_uri, the OpenID token keys, at the path AWS
// serves them under https://cognito-identity.amazonaws.com.
func (i *Issuer) OpenIDHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/jwks_uri", func(w http.ResponseWriter, r *http.Request) {
		b, err := i.OpenIDJWKS(r.Context())
		if err != nil {
			i.internalError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, b)
	})
	return mux
}
