package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Auth flows and challenges: InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge,
// AdminRespondToAuthChallenge (API reference: API_InitiateAuth.html,
// API_AdminInitiateAuth.html, API_RespondToAuthChallenge.html).

func (s *Service) registerAuth(api *awsapi.Service) {
	api.Register("InitiateAuth", awsapi.Op(s.InitiateAuth))
	api.Register("AdminInitiateAuth", awsapi.Op(s.AdminInitiateAuth))
	api.Register("RespondToAuthChallenge", awsapi.Op(s.RespondToAuthChallenge))
	api.Register("AdminRespondToAuthChallenge", awsapi.Op(s.AdminRespondToAuthChallenge))
	api.Register("GlobalSignOut", awsapi.Op(s.GlobalSignOut))
	api.Register("AdminUserGlobalSignOut", awsapi.Op(s.AdminUserGlobalSignOut))
	api.Register("RevokeToken", awsapi.Op(s.RevokeToken))
}

// authOutcome is what a flow step produces: tokens, or the next challenge.
type authOutcome struct {
	challenge string
	session   string
	params    map[string]string
	result    *AuthenticationResultType
	// available lists SELECT_CHALLENGE's AvailableChallenges (USER_AUTH).
	available []string
	// user is the signed-in user when the caller asked for no tokens (the hosted page, which
	// gets its tokens from the token endpoint later).
	user *store.User
}

// InitiateAuth starts a sign-in from a client app.
func (s *Service) InitiateAuth(ctx context.Context, in *InitiateAuthRequest) (*InitiateAuthResponse, error) {
	c, p, err := s.loadClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := s.startFlow(ctx, p, c, in.AuthFlow, in.AuthParameters, false)
	if err != nil {
		return nil, err
	}
	return &InitiateAuthResponse{ChallengeName: out.challenge, Session: out.session,
		ChallengeParameters: out.params, AuthenticationResult: out.result, AvailableChallenges: out.available}, nil
}

// AdminInitiateAuth starts a sign-in from a trusted back end.
func (s *Service) AdminInitiateAuth(ctx context.Context, in *AdminInitiateAuthRequest) (*AdminInitiateAuthResponse, error) {
	p, c, err := s.loadAdminClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := s.startFlow(ctx, p, c, in.AuthFlow, in.AuthParameters, true)
	if err != nil {
		return nil, err
	}
	return &AdminInitiateAuthResponse{ChallengeName: out.challenge, Session: out.session,
		ChallengeParameters: out.params, AuthenticationResult: out.result, AvailableChallenges: out.available}, nil
}

// loadAdminClient loads the pool and the client an admin auth call names.
func (s *Service) loadAdminClient(ctx context.Context, poolID, clientID string) (*pool, *client, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.loadPoolClient(ctx, p, clientID)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// startFlow runs the first step of an auth flow. The password flows are split by caller:
// USER_PASSWORD_AUTH is InitiateAuth's, ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH are
// AdminInitiateAuth's (docs/dev/aws-behaviour.md#auth-flows: InitiateAuth refuses ADMIN_NO_SRP_AUTH).
func (s *Service) startFlow(ctx context.Context, p *pool, c *client, flow string, params map[string]string, admin bool) (*authOutcome, error) {
	switch flow {
	case "USER_PASSWORD_AUTH":
		if !admin {
			return s.passwordFlow(ctx, p, c, flow, params)
		}
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		if admin {
			return s.passwordFlow(ctx, p, c, flow, params)
		}
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		return s.refreshFlow(ctx, p, c, flow, params)
	case "USER_SRP_AUTH":
		return s.srpStart(ctx, p, c, params)
	case "USER_AUTH":
		return s.userAuthStart(ctx, p, c, params)
	}
	return nil, unsupportedFlow(flow, "Initiate Auth method not supported.")
}

// unsupportedFlow answers a flow this endpoint does not run. CUSTOM_AUTH and USER_AUTH are
// valid AWS flows that Gatehouse does not run; their refusal names them and the flows to
// switch to (USER_SRP_AUTH, which srpStart runs, or USER_PASSWORD_AUTH). Any other flow gets
// Cognito's own text.
func unsupportedFlow(flow, awsText string) error {
	switch flow {
	case "CUSTOM_AUTH":
		return awsapi.InvalidParameter("%s is not supported by this Gatehouse version; use USER_SRP_AUTH or USER_PASSWORD_AUTH", flow)
	}
	return awsapi.InvalidParameter("%s", awsText)
}

// requireFlow refuses a flow the client does not enable, with Cognito's text
// ("USER_PASSWORD_AUTH flow not enabled for this client").
func requireFlow(c *client, flow string) error {
	if !c.authFlowAllowed(flow) {
		return awsapi.InvalidParameter("%s flow not enabled for this client", flow)
	}
	return nil
}

func missingParam(name string) error {
	return awsapi.InvalidParameter("Missing required parameter %s", name)
}

// passwordFlow runs USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH.
func (s *Service) passwordFlow(ctx context.Context, p *pool, c *client, flow string, params map[string]string) (*authOutcome, error) {
	if err := requireFlow(c, flow); err != nil {
		return nil, err
	}
	username, password := params["USERNAME"], params["PASSWORD"]
	if username == "" {
		return nil, missingParam("USERNAME")
	}
	if password == "" {
		return nil, missingParam("PASSWORD")
	}
	if c.secret != "" {
		if err := s.checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
			return nil, err
		}
	}
	u, err := s.verifyUserPassword(ctx, p, c, username, password)
	if err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, p, c, u)
}

