package oauth

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// The hosted pages: /login with the new-password step, /logout, and the error pages. They are
// server-rendered (html/template), need no script, and post forms protected by a CSRF token:
// a random value in a cookie that the form must echo (the double-submit pattern Cognito's own
// pages use with their XSRF-TOKEN cookie and _csrf field).

const csrfCookie = "XSRF-TOKEN"

// page is what every template gets.
type page struct {
	Title    string
	PoolName string
	Client   string
	Error    string
	Message  string
	CSRF     string
	Params   url.Values // the authorization request, carried as hidden fields
	Username string
	Session  string
	// UsernameLabel names the sign-in field as the pool's users know it.
	UsernameLabel string
	Autocomplete  string
	// The generic form (form.html): where it posts, its fields, its button, its links.
	Action string
	Hidden []field
	Fields []field
	Submit string
	Links  []link
}

type field struct {
	Name, Label, Type, Autocomplete, Value, Inputmode string
}

type link struct{ Href, Text string }

func (s *Server) render(w http.ResponseWriter, status int, name string, data page) {
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("oauth: render "+name, "err", err)
		http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	data := page{Title: title, Message: msg}
	if p := poolOf(r.Context()); p != nil {
		data.PoolName = p.info.Name
	}
	s.render(w, status, "error.html", data)
}

// csrfToken returns the request's CSRF token, setting a new cookie when it has none.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		return c.Value, nil
	}
	b := make([]byte, 32)
	if _, err := s.rand.Read(b); err != nil {
		return "", err
	}
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return v, nil
}

// checkCSRF compares the form's token with the cookie's in constant time.
func checkCSRF(r *http.Request, form url.Values) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) != 43 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(form.Get("_csrf"))) == 1
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, status int, errMsg string) {
	s.loginPageWith(w, r, p, a, status, errMsg, "")
}

func (s *Server) loginPageWith(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, status int, errMsg, notice string) {
	s.loginPageFor(w, r, p, a, status, errMsg, notice, "")
}

