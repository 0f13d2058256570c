package oauth

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// The authorization endpoint (developer guide: authorization-endpoint.html; RFC 6749 §4.1.1,
// §4.2.1; RFC 7636 for PKCE).

// Bounds on the parameters: longer values are refused before anything is looked up.
const (
	maxParam       = 2048 // state, nonce, scope, …
	maxRedirectURI = 1024 // RedirectUrlType's maximum
	codeLifetime   = 5 * time.Minute
	codeUsedMark   = "OAUTH_CODE_USED"
	codeChallenge  = "OAUTH_CODE"
)

// authParams are the authorization request's parameters, carried from /oauth2/authorize to
// /login and through the login form.
var authParams = []string{"response_type", "client_id", "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method", "nonce"}

// authRequest is a checked authorization request.
type authRequest struct {
	client       *userpool.OAuthClient
	responseType string
	redirectURI  string
	state        string
	scopes       []string
	challenge    string
	method       string
	nonce        string
}

// authError is a refused authorization request: shown on a page when the redirect URI cannot
// be trusted (RFC 6749 §4.1.2.1: "MUST NOT automatically redirect"), else redirected to it.
type authError struct {
	code, description string
	redirect          *authRequest // nil: show a page
}

func (e *authError) Error() string { return e.code + ": " + e.description }

// query returns the request's authorization parameters as a query string.
func (a *authRequest) query() url.Values {
	v := url.Values{}
	v.Set("response_type", a.responseType)
	v.Set("client_id", a.client.ClientID)
	v.Set("redirect_uri", a.redirectURI)
	if a.state != "" {
		v.Set("state", a.state)
	}
	if len(a.scopes) > 0 {
		v.Set("scope", strings.Join(a.scopes, " "))
	}
	if a.challenge != "" {
		v.Set("code_challenge", a.challenge)
		v.Set("code_challenge_method", a.method)
	}
	if a.nonce != "" {
		v.Set("nonce", a.nonce)
	}
	return v
}

// pkceValue reports whether s is a PKCE code verifier or S256 challenge: 43–128 characters of
// [A-Za-z0-9-._~] (RFC 7636 §4.1, §4.2).
func pkceValue(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

// checkAuthRequest checks an authorization request's parameters (from the query or the login
// form) in the order that decides where an error goes: first the client and the redirect URI
// (errors on a page), then the rest (errors redirected with the state).
func (s *Server) checkAuthRequest(ctx context.Context, p *hostedPool, v url.Values) (*authRequest, error) {
	for _, k := range authParams {
		if len(v[k]) > 1 {
			return nil, &authError{code: "invalid_request", description: "The parameter " + k + " is repeated."}
		}
		limit := maxParam
		if k == "redirect_uri" {
			limit = maxRedirectURI
		}
		if len(v.Get(k)) > limit {
			return nil, &authError{code: "invalid_request", description: "The parameter " + k + " is too long."}
		}
	}
	clientID := v.Get("client_id")
	if clientID == "" {
		return nil, &authError{code: "invalid_request", description: "The request has no client_id."}
	}
	c, err := s.pools.OAuthClient(ctx, p.id, clientID)
	if errors.Is(err, userpool.ErrInvalidClient) {
		return nil, &authError{code: "invalid_client", description: "The app client does not exist."}
	}
	if err != nil {
		return nil, err
	}
	a := &authRequest{client: c, redirectURI: v.Get("redirect_uri"), state: v.Get("state"), nonce: v.Get("nonce")}
	if a.redirectURI == "" {
		a.redirectURI = c.DefaultRedirectURI
	}
	// Exact match, character for character: no prefix, case, port or path normalisation
	// (developer guide: authorization-endpoint.html, "must match one of the callback URLs").
	if a.redirectURI == "" || !slices.Contains(c.CallbackURLs, a.redirectURI) {
		return nil, &authError{code: "redirect_mismatch", description: "The redirect_uri is not one of the app client's callback URLs."}
	}
	fail := func(code, desc string) (*authRequest, error) {
		return nil, &authError{code: code, description: desc, redirect: a}
	}
	a.responseType = v.Get("response_type")
	switch a.responseType {
	case "code":
		if !c.AllowsFlow("code") {
			return fail("unauthorized_client", "The app client may not use the authorization code grant.")
		}
	case "token":
		if !c.AllowsFlow("implicit") {
			return fail("unauthorized_client", "The app client may not use the implicit grant.")
		}
	case "":
		return fail("invalid_request", "The request has no response_type.")
	default:
		return fail("unsupported_response_type", "response_type must be code or token.")
	}
	if !c.CognitoLogin {
		return fail("unauthorized_client", "The app client does not allow sign-in with the user pool (SupportedIdentityProviders lacks COGNITO).")
	}
	scopes, err := s.pools.GrantScopes(ctx, c, strings.Fields(v.Get("scope")), false)
	if errors.Is(err, userpool.ErrInvalidScope) {
		return fail("invalid_scope", "A requested scope is not allowed for the app client.")
	}
	if err != nil {
		return nil, err
	}
	a.scopes = scopes
	if a.responseType == "code" {
		a.challenge, a.method = v.Get("code_challenge"), v.Get("code_challenge_method")
		switch {
		case a.challenge == "" && a.method != "":
			return fail("invalid_request", "code_challenge_method without code_challenge.")
		case a.challenge == "":
		case a.method == "":
			// RFC 7636 §4.3: the default is plain.
			a.method = "plain"
			fallthrough
		default:
			if a.method != "S256" && a.method != "plain" {
				return fail("invalid_request", "code_challenge_method must be S256 or plain.")
			}
			if !pkceValue(a.challenge) {
				return fail("invalid_request", "code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, -, ., _ and ~.")
			}
		}
	}
	return a, nil
}

// handleAuthorize checks the request and sends the browser to the sign-in page with the same
// parameters, as Cognito's /oauth2/authorize does.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	p := poolOf(r.Context())
	a, err := s.checkAuthRequest(r.Context(), p, r.URL.Query())
	if err != nil {
		s.authFailure(w, r, err)
		return
	}
	if r.URL.Query().Get("prompt") != "login" {
		u, err := s.takeSession(r, p)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if u != nil {
			s.finishSignIn(w, r, p, a, u)
			return
		}
	}
	http.Redirect(w, r, "/login?"+a.query().Encode(), http.StatusFound)
}

