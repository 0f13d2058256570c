package token

import (
	"context"
	"encoding/json"
	"net/http"
)

// Handler serves the pools' public documents:
//
//	GET /{poolId}/.well-known/jwks.json            the pool's JWKS
//	GET /{poolId}/.well-known/openid-configuration the OpenID Connect discovery document
//
// poolExists says whether a pool exists. A pool that does not exist (or an id that cannot be
// one) is answered 404 {"message":"User pool {id} does not exist."}, worded like Cognito's
// ResourceNotFoundException; a failing poolExists or store is 500
// {"message":"Internal server error"}, with the error logged.
func (i *Issuer) Handler(poolExists func(ctx context.Context, poolID string) (bool, error)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{poolId}/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		poolID, ok := i.checkPool(w, r, poolExists)
		if !ok {
			return
		}
		b, err := i.JWKS(r.Context(), poolID)
		if err != nil {
			i.internalError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, b)
	})
	mux.HandleFunc("GET /{poolId}/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		poolID, ok := i.checkPool(w, r, poolExists)
		if !ok {
			return
		}
		writeJSON(w, http.StatusOK, i.discovery(poolID))
	})
	return mux
}

func (i *Issuer) checkPool(w http.ResponseWriter, r *http.Request, poolExists func(context.Context, string) (bool, error)) (string, bool) {
	poolID := r.PathValue("poolId")
	exists := false
	if ValidPoolID(poolID) {
		var err error
		if exists, err = poolExists(r.Context(), poolID); err != nil {
			i.internalError(w, r, err)
			return "", false
		}
	}
	if !exists {
		writeJSON(w, http.StatusNotFound, messageBody("User pool "+poolID+" does not exist."))
		return "", false
	}
	return poolID, true
}

func (i *Issuer) internalError(w http.ResponseWriter, r *http.Request, err error) {
	i.log.ErrorContext(r.Context(), "token: serving "+r.URL.Path, "err", err)
	writeJSON(w, http.StatusInternalServerError, messageBody("Internal server error"))
}

func messageBody(msg string) []byte {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{msg})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// discovery renders the pool's OpenID Connect discovery document. Cognito's also names its
// OAuth 2.0 endpoints (/oauth2/authorize, /oauth2/token, /oauth2/userInfo, /oauth2/revoke,
// /logout: developer guide, cognito-userpools-server-contract-reference); Gatehouse does not
// serve those yet, so the document lists only what exists (an endpoint that answers 404 makes
// generic OIDC clients fail late, after discovery succeeded): the issuer, the JWKS and what
// verifying an ID token needs. response_types_supported, which OpenID Connect Discovery 1.0
// §3 requires, is left out with them: it describes flows of the authorization endpoint.
func (i *Issuer) discovery(poolID string) []byte {
	iss := i.IssuerFor(poolID)
	doc := struct {
		IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
		Issuer                           string   `json:"issuer"`
		JWKSURI                          string   `json:"jwks_uri"`
		SubjectTypesSupported            []string `json:"subject_types_supported"`
	}{
		IDTokenSigningAlgValuesSupported: []string{alg},
		Issuer:                           iss,
		JWKSURI:                          iss + "/.well-known/jwks.json",
		SubjectTypesSupported:            []string{"public"},
	}
	b, _ := json.Marshal(doc) // strings only: cannot fail
	return b
}