// loginPageFor shows the sign-in form; after a refusal it keeps the name the user typed and
// puts the focus on the password.
func (s *Server) loginPageFor(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, status int, errMsg, notice, username string) {
	csrf, err := s.csrfToken(w, r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	data := page{Title: "Sign in", PoolName: p.info.Name, Client: a.client.Name, Error: errMsg, Message: notice, CSRF: csrf, Params: a.query(), Username: username,
		UsernameLabel: "Username", Autocomplete: "username"}
	switch {
	case slices.Contains(p.info.UsernameAttributes, "email") && slices.Contains(p.info.UsernameAttributes, "phone_number"):
		data.UsernameLabel = "Email address or phone number"
	case slices.Contains(p.info.UsernameAttributes, "email"):
		data.UsernameLabel, data.Autocomplete = "Email address", "email"
	case slices.Contains(p.info.UsernameAttributes, "phone_number"):
		data.UsernameLabel, data.Autocomplete = "Phone number", "tel"
	}
	data.Links = s.pageLinks(p, a, "/login")
	s.render(w, status, "login.html", data)
}

// pageLinks are the links between the hosted pages, carrying the authorization request.
func (s *Server) pageLinks(p *hostedPool, a *authRequest, here string) []link {
	q := "?" + a.query().Encode()
	var out []link
	if here != "/login" {
		out = append(out, link{"/login" + q, "Back to sign in"})
	}
	if here == "/login" {
		out = append(out, link{"/forgotPassword" + q, "Forgot your password?"})
	}
	if here == "/login" && p.info.SelfSignUp {
		out = append(out, link{"/signup" + q, "Need an account? Sign up"})
	}
	return out
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	p := poolOf(r.Context())
	a, err := s.checkAuthRequest(r.Context(), p, r.URL.Query())
	if err != nil {
		s.authFailure(w, r, err)
		return
	}
	s.loginPage(w, r, p, a, http.StatusOK, "")
}

// userMessage is the sentence the page shows for a refused sign-in: Cognito's message for the
// user's own mistakes, never an internal error's text.
func userMessage(err error) (string, bool) {
	var ae *awsapi.Error
	if !errors.As(err, &ae) {
		return "", false
	}
	switch ae.Type {
	case "NotAuthorizedException", "InvalidPasswordException", "UserNotConfirmedException",
		"PasswordResetRequiredException", "InvalidParameterException", "UsernameExistsException",
		"CodeMismatchException", "ExpiredCodeException", "LimitExceededException", "UserNotFoundException",
		"AliasExistsException", "TooManyFailedAttemptsException":
		return ae.Message, true
	}
	return "", false
}

func (s *Server) handleLoginPost(w http.ResponseWriter, r *http.Request) {
	p := poolOf(r.Context())
	a, form, ok := s.readAuthForm(w, r, p, "Your sign-in page expired", "For your security the form could not be sent. Go back, reload the page and sign in again.")
	if !ok {
		return
	}
	var res *userpool.HostedSignIn
	var err error
	if form.Get("step") == "new_password" {
		res, err = s.newPassword(w, r, p, a, form)
		if res == nil && err == nil {
			return // the page was shown again
		}
	} else {
		res, err = s.pools.SignInHosted(r.Context(), p.id, a.client.ClientID, form.Get("username"), form.Get("password"))
	}
	if msg, ok := userMessage(err); ok {
		username := form.Get("username")
		if len(username) > 128 {
			username = ""
		}
		s.loginPageFor(w, r, p, a, http.StatusBadRequest, msg, "", username)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if res.NewPasswordSession != "" {
		s.newPasswordPage(w, r, p, a, res.Challenger, res.NewPasswordSession, http.StatusOK, "")
		return
	}
	if err := s.startSession(w, r, p, a.client.ClientID, res); err != nil {
		s.internalError(w, r, err)
		return
	}
	s.finishSignIn(w, r, p, a, res)
}

func (s *Server) newPasswordPage(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, username, session string, status int, errMsg string) {
	csrf, err := s.csrfToken(w, r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.render(w, status, "newpassword.html", page{Title: "Choose a new password", PoolName: p.info.Name, Client: a.client.Name,
		Error: errMsg, CSRF: csrf, Params: a.query(), Username: username, Session: session})
}

// newPassword answers the new-password step. It returns (nil, nil) when it showed the form
// again (the two passwords differ, or the policy refused the password and the session
// lives on).
func (s *Server) newPassword(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values) (*userpool.HostedSignIn, error) {
	username, session := form.Get("username"), form.Get("session")
	pw, confirm := form.Get("new_password"), form.Get("confirm_password")
	if pw == "" || pw != confirm {
		s.newPasswordPage(w, r, p, a, username, session, http.StatusBadRequest, "The two passwords do not match.")
		return nil, nil
	}
	res, err := s.pools.NewPasswordHosted(r.Context(), p.id, a.client.ClientID, username, session, pw)
	var ae *awsapi.Error
	if errors.As(err, &ae) && (ae.Type == "InvalidPasswordException" || ae.Type == "InvalidParameterException") {
		s.newPasswordPage(w, r, p, a, username, session, http.StatusBadRequest, ae.Message)
		return nil, nil
	}
	if errors.As(err, &ae) && ae.Type == "NotAuthorizedException" {
		// The session expired or was used: start again.
		return nil, awsapi.NotAuthorized("Your session expired. Sign in again with your temporary password.")
	}
	return res, err
}

// handleLogout signs the user out and redirects to one of the client's sign-out URLs
// (developer guide: logout-endpoint.html): logout_uri must be listed in LogoutURLs exactly;
// or, with redirect_uri and response_type, the browser goes back to the sign-in page.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	p := poolOf(r.Context())
	q := r.URL.Query()
	c, err := s.pools.OAuthClient(r.Context(), p.id, q.Get("client_id"))
	if errors.Is(err, userpool.ErrInvalidClient) {
		s.errorPage(w, r, http.StatusBadRequest, "This sign-out link does not work", "The app client does not exist.")
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.endSession(w, r)
	if lu := q.Get("logout_uri"); lu != "" {
		if len(lu) > maxRedirectURI || !slices.Contains(c.LogoutURLs, lu) {
			s.errorPage(w, r, http.StatusBadRequest, "This sign-out link does not work", "The logout_uri is not one of the app client's sign-out URLs.")
			return
		}
		http.Redirect(w, r, lu, http.StatusFound)
		return
	}
	a, err := s.checkAuthRequest(r.Context(), p, q)
	if err != nil {
		s.authFailure(w, r, err)
		return
	}
	http.Redirect(w, r, "/login?"+a.query().Encode(), http.StatusFound)
}