// signInRefusal is the error a correct password still meets when the user's status bars
// signing in (UNCONFIRMED, RESET_REQUIRED), nil otherwise.
func signInRefusal(status string) error {
	switch status {
	case "UNCONFIRMED":
		return errUserNotConfirmed()
	case "RESET_REQUIRED":
		return errPasswordResetRequired()
	}
	return nil
}

// afterPassword decides what follows a correct password: tokens, or a challenge.
func (s *Service) afterPassword(ctx context.Context, p *pool, c *client, u store.User) (*authOutcome, error) {
	if err := signInRefusal(u.Status); err != nil {
		return nil, err
	}
	switch u.Status {
	case "FORCE_CHANGE_PASSWORD":
		if !u.PasswordExpiresAt.IsZero() && !s.nowUTC().Before(u.PasswordExpiresAt) {
			// Developer guide: how-to-create-user-accounts ("temporary password … expires").
			return nil, awsapi.NotAuthorized("Temporary password has expired and must be reset by an administrator.")
		}
		return s.newPasswordChallenge(ctx, p, c, u)
	}
	res, err := s.issueTokens(ctx, p, c, u, s.nowUTC(), "", true)
	if err != nil {
		return nil, err
	}
	return &authOutcome{result: res, params: map[string]string{}}, nil
}

// newPasswordChallenge answers NEW_PASSWORD_REQUIRED with a fresh Session. userAttributes
// lists the user's current attributes minus those the user may not send back (sub and the
// *_verified flags), as Cognito does; requiredAttributes lists required schema attributes the
// user still lacks.
func (s *Service) newPasswordChallenge(ctx context.Context, p *pool, c *client, u store.User) (*authOutcome, error) {
	session, err := s.createSession(ctx, p, c, u, "NEW_PASSWORD_REQUIRED")
	if err != nil {
		return nil, err
	}
	attrs := map[string]string{}
	for _, a := range u.Attributes {
		switch a.Name {
		case "sub", "email_verified", "phone_number_verified":
			continue
		}
		attrs[a.Name] = a.Value
	}
	ab, _ := json.Marshal(attrs)
	req := []string{}
	for _, name := range p.requiredAttributes() {
		if name != "sub" && attr(u.Attributes, name) == "" {
			req = append(req, "userAttributes."+name)
		}
	}
	rb, _ := json.Marshal(req)
	return &authOutcome{challenge: "NEW_PASSWORD_REQUIRED", session: session, params: map[string]string{
		"USER_ID_FOR_SRP":    u.Username,
		"requiredAttributes": string(rb),
		"userAttributes":     string(ab),
	}}, nil
}

// requiredAttributes lists schema attributes marked Required.
func (p *pool) requiredAttributes() []string {
	var out []string
	for _, a := range p.spec.SchemaAttributes {
		if a.Required != nil && *a.Required {
			out = append(out, a.Name)
		}
	}
	return out
}

