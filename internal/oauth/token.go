package oauth

import (
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// The token, userInfo and revocation endpoints (developer guide: token-endpoint.html,
// userinfo-endpoint.html, revocation-endpoint.html; RFC 6749 §3.2, §4.1.3, §4.4, §5, §6;
// RFC 7009).

// maxFormBody bounds a form POST.
const maxFormBody = 64 << 10

// tokenError is an RFC 6749 §5.2 error.
type tokenError struct {
	status      int
	code        string
	description string
	basic       bool // the client authenticated with HTTP Basic: answer WWW-Authenticate
}

func (e *tokenError) Error() string { return e.code }

func errInvalidRequest(desc string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: "invalid_request", description: desc}
}

func errInvalidGrant(desc string) *tokenError {
	return &tokenError{status: http.StatusBadRequest, code: "invalid_grant", description: desc}
}

func writeTokenJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json;charset=UTF-8")
	// RFC 6749 §5.1: tokens are never cached.
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) writeTokenError(w http.ResponseWriter, r *http.Request, err error) {
	var te *tokenError
	if !errors.As(err, &te) {
		s.log.ErrorContext(r.Context(), "oauth: serving "+r.URL.Path, "err", err)
		writeTokenJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	if te.basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth2"`)
	}
	body := map[string]string{"error": te.code}
	if te.description != "" {
		body["error_description"] = te.description
	}
	writeTokenJSON(w, te.status, body)
}

// readForm parses a bounded application/x-www-form-urlencoded body. A parameter sent twice is
// refused (RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
// once").
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" {
		return nil, errInvalidRequest("The body must be application/x-www-form-urlencoded.")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return nil, errInvalidRequest("The body could not be read.")
	}
	for k, vs := range r.PostForm {
		if len(vs) > 1 {
			return nil, errInvalidRequest("The parameter " + k + " is repeated.")
		}
		if len(vs[0]) > 16384 {
			return nil, errInvalidRequest("The parameter " + k + " is too long.")
		}
	}
	return r.PostForm, nil
}

// authenticateClient authenticates the client at the token and revocation endpoints: HTTP
// Basic (client_id and secret form-url-encoded, RFC 6749 §2.3.1) or client_id and
// client_secret in the body, never both; a client without a secret names itself with
// client_id. Failure is invalid_client, 401.
func (s *Server) authenticateClient(r *http.Request, p *hostedPool, form url.Values) (*userpool.OAuthClient, error) {
	id, secret, basic := r.BasicAuth()
	if basic {
		if form.Get("client_secret") != "" {
			return nil, errInvalidRequest("Use one client authentication method.")
		}
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return nil, &tokenError{status: http.StatusUnauthorized, code: "invalid_client", basic: true}
		}
		if cid := form.Get("client_id"); cid != "" && cid != id {
			return nil, errInvalidRequest("client_id does not match the authenticated client.")
		}
	} else if auth := r.Header.Get("Authorization"); auth != "" {
		return nil, &tokenError{status: http.StatusUnauthorized, code: "invalid_client", description: "Unsupported Authorization scheme.", basic: true}
	} else {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	if id == "" {
		return nil, &tokenError{status: http.StatusUnauthorized, code: "invalid_client", basic: basic}
	}
	c, err := s.pools.AuthenticateClient(r.Context(), p.id, id, secret)
	if errors.Is(err, userpool.ErrInvalidClient) {
		return nil, &tokenError{status: http.StatusUnauthorized, code: "invalid_client", basic: basic}
	}
	return c, err
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	toks, err := s.token(w, r)
	if err != nil {
		s.writeTokenError(w, r, err)
		return
	}
	writeTokenJSON(w, http.StatusOK, tokenResponse{AccessToken: toks.AccessToken, IDToken: toks.IDToken,
		RefreshToken: toks.RefreshToken, TokenType: "Bearer", ExpiresIn: toks.ExpiresIn})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) (*userpool.OAuthTokens, error) {
	p := poolOf(r.Context())
	form, err := readForm(w, r)
	if err != nil {
		return nil, err
	}
	grant := form.Get("grant_type")
	if grant == "" {
		return nil, errInvalidRequest("grant_type is required.")
	}
	c, err := s.authenticateClient(r, p, form)
	if err != nil {
		return nil, err
	}
	switch grant {
	case "authorization_code":
		return s.codeGrant(r, p, c, form)
	case "client_credentials":
		if !c.HasSecret || !c.AllowsFlow("client_credentials") {
			return nil, &tokenError{status: http.StatusBadRequest, code: "unauthorized_client"}
		}
		scopes, err := s.pools.GrantScopes(r.Context(), c, strings.Fields(form.Get("scope")), true)
		if errors.Is(err, userpool.ErrInvalidScope) {
			return nil, &tokenError{status: http.StatusBadRequest, code: "invalid_scope"}
		}
		if err != nil {
			return nil, err
		}
		return s.pools.IssueClientCredentials(r.Context(), c, scopes)
	case "refresh_token":
		if len(c.Flows) == 0 {
			return nil, &tokenError{status: http.StatusBadRequest, code: "unauthorized_client"}
		}
		toks, err := s.pools.RefreshOAuth(r.Context(), c, form.Get("refresh_token"))
		if errors.Is(err, userpool.ErrInvalidGrant) {
			return nil, errInvalidGrant("")
		}
		return toks, err
	}
	return nil, &tokenError{status: http.StatusBadRequest, code: "unsupported_grant_type"}
}

