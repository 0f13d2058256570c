package oauth

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// The hosted page's sign-in session: after a sign-in the domain keeps a cookie, and an
// authorization request from any app client of the pool within the hour is answered without
// the form, as Cognito's managed login does (developer guide: authorization-endpoint.html,
// "If the user has an active session …"; logout-endpoint.html ends it). prompt=login asks for
// the form regardless. The session is stored as the hash of the cookie's value.

const (
	sessionCookie    = "cognito"
	sessionChallenge = "HOSTED_SESSION"
	sessionLifetime  = time.Hour
)

type sessionData struct {
	Username string    `json:"username"`
	AuthTime time.Time `json:"auth_time"`
}

// startSession sets the session cookie after a sign-in.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, p *hostedPool, clientID string, u *userpool.HostedSignIn) error {
	raw, hash, err := token.NewOpaqueToken(s.rand)
	if err != nil {
		return err
	}
	data, err := json.Marshal(sessionData{Username: u.Username, AuthTime: u.AuthTime})
	if err != nil {
		return err
	}
	now := s.now().UTC()
	if err := s.codes.CreateAuthSession(r.Context(), store.AuthSession{Hash: hash, PoolID: p.id, ClientID: clientID,
		UsernameKey: u.UsernameKey, Challenge: sessionChallenge, Data: data, ExpiresAt: now.Add(sessionLifetime), CreatedAt: now}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: raw, Path: "/", MaxAge: int(sessionLifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return nil
}

// takeSession returns the signed-in user of the request's session, nil when there is none.
// Reading a session takes it from the store; a live one is put back under the same hash, so
// it stays valid until it expires or the user signs out.
func (s *Server) takeSession(r *http.Request, p *hostedPool) (*userpool.HostedSignIn, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) > 256 {
		return nil, nil
	}
	sess, err := s.codes.ConsumeAuthSession(r.Context(), token.HashToken(c.Value))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var d sessionData
	if sess.Challenge != sessionChallenge || sess.PoolID != p.id || !s.now().Before(sess.ExpiresAt) || json.Unmarshal(sess.Data, &d) != nil {
		return nil, nil
	}
	if err := s.codes.CreateAuthSession(r.Context(), sess); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return nil, err
	}
	return &userpool.HostedSignIn{UsernameKey: sess.UsernameKey, Username: d.Username, AuthTime: d.AuthTime}, nil
}

// endSession forgets the request's session and clears its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && len(c.Value) <= 256 {
		if _, err := s.codes.ConsumeAuthSession(r.Context(), token.HashToken(c.Value)); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.WarnContext(r.Context(), "oauth: could not end a hosted session", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