// createSession stores a challenge session and returns its opaque value. It lives for the
// client's AuthSessionValidity (3 minutes by default; API reference:
// UserPoolClientType.AuthSessionValidity).
func (s *Service) createSession(ctx context.Context, p *pool, c *client, u store.User, challenge string) (string, error) {
	raw, hash, err := token.NewOpaqueToken(s.rand)
	if err != nil {
		return "", err
	}
	now := s.nowUTC()
	err = s.store.CreateAuthSession(ctx, store.AuthSession{
		Hash: hash, PoolID: p.rec.ID, ClientID: c.rec.ID, UsernameKey: u.UsernameKey,
		Challenge: challenge, ExpiresAt: now.Add(c.authSessionValidity()), CreatedAt: now,
	})
	if err != nil {
		return "", err
	}
	return raw, nil
}

func errInvalidSession() error {
	return awsapi.NotAuthorized("Invalid session for the user, session is expired.")
}

// RespondToAuthChallenge answers a challenge from a client app.
func (s *Service) RespondToAuthChallenge(ctx context.Context, in *RespondToAuthChallengeRequest) (*RespondToAuthChallengeResponse, error) {
	c, p, err := s.loadClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := s.respond(ctx, p, c, in.ChallengeName, in.Session, in.ChallengeResponses)
	if err != nil {
		return nil, err
	}
	return &RespondToAuthChallengeResponse{ChallengeName: out.challenge, Session: out.session,
		ChallengeParameters: out.params, AuthenticationResult: out.result}, nil
}

// AdminRespondToAuthChallenge answers a challenge from a trusted back end.
func (s *Service) AdminRespondToAuthChallenge(ctx context.Context, in *AdminRespondToAuthChallengeRequest) (*AdminRespondToAuthChallengeResponse, error) {
	p, c, err := s.loadAdminClient(ctx, in.UserPoolId, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := s.respond(ctx, p, c, in.ChallengeName, in.Session, in.ChallengeResponses)
	if err != nil {
		return nil, err
	}
	return &AdminRespondToAuthChallengeResponse{ChallengeName: out.challenge, Session: out.session,
		ChallengeParameters: out.params, AuthenticationResult: out.result}, nil
}

func (s *Service) respond(ctx context.Context, p *pool, c *client, challenge, session string, resp map[string]string) (*authOutcome, error) {
	return s.respondTo(ctx, p, c, challenge, session, resp, false)
}

// respondTo is respond; noTokens (the hosted page) skips the client secret hash, which a
// browser cannot compute (the page itself is the client), and answers the user instead of
// tokens.
func (s *Service) respondTo(ctx context.Context, p *pool, c *client, challenge, session string, resp map[string]string, noTokens bool) (*authOutcome, error) {
	switch challenge {
	case "PASSWORD_VERIFIER":
		return s.srpVerify(ctx, p, c, resp)
	case challengeSelect, challengePassword, challengePasswordSRP, factorEmailOTP, factorSMSOTP, factorWebAuthn:
		return s.userAuthRespond(ctx, p, c, challenge, session, resp)
	}
	if challenge != "NEW_PASSWORD_REQUIRED" {
		return nil, awsapi.InvalidParameter("%s challenge is not supported by this Gatehouse version", challenge)
	}
	// The session is single-use: take it now so a concurrent replay finds nothing. If the
	// answer is refused for a reason the user can fix (the new password breaks the policy),
	// it is put back unchanged so the user can try again within its lifetime.
	username, sess, err := s.takeSession(ctx, p, c, challenge, session, resp, noTokens)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, p, username)
	if err != nil || u.UsernameKey != sess.UsernameKey {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		return nil, errInvalidSession()
	}
	out, err := s.answerNewPassword(ctx, p, c, u, resp, noTokens)
	var ae *awsapi.Error
	if errors.As(err, &ae) && (ae.Type == "InvalidPasswordException" || ae.Type == "InvalidParameterException") {
		if rerr := s.store.CreateAuthSession(ctx, sess); rerr != nil {
			s.log.Warn("could not restore challenge session", "pool", p.rec.ID, "err", rerr)
		}
	}
	return out, err
}

