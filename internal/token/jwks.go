package token

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math/big"
)

// jwk is one key of a JWKS with exactly the members Cognito serves, in the order Cognito
// serves them (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html).
type jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// renderJWKS renders {"keys":[…]} for keys, active and retired alike.
func renderJWKS(keys []*key) []byte {
	doc := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(keys))}
	for _, k := range keys {
		doc.Keys = append(doc.Keys, jwk{
			Alg: alg,
			E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.pub.E)).Bytes()),
			Kid: k.kid,
			Kty: "RSA",
			N:   base64.RawURLEncoding.EncodeToString(k.pub.N.Bytes()),
			Use: "sig",
		})
	}
	b, err := json.Marshal(doc)
	if err != nil { // strings only: cannot happen
		panic("token: rendering JWKS: " + err.Error())
	}
	return b
}

// JWKS returns the pool's JSON Web Key Set, {"keys":[{"alg":"RS256","e":"AQAB","kid":…,
// "kty":"RSA","n":…,"use":"sig"},…]}: the ID and access keys and any retired keys, oldest
// first. A pool without keys has {"keys":[]}; JWKS never creates keys.
func (i *Issuer) JWKS(ctx context.Context, poolID string) ([]byte, error) {
	st, err := i.cached(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return []byte(`{"keys":[]}`), nil
	}
	return bytes.Clone(st.jwks), nil
}
