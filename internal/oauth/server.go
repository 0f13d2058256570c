package oauth

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// Pools is what the endpoints ask of user pools (*userpool.Service implements it).
type Pools interface {
	PoolForHost(ctx context.Context, host string) (poolID, domain string, err error)
	PoolDomain(ctx context.Context, poolID string) (string, error)
	Pool(ctx context.Context, poolID string) (userpool.PoolInfo, error)
	OAuthClient(ctx context.Context, poolID, clientID string) (*userpool.OAuthClient, error)
	AuthenticateClient(ctx context.Context, poolID, clientID, secret string) (*userpool.OAuthClient, error)
	SignInHosted(ctx context.Context, poolID, clientID, username, password string) (*userpool.HostedSignIn, error)
	NewPasswordHosted(ctx context.Context, poolID, clientID, username, session, newPassword string) (*userpool.HostedSignIn, error)
	GrantScopes(ctx context.Context, c *userpool.OAuthClient, requested []string, forClientCredentials bool) ([]string, error)
	IssueForUser(ctx context.Context, poolID, clientID, usernameKey string, scopes []string, nonce string, authTime time.Time, withRefresh bool) (*userpool.OAuthTokens, error)
	IssueClientCredentials(ctx context.Context, c *userpool.OAuthClient, scopes []string) (*userpool.OAuthTokens, error)
	RefreshOAuth(ctx context.Context, c *userpool.OAuthClient, refreshToken string) (*userpool.OAuthTokens, error)
	RevokeOrigin(ctx context.Context, originJTI string) error
	RevokeOAuth(ctx context.Context, c *userpool.OAuthClient, token string) error
	UserInfo(ctx context.Context, poolID, accessToken string) (map[string]any, error)
	SignUpHosted(ctx context.Context, poolID, clientID, username, password, email string) (dest string, confirmed bool, err error)
	ConfirmSignUpHosted(ctx context.Context, poolID, clientID, username, code string) error
	ForgotPasswordHosted(ctx context.Context, poolID, clientID, username string) (string, error)
	ConfirmForgotPasswordHosted(ctx context.Context, poolID, clientID, username, code, password string) error
}

var _ Pools = (*userpool.Service)(nil)

// Config wires a Server.
type Config struct {
	Pools Pools
	// Codes keeps authorization codes (and the marks of used ones) as auth sessions.
	Codes store.AuthSessions
	// IssuerFor is the iss of a pool's tokens (token.Issuer.IssuerFor).
	IssuerFor func(poolID string) string
	Now       func() time.Time
	Rand      io.Reader
	Log       *slog.Logger
}

// Server serves the endpoints.
type Server struct {
	pools     Pools
	codes     store.AuthSessions
	issuerFor func(string) string
	now       func() time.Time
	rand      io.Reader
	log       *slog.Logger
	pages     *template.Template
	mux       *http.ServeMux
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// New returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Pools == nil || cfg.Codes == nil || cfg.IssuerFor == nil {
		return nil, errors.New("oauth: Pools, Codes and IssuerFor are required")
	}
	s := &Server{pools: cfg.Pools, codes: cfg.Codes, issuerFor: cfg.IssuerFor, now: cfg.Now, rand: cfg.Rand, log: cfg.Log}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	t, err := template.ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	s.pages = t
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2/authorize", s.handleAuthorize)
	mux.HandleFunc("POST /oauth2/token", s.handleToken)
	mux.HandleFunc("GET /oauth2/userInfo", s.handleUserInfo)
	mux.HandleFunc("POST /oauth2/userInfo", s.handleUserInfo)
	mux.HandleFunc("POST /oauth2/revoke", s.handleRevoke)
	mux.HandleFunc("OPTIONS /oauth2/{endpoint}", preflight)
	mux.HandleFunc("GET /login", s.handleLoginPage)
	mux.HandleFunc("POST /login", s.handleLoginPost)
	mux.HandleFunc("GET /logout", s.handleLogout)
	s.registerAccountPages(mux)
	mux.HandleFunc("GET /static/", s.handleStatic)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "Page not found", "This page does not exist on the sign-in domain.")
	})
	s.mux = mux
	return s, nil
}

// hostedPaths are the paths Wrap sends to the OAuth endpoints; everything else on the AWS
// endpoint (POST /, the JWKS, /metrics, …) is not theirs, so a domain name can never shadow
// an AWS API call.
func hostedPath(p string) bool {
	switch p {
	case "/login", "/logout", "/error", "/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword":
		return true
	}
	return strings.HasPrefix(p, "/oauth2/") || strings.HasPrefix(p, "/static/")
}

// apiPath reports the endpoints that machines call, which render no page.
func apiPath(p string) bool {
	return p == "/oauth2/token" || p == "/oauth2/userInfo" || p == "/oauth2/revoke"
}

type poolKey struct{}

type hostedPool struct {
	id, domain string
	info       userpool.PoolInfo
}

func poolOf(ctx context.Context) *hostedPool {
	p, _ := ctx.Value(poolKey{}).(*hostedPool)
	return p
}

// Wrap serves the hosted paths of requests whose Host names a pool's domain and hands every
// other request to next. A hosted path on a host that names no domain gets a 404 page.
func (s *Server) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hostedPath(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		securityHeaders(w)
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		poolID, domain, err := s.pools.PoolForHost(r.Context(), host)
		if errors.Is(err, userpool.ErrNoDomain) {
			s.errorPage(w, r, http.StatusNotFound, "No sign-in page here",
				"No user pool has the domain "+host+". Create one with aws cognito-idp create-user-pool-domain, then open http://{domain}.localhost:PORT/login.")
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if apiPath(r.URL.Path) && r.Header.Get("Origin") != "" {
			// Single-page apps exchange codes and read userInfo from the browser: the
			// machine endpoints answer any origin. They read no cookie, so a foreign page
			// gains nothing it could not do with its own credentials.
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		hp := &hostedPool{id: poolID, domain: domain, info: userpool.PoolInfo{ID: poolID}}
		if !apiPath(r.URL.Path) {
			// The pages show the pool's name and need its sign-up setting; the token,
			// userInfo and revocation endpoints need neither.
			if hp.info, err = s.pools.Pool(r.Context(), poolID); err != nil {
				s.internalError(w, r, err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), poolKey{}, hp)
		s.mux.ServeHTTP(w, r.WithContext(ctx))
	})
}

// securityHeaders: the pages need no script and load only their own stylesheet; nobody
// frames them; nothing is cached (they carry CSRF tokens and sessions).
func securityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	b, err := staticFS.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(name, ".css") {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write(b)
}

func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "oauth: serving "+r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "The sign-in service could not complete the request. Try again in a moment.")
}

// preflight answers CORS preflight requests to the machine endpoints.
func preflight(w http.ResponseWriter, r *http.Request) {
	if !apiPath(r.URL.Path) {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}