// codeGrant redeems an authorization code (RFC 6749 §4.1.3). The code is taken from the
// store before anything is checked, so it is single-use whatever follows; its use leaves a
// mark, and a second use finds the mark and revokes the tokens of the first (§4.1.2: "the
// authorization server MUST deny the request and SHOULD revoke (when possible) all tokens
// previously issued based on that authorization code").
func (s *Server) codeGrant(r *http.Request, p *hostedPool, c *userpool.OAuthClient, form url.Values) (*userpool.OAuthTokens, error) {
	ctx := r.Context()
	code := form.Get("code")
	if code == "" {
		return nil, errInvalidRequest("code is required.")
	}
	if len(code) > 512 {
		return nil, errInvalidGrant("")
	}
	sess, err := s.codes.ConsumeAuthSession(ctx, token.HashToken(code))
	if errors.Is(err, store.ErrNotFound) {
		if mark, err := s.codes.ConsumeAuthSession(ctx, usedMarkHash(code)); err == nil && mark.Challenge == codeUsedMark {
			var d codeData
			if json.Unmarshal(mark.Data, &d) == nil && d.Origin != "" {
				if err := s.pools.RevokeOrigin(ctx, d.Origin); err != nil {
					return nil, err
				}
				s.log.WarnContext(ctx, "oauth: authorization code replayed; the tokens of its first use are revoked", "pool", mark.PoolID, "client", mark.ClientID)
			}
		}
		return nil, errInvalidGrant("")
	}
	if err != nil {
		return nil, err
	}
	var d codeData
	if sess.Challenge != codeChallenge || sess.PoolID != p.id || json.Unmarshal(sess.Data, &d) != nil {
		return nil, errInvalidGrant("")
	}
	if sess.ClientID != c.ClientID || !s.now().Before(sess.ExpiresAt) {
		return nil, errInvalidGrant("")
	}
	// §4.1.3: redirect_uri must be identical to the authorization request's.
	if form.Get("redirect_uri") != d.RedirectURI {
		return nil, errInvalidGrant("")
	}
	if !verifyPKCE(d, form.Get("code_verifier")) {
		return nil, errInvalidGrant("")
	}
	toks, err := s.pools.IssueForUser(ctx, p.id, c.ClientID, sess.UsernameKey, d.Scopes, d.Nonce, d.AuthTime, true)
	if errors.Is(err, userpool.ErrInvalidGrant) {
		return nil, errInvalidGrant("")
	}
	if err != nil {
		return nil, err
	}
	mark, _ := json.Marshal(codeData{Origin: toks.OriginJTI})
	now := s.now().UTC()
	if err := s.codes.CreateAuthSession(ctx, store.AuthSession{Hash: usedMarkHash(code), PoolID: p.id, ClientID: c.ClientID,
		UsernameKey: sess.UsernameKey, Challenge: codeUsedMark, Data: mark, ExpiresAt: now.Add(2 * codeLifetime), CreatedAt: now}); err != nil {
		// Without the mark a replay could not revoke these tokens: fail closed.
		_ = s.pools.RevokeOrigin(ctx, toks.OriginJTI)
		return nil, err
	}
	return toks, nil
}

// bearer returns the access token of an Authorization: Bearer header.
func bearer(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	if len(auth) > 7 && strings.EqualFold(auth[:7], "bearer ") {
		return strings.TrimSpace(auth[7:])
	}
	return ""
}

// handleUserInfo answers the OpenID Connect userInfo endpoint; a missing or bad token is 401
// with WWW-Authenticate (RFC 6750 §3).
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	p := poolOf(r.Context())
	at := bearer(r)
	if at == "" {
		w.Header().Set("WWW-Authenticate", `Bearer`)
		writeTokenJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_request", "error_description": "Access token is missing"})
		return
	}
	info, err := s.pools.UserInfo(r.Context(), p.id, at)
	if errors.Is(err, userpool.ErrInvalidToken) {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeTokenJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token", "error_description": "Access token is invalid, expired or revoked"})
		return
	}
	if err != nil {
		s.writeTokenError(w, r, err)
		return
	}
	writeTokenJSON(w, http.StatusOK, info)
}

// handleRevoke revokes a refresh token (RFC 7009 §2.1); an unknown token is still 200.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	p := poolOf(r.Context())
	form, err := readForm(w, r)
	if err != nil {
		s.writeTokenError(w, r, err)
		return
	}
	c, err := s.authenticateClient(r, p, form)
	if err != nil {
		s.writeTokenError(w, r, err)
		return
	}
	tok := form.Get("token")
	if tok == "" {
		s.writeTokenError(w, r, errInvalidRequest("token is required."))
		return
	}
	if strings.Count(tok, ".") == 2 {
		// Cognito revokes refresh tokens; an access or ID token is not revocable here.
		s.writeTokenError(w, r, &tokenError{status: http.StatusBadRequest, code: "unsupported_token_type"})
		return
	}
	if err := s.pools.RevokeOAuth(r.Context(), c, tok); err != nil {
		s.writeTokenError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}