// takeSession checks what every answer to a challenge carrying a Session has — USERNAME, a
// session of bounded length, SECRET_HASH when the client has a secret — and then takes the
// session (it is single-use), which must be unexpired and issued to this pool and client for
// this challenge. It returns the username answered and the session taken. skipSecret is for
// the hosted page, which is itself the client and cannot compute a SECRET_HASH.
func (s *Service) takeSession(ctx context.Context, p *pool, c *client, challenge, session string, resp map[string]string, skipSecret bool) (string, store.AuthSession, error) {
	username := resp["USERNAME"]
	if username == "" {
		return "", store.AuthSession{}, missingParam("USERNAME")
	}
	if session == "" || len(session) > 4096 {
		return "", store.AuthSession{}, errInvalidSession()
	}
	if c.secret != "" && !skipSecret {
		if err := s.checkSecretHash(c, username, resp["SECRET_HASH"]); err != nil {
			return "", store.AuthSession{}, err
		}
	}
	sess, err := s.store.ConsumeAuthSession(ctx, token.HashToken(session))
	if errors.Is(err, store.ErrNotFound) {
		return "", store.AuthSession{}, errInvalidSession()
	}
	if err != nil {
		return "", store.AuthSession{}, err
	}
	if !s.nowUTC().Before(sess.ExpiresAt) || sess.PoolID != p.rec.ID || sess.ClientID != c.rec.ID || sess.Challenge != challenge {
		return "", store.AuthSession{}, errInvalidSession()
	}
	return username, sess, nil
}

// answerNewPassword completes NEW_PASSWORD_REQUIRED: the new password must pass the policy,
// required attributes must be given, and the user may set writable attributes
// ("userAttributes.name") at the same time.
func (s *Service) answerNewPassword(ctx context.Context, p *pool, c *client, u store.User, resp map[string]string, noTokens bool) (*authOutcome, error) {
	newPassword := resp["NEW_PASSWORD"]
	if newPassword == "" {
		return nil, missingParam("NEW_PASSWORD")
	}
	if err := p.checkPassword(newPassword); err != nil {
		return nil, err
	}
	// Attributes sent with the answer ("userAttributes.name") go through the same schema and
	// write-permission checks as UpdateUserAttributes; the challenge's user is being created,
	// so immutable attributes may still be set.
	var given []AttributeType
	for k, v := range resp {
		if name, ok := strings.CutPrefix(k, "userAttributes."); ok {
			given = append(given, AttributeType{Name: name, Value: v})
		}
	}
	updates, err := p.checkAttributes(given, c, true)
	if err != nil {
		return nil, err
	}
	for _, name := range p.requiredAttributes() {
		if name == "sub" || attr(u.Attributes, name) != "" || attr(updates, name) != "" {
			continue
		}
		return nil, awsapi.InvalidParameter("Invalid attributes given, %s is missing", name)
	}
	cred, err := s.newCredentials(ctx, p, u.Username, newPassword)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	var updated store.User
	err = s.store.UpdateUser(ctx, p.rec.ID, u.UsernameKey, func(old store.User) (store.User, error) {
		if old.Status != "FORCE_CHANGE_PASSWORD" {
			return old, errInvalidSession()
		}
		if err := s.setCredentials(&old, cred); err != nil {
			return old, err
		}
		old.PasswordExpiresAt = timeZero
		old.Status = "CONFIRMED"
		old.UpdatedAt = now
		old.FailedAttempts, old.LockedUntil = 0, timeZero
		attrs := append([]store.Attribute(nil), old.Attributes...)
		for _, a := range updates {
			attrs = setAttr(attrs, a.Name, a.Value)
		}
		old.Attributes = attrs
		updated = old
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUserNotFound()
	}
	if err != nil {
		return nil, err
	}
	if noTokens {
		return &authOutcome{user: &updated, params: map[string]string{}}, nil
	}
	res, err := s.issueTokens(ctx, p, c, updated, now, "", true)
	if err != nil {
		return nil, err
	}
	return &authOutcome{result: res, params: map[string]string{}}, nil
}