// authFailure answers a refused authorization request: redirected to the client with error
// and state when its redirect URI is trusted, else a page.
func (s *Server) authFailure(w http.ResponseWriter, r *http.Request, err error) {
	var ae *authError
	if !errors.As(err, &ae) {
		s.internalError(w, r, err)
		return
	}
	if ae.redirect == nil {
		s.errorPage(w, r, http.StatusBadRequest, "This sign-in link does not work", ae.description+" ("+ae.code+")")
		return
	}
	v := url.Values{"error": {ae.code}, "error_description": {ae.description}}
	if ae.redirect.state != "" {
		v.Set("state", ae.redirect.state)
	}
	http.Redirect(w, r, withParams(ae.redirect.redirectURI, v, ae.redirect.responseType == "token"), http.StatusFound)
}

// withParams adds parameters to a registered redirect URI: to its query (code flow), or as
// its fragment (implicit flow, RFC 6749 §4.2.2).
func withParams(redirectURI string, v url.Values, fragment bool) string {
	if fragment {
		return redirectURI + "#" + v.Encode()
	}
	sep := "?"
	if strings.Contains(redirectURI, "?") {
		sep = "&"
	}
	return redirectURI + sep + v.Encode()
}

// codeData is what an authorization code stands for.
type codeData struct {
	RedirectURI string    `json:"redirect_uri"`
	Scopes      []string  `json:"scopes"`
	Nonce       string    `json:"nonce,omitempty"`
	Challenge   string    `json:"code_challenge,omitempty"`
	Method      string    `json:"code_challenge_method,omitempty"`
	AuthTime    time.Time `json:"auth_time"`
	// Origin is set on the mark of a used code: the origin_jti of the tokens it bought.
	Origin string `json:"origin,omitempty"`
}

// usedMarkHash is the store key of the mark a used code leaves behind.
func usedMarkHash(code string) []byte { return token.HashToken("used:" + code) }

// finishSignIn completes the authorization request for a signed-in user: a code (code flow)
// or tokens in the fragment (implicit flow), redirected to the client.
func (s *Server) finishSignIn(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, u *userpool.HostedSignIn) {
	ctx := r.Context()
	v := url.Values{}
	if a.responseType == "token" {
		toks, err := s.pools.IssueForUser(ctx, p.id, a.client.ClientID, u.UsernameKey, a.scopes, a.nonce, u.AuthTime, false)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		v.Set("access_token", toks.AccessToken)
		if toks.IDToken != "" {
			v.Set("id_token", toks.IDToken)
		}
		v.Set("token_type", "Bearer")
		v.Set("expires_in", strconv.FormatInt(toks.ExpiresIn, 10))
	} else {
		code, hash, err := token.NewOpaqueToken(s.rand)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		data, err := json.Marshal(codeData{RedirectURI: a.redirectURI, Scopes: a.scopes, Nonce: a.nonce,
			Challenge: a.challenge, Method: a.method, AuthTime: u.AuthTime})
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		now := s.now().UTC()
		err = s.codes.CreateAuthSession(ctx, store.AuthSession{Hash: hash, PoolID: p.id, ClientID: a.client.ClientID,
			UsernameKey: u.UsernameKey, Challenge: codeChallenge, Data: data, ExpiresAt: now.Add(codeLifetime), CreatedAt: now})
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		v.Set("code", code)
	}
	if a.state != "" {
		v.Set("state", a.state)
	}
	http.Redirect(w, r, withParams(a.redirectURI, v, a.responseType == "token"), http.StatusFound)
}

// verifyPKCE checks a code verifier against the challenge of the authorization request (RFC
// 7636 §4.6). A verifier sent for a code requested without a challenge is refused too: that
// is how a downgrade (the challenge stripped from the authorization request) shows (OAuth 2.0
// Security Best Current Practice, RFC 9700 §2.1.1).
func verifyPKCE(d codeData, verifier string) bool {
	if d.Challenge == "" {
		return verifier == ""
	}
	if !pkceValue(verifier) {
		return false
	}
	want := verifier
	if d.Method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(d.Challenge)) == 1
}
