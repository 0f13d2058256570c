package oauth

import (
	"net/http"
	"net/url"
	"slices"
)

// The hosted sign-up and password-reset pages (developer guide: the managed login endpoints
// /signup, /confirmUser, /forgotPassword, /confirmForgotPassword). Each carries the
// authorization request, so the user lands back on /login for the same app afterwards.

func (s *Server) registerAccountPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /signup", s.accountPage(s.signupForm))
	mux.HandleFunc("POST /signup", s.accountPost(s.signupPost))
	mux.HandleFunc("GET /confirmUser", s.accountPage(s.confirmForm))
	mux.HandleFunc("POST /confirmUser", s.accountPost(s.confirmPost))
	mux.HandleFunc("GET /forgotPassword", s.accountPage(s.forgotForm))
	mux.HandleFunc("POST /forgotPassword", s.accountPost(s.forgotPost))
	mux.HandleFunc("GET /confirmForgotPassword", s.accountPage(s.resetForm))
	mux.HandleFunc("POST /confirmForgotPassword", s.accountPost(s.resetPost))
}

type accountForm func(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, v url.Values, status int, errMsg, notice string)

// accountPage shows a form for a checked authorization request.
func (s *Server) accountPage(show accountForm) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := poolOf(r.Context())
		a, err := s.checkAuthRequest(r.Context(), p, r.URL.Query())
		if err != nil {
			s.authFailure(w, r, err)
			return
		}
		show(w, r, p, a, r.URL.Query(), http.StatusOK, "", "")
	}
}

// accountPost reads a posted form (bounded, CSRF-checked, the authorization request checked)
// and hands it on.
func (s *Server) accountPost(handle func(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := poolOf(r.Context())
		a, form, ok := s.readAuthForm(w, r, p, "Your page expired", "For your security the form could not be sent. Go back, reload the page and try again.")
		if ok {
			handle(w, r, p, a, form)
		}
	}
}

// readAuthForm reads a posted page form: bounded, CSRF-checked (a failed check shows the
// expired title and text), the authorization request it carries checked. When it returns
// false it has already answered.
func (s *Server) readAuthForm(w http.ResponseWriter, r *http.Request, p *hostedPool, expiredTitle, expiredText string) (*authRequest, url.Values, bool) {
	form, err := readForm(w, r)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "This form could not be read", "Go back, reload the page and try again.")
		return nil, nil, false
	}
	if !checkCSRF(r, form) {
		s.errorPage(w, r, http.StatusForbidden, expiredTitle, expiredText)
		return nil, nil, false
	}
	a, err := s.checkAuthRequest(r.Context(), p, form)
	if err != nil {
		s.authFailure(w, r, err)
		return nil, nil, false
	}
	return a, form, true
}

// formFailed answers a failed form step: an error the user can act on shows the form again
// with its message (400), any other error is an internal error. It reports whether err was
// an error, that is whether it answered.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values, show accountForm, err error) bool {
	if msg, ok := userMessage(err); ok {
		show(w, r, p, a, form, http.StatusBadRequest, msg, "")
		return true
	}
	if err != nil {
		s.internalError(w, r, err)
		return true
	}
	return false
}

func (s *Server) form(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, status int, data page) {
	csrf, err := s.csrfToken(w, r)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	data.PoolName, data.Client, data.CSRF, data.Params = p.info.Name, a.client.Name, csrf, a.query()
	data.Links = s.pageLinks(p, a, data.Action)
	s.render(w, status, "form.html", data)
}

// usernameField is the sign-in name as the pool's users know it.
func usernameField(p *hostedPool, value string) field {
	f := field{Name: "username", Label: "Username", Type: "text", Autocomplete: "username", Value: value}
	if slices.Contains(p.info.UsernameAttributes, "email") {
		f.Label, f.Type, f.Autocomplete = "Email address", "email", "email"
	}
	return f
}

func (s *Server) signupForm(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, v url.Values, status int, errMsg, _ string) {
	if !p.info.SelfSignUp {
		s.errorPage(w, r, http.StatusNotFound, "Sign-up is not available", "Accounts for "+p.info.Name+" are created by an administrator.")
		return
	}
	fields := []field{usernameField(p, v.Get("username"))}
	if !slices.Contains(p.info.UsernameAttributes, "email") {
		fields = append(fields, field{Name: "email", Label: "Email address", Type: "email", Autocomplete: "email", Value: v.Get("email")})
	}
	fields = append(fields, field{Name: "password", Label: "Password", Type: "password", Autocomplete: "new-password"})
	s.form(w, r, p, a, status, page{Title: "Create an account", Error: errMsg, Action: "/signup", Fields: fields, Submit: "Sign up"})
}

func (s *Server) signupPost(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values) {
	if !p.info.SelfSignUp {
		s.errorPage(w, r, http.StatusNotFound, "Sign-up is not available", "Accounts for "+p.info.Name+" are created by an administrator.")
		return
	}
	username, email := form.Get("username"), form.Get("email")
	if slices.Contains(p.info.UsernameAttributes, "email") {
		email = ""
	}
	dest, confirmed, err := s.pools.SignUpHosted(r.Context(), p.id, a.client.ClientID, username, form.Get("password"), email)
	if s.formFailed(w, r, p, a, form, s.signupForm, err) {
		return
	}
	if dest == "" {
		notice := "Your account is created. An administrator must confirm it before you can sign in."
		if confirmed {
			notice = "Your account is ready. Sign in."
		}
		s.loginPageWith(w, r, p, a, http.StatusOK, "", notice)
		return
	}
	s.confirmForm(w, r, p, a, url.Values{"username": {username}}, http.StatusOK, "", "We sent a code to "+dest+". Enter it to confirm your account.")
}

func (s *Server) confirmForm(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, v url.Values, status int, errMsg, notice string) {
	s.form(w, r, p, a, status, page{Title: "Confirm your account", Error: errMsg, Message: notice, Action: "/confirmUser",
		Fields: []field{usernameField(p, v.Get("username")), {Name: "code", Label: "Confirmation code", Type: "text", Autocomplete: "one-time-code", Inputmode: "numeric"}},
		Submit: "Confirm account"})
}

func (s *Server) confirmPost(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values) {
	err := s.pools.ConfirmSignUpHosted(r.Context(), p.id, a.client.ClientID, form.Get("username"), form.Get("code"))
	if s.formFailed(w, r, p, a, form, s.confirmForm, err) {
		return
	}
	s.loginPageWith(w, r, p, a, http.StatusOK, "", "Your account is confirmed. Sign in.")
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, v url.Values, status int, errMsg, _ string) {
	s.form(w, r, p, a, status, page{Title: "Reset your password", Error: errMsg, Action: "/forgotPassword",
		Message: "Enter your sign-in name and we will send you a code to reset your password.",
		Fields:  []field{usernameField(p, v.Get("username"))}, Submit: "Send code"})
}

func (s *Server) forgotPost(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values) {
	dest, err := s.pools.ForgotPasswordHosted(r.Context(), p.id, a.client.ClientID, form.Get("username"))
	if s.formFailed(w, r, p, a, form, s.forgotForm, err) {
		return
	}
	s.resetForm(w, r, p, a, url.Values{"username": {form.Get("username")}}, http.StatusOK, "", "We sent a code to "+dest+".")
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, v url.Values, status int, errMsg, notice string) {
	s.form(w, r, p, a, status, page{Title: "Choose a new password", Error: errMsg, Message: notice, Action: "/confirmForgotPassword",
		Fields: []field{usernameField(p, v.Get("username")),
			{Name: "code", Label: "Code", Type: "text", Autocomplete: "one-time-code", Inputmode: "numeric"},
			{Name: "new_password", Label: "New password", Type: "password", Autocomplete: "new-password"},
			{Name: "confirm_password", Label: "Enter the new password again", Type: "password", Autocomplete: "new-password"}},
		Submit: "Change password"})
}

func (s *Server) resetPost(w http.ResponseWriter, r *http.Request, p *hostedPool, a *authRequest, form url.Values) {
	if form.Get("new_password") == "" || form.Get("new_password") != form.Get("confirm_password") {
		s.resetForm(w, r, p, a, form, http.StatusBadRequest, "The two passwords do not match.", "")
		return
	}
	err := s.pools.ConfirmForgotPasswordHosted(r.Context(), p.id, a.client.ClientID, form.Get("username"), form.Get("code"), form.Get("new_password"))
	if s.formFailed(w, r, p, a, form, s.resetForm, err) {
		return
	}
	s.loginPageWith(w, r, p, a, http.StatusOK, "", "Your password is changed. Sign in with your new password.")
}
