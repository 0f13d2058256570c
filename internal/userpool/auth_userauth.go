package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Choice-based sign-in: the USER_AUTH flow (developer guide: authentication-flows-selection-sdk,
// "Choice-based authentication"; API reference: InitiateAuth AuthParameters, and
// RespondToAuthChallenge ChallengeResponses for SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP,
// EMAIL_OTP and SMS_OTP).
//
// InitiateAuth USER_AUTH names the user and, optionally, a PREFERRED_CHALLENGE. When that
// challenge is available to the user it starts at once (PASSWORD with the password in the same
// request signs in; PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER; EMAIL_OTP and SMS_OTP
// send a code). Otherwise — no preference, or one the user cannot use — Cognito answers
// SELECT_CHALLENGE with AvailableChallenges, and the client picks one with ANSWER. A challenge
// is available when the pool's SignInPolicy.AllowedFirstAuthFactors allows its factor and the
// user has what it needs: a password for PASSWORD and PASSWORD_SRP, a verified email for
// EMAIL_OTP, a verified phone number for SMS_OTP.
//
// The state between steps is a single-use challenge session (store.AuthSession) holding a
// userAuthSession. Nothing is in memory, so any node sharing the store answers any step.
//
// With PreventUserExistenceErrors ENABLED an unknown user gets a challenge that looks real:
// SELECT_CHALLENGE offers what the pool allows, an OTP challenge shows a simulated masked
// destination and refuses every code as a wrong one, password answers cost one hash and fail
// as a wrong password, and SRP gets the simulated verifier of USER_SRP_AUTH.

// First sign-in factors (API reference: SignInPolicyType, AuthFactorType) and the USER_AUTH
// challenge names (ChallengeNameType).
const (
	factorPassword       = "PASSWORD"
	factorEmailOTP       = "EMAIL_OTP"
	factorSMSOTP         = "SMS_OTP"
	factorWebAuthn       = "WEB_AUTHN"
	challengeSelect      = "SELECT_CHALLENGE"
	challengePassword    = "PASSWORD"
	challengePasswordSRP = "PASSWORD_SRP"
)

// Code purposes of sign-in one-time passwords (store.Code.Purpose).
const (
	purposeOTPEmail = "signin:email"
	purposeOTPSMS   = "signin:sms"
)

// Default sign-in message texts, used when the pool sets none. SMS uses the pool's
// SmsAuthenticationMessage (API reference: CreateUserPool); email OTP messages come from the
// pool's EmailMfaConfiguration on AWS, which Gatehouse does not store yet. These texts are
// Gatehouse's; AWS's default wording is not confirmed.
const (
	otpDefaultMessage      = "Your authentication code is {####}. "
	otpDefaultEmailSubject = "Your sign-in code"
)

// userAuthSession is what a USER_AUTH challenge session remembers (store.AuthSession.Data).
type userAuthSession struct {
	// Username is the user's username; for an unknown user, the name typed.
	Username string `json:"Username"`
	// Fake marks a simulated challenge for an unknown user (PreventUserExistenceErrors).
	Fake bool `json:"Fake,omitempty"`
	// Available lists the challenges SELECT_CHALLENGE offered.
	Available []string `json:"Available,omitempty"`
	// Attempts counts wrong codes answered to a simulated OTP challenge, so that it locks
	// like a real one.
	Attempts int `json:"Attempts,omitempty"`
}

// errPasskeysUnsupported answers every use of WEB_AUTHN: Gatehouse has no passkeys yet.
func errPasskeysUnsupported() error {
	return awsapi.InvalidParameter("WEB_AUTHN (passkey sign-in) is not supported by this Gatehouse version; use PASSWORD, PASSWORD_SRP, EMAIL_OTP or SMS_OTP")
}

// errOTPMismatch is Cognito's answer to a wrong sign-in code, as captured for SMS MFA codes
// (aws-amplify/amplify-js#3066, #11069); for EMAIL_OTP and SMS_OTP it is not confirmed.
func errOTPMismatch() error {
	return awsapi.NewError("CodeMismatchException", "Invalid code or auth state for the user.")
}

// firstAuthFactors returns the pool's SignInPolicy.AllowedFirstAuthFactors; PASSWORD alone
// when the pool sets none (a pool signs in with a password first by default).
func (p *pool) firstAuthFactors() []string {
	if p.spec.Policies != nil && p.spec.Policies.SignInPolicy != nil && len(p.spec.Policies.SignInPolicy.AllowedFirstAuthFactors) > 0 {
		return p.spec.Policies.SignInPolicy.AllowedFirstAuthFactors
	}
	return []string{factorPassword}
}

func (p *pool) allowsFactor(f string) bool { return slices.Contains(p.firstAuthFactors(), f) }

// availableChallenges lists the USER_AUTH challenges open to u, in a fixed order.
func (p *pool) availableChallenges(u store.User) []string {
	var out []string
	if p.allowsFactor(factorPassword) && u.PasswordHash != "" {
		out = append(out, challengePassword, challengePasswordSRP)
	}
	if p.allowsFactor(factorEmailOTP) && attr(u.Attributes, "email") != "" && isTrueAttr(attr(u.Attributes, "email_verified")) {
		out = append(out, factorEmailOTP)
	}
	if p.allowsFactor(factorSMSOTP) && attr(u.Attributes, "phone_number") != "" && isTrueAttr(attr(u.Attributes, "phone_number_verified")) {
		out = append(out, factorSMSOTP)
	}
	return out
}

// simulatedChallenges is what an unknown user is offered: every challenge the pool allows.
func (p *pool) simulatedChallenges() []string {
	var out []string
	if p.allowsFactor(factorPassword) {
		out = append(out, challengePassword, challengePasswordSRP)
	}
	for _, f := range []string{factorEmailOTP, factorSMSOTP} {
		if p.allowsFactor(f) {
			out = append(out, f)
		}
	}
	return out
}

// isTrueAttr reads a boolean attribute as Cognito does, without regard to case.
func isTrueAttr(v string) bool { return strings.EqualFold(v, "true") }

// userAuthStart runs InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH.
func (s *Service) userAuthStart(ctx context.Context, p *pool, c *client, params map[string]string) (*authOutcome, error) {
	if err := requireFlow(c, "USER_AUTH"); err != nil {
		return nil, err
	}
	username := params["USERNAME"]
	if username == "" {
		return nil, missingParam("USERNAME")
	}
	preferred := params["PREFERRED_CHALLENGE"]
	switch preferred {
	case "", challengePassword, challengePasswordSRP, factorEmailOTP, factorSMSOTP:
	case factorWebAuthn:
		return nil, errPasskeysUnsupported()
	default:
		return nil, awsapi.InvalidParameter("PREFERRED_CHALLENGE must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP or WEB_AUTHN")
	}
	if c.secret != "" {
		if err := s.checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
			return nil, err
		}
	}
	u, known, err := s.signInUser(ctx, p, c, username)
	if err != nil {
		return nil, err
	}
	st := userAuthSession{Username: username, Fake: !known}
	var avail []string
	if known {
		st.Username = u.Username
		avail = p.availableChallenges(u)
		if len(avail) == 0 {
			if u.PasswordHash == "" && u.Status == "RESET_REQUIRED" {
				return nil, errPasswordResetRequired() // imported without a password
			}
			return nil, awsapi.NotAuthorized("The user has no sign-in method that this user pool allows.")
		}
	} else {
		avail = p.simulatedChallenges()
	}
	if preferred != "" && slices.Contains(avail, preferred) {
		return s.userAuthChoose(ctx, p, c, u, st, preferred, params)
	}
	st.Available = avail
	out, err := s.userAuthChallenge(ctx, p, c, u, st, challengeSelect, map[string]string{})
	if err != nil {
		return nil, err
	}
	out.available = avail
	return out, nil
}

// userAuthChoose starts the chosen challenge. params carry what the client sent with the
// choice: PASSWORD or SRP_A may come with it, which skips the PASSWORD / PASSWORD_SRP step.
func (s *Service) userAuthChoose(ctx context.Context, p *pool, c *client, u store.User, st userAuthSession, choice string, params map[string]string) (*authOutcome, error) {
	st.Available = nil
	switch choice {
	case challengePassword:
		if params["PASSWORD"] == "" {
			return s.userAuthChallenge(ctx, p, c, u, st, challengePassword, map[string]string{})
		}
		return s.userAuthPassword(ctx, p, c, st, params["PASSWORD"])
	case challengePasswordSRP:
		if params["SRP_A"] == "" {
			return s.userAuthChallenge(ctx, p, c, u, st, challengePasswordSRP, map[string]string{})
		}
		return s.srpBegin(ctx, p, c, st.Username, params["SRP_A"])
	case factorEmailOTP, factorSMSOTP:
		return s.otpSend(ctx, p, c, u, st, choice)
	}
	return nil, awsapi.InvalidParameter("%s is not an available challenge for this user", choice)
}

// userAuthPassword checks a password given to USER_AUTH, as USER_PASSWORD_AUTH does (lockout,
// PreventUserExistenceErrors), and goes on as after any correct password.
func (s *Service) userAuthPassword(ctx context.Context, p *pool, c *client, st userAuthSession, password string) (*authOutcome, error) {
	u, err := s.verifyUserPassword(ctx, p, c, st.Username, password)
	if err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, p, c, u)
}

// userAuthChallenge stores a USER_AUTH challenge session and answers the challenge with it.
func (s *Service) userAuthChallenge(ctx context.Context, p *pool, c *client, u store.User, st userAuthSession, challenge string, params map[string]string) (*authOutcome, error) {
	raw, hash, err := token.NewOpaqueToken(s.rand)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	err = s.store.CreateAuthSession(ctx, store.AuthSession{
		Hash: hash, PoolID: p.rec.ID, ClientID: c.rec.ID, UsernameKey: u.UsernameKey,
		Challenge: challenge, Data: data, ExpiresAt: now.Add(c.authSessionValidity()), CreatedAt: now,
	})
	if err != nil {
		return nil, err
	}
	return &authOutcome{challenge: challenge, session: raw, params: params}, nil
}

// otpMedium returns the medium, contact attribute and code purpose of an OTP challenge.
func otpMedium(challenge string) (medium, attrName, purpose string) {
	if challenge == factorSMSOTP {
		return "SMS", "phone_number", purposeOTPSMS
	}
	return "EMAIL", "email", purposeOTPEmail
}

// otpMessage returns the subject and body template of a sign-in code message.
func (p *pool) otpMessage(medium string) (subject, body string) {
	if medium == "SMS" {
		return "", firstNonEmpty(p.spec.SmsAuthenticationMessage, otpDefaultMessage)
	}
	return otpDefaultEmailSubject, otpDefaultMessage
}

// otpSend issues and delivers a sign-in code and answers EMAIL_OTP or SMS_OTP with where it
// went (CODE_DELIVERY_DELIVERY_MEDIUM, CODE_DELIVERY_DESTINATION, as the API reference's
// examples show). The code lives as long as the session that must carry it back: the client's
// AuthSessionValidity, three minutes by default (API reference: UserPoolClientType,
// "Your user pool native user must respond to each authentication challenge before the session
// expires"). A locked-out user gets no code.
func (s *Service) otpSend(ctx context.Context, p *pool, c *client, u store.User, st userAuthSession, challenge string) (*authOutcome, error) {
	medium, attrName, purpose := otpMedium(challenge)
	var dest string
	if st.Fake {
		dest = simulatedOTPDestination(p, st.Username, medium)
	} else {
		if s.nowUTC().Before(u.LockedUntil) {
			return nil, errAttemptsExceeded()
		}
		code, err := s.issueCode(ctx, p.rec.ID, u.UsernameKey, purpose, c.authSessionValidity())
		if err != nil {
			return nil, err
		}
		subject, tmpl := p.otpMessage(medium)
		d, err := s.sendMessage(ctx, p, u, attrName, attr(u.Attributes, attrName), subject, renderMessage(tmpl, u.Username, code))
		if err != nil {
			return nil, err
		}
		dest = d.Destination
	}
	return s.userAuthChallenge(ctx, p, c, u, st, challenge, map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
		"CODE_DELIVERY_DESTINATION":     dest,
	})
}

// simulatedOTPDestination is the masked destination shown to an unknown user: the name typed,
// masked, when it is an address of the medium; otherwise one derived from the name, so that
// it is stable per name (as ForgotPassword's simulated delivery is).
func simulatedOTPDestination(p *pool, username, medium string) string {
	if medium == "SMS" && isPhone(username) || medium == "EMAIL" && isEmail(username) {
		return maskDestination(medium, username)
	}
	h := sha256.Sum256([]byte(p.rec.ID + "\x00" + username))
	if medium == "SMS" {
		return fmt.Sprintf("+*******%04d", (int(h[0])<<8|int(h[1]))%10000)
	}
	return string(rune('a'+h[0]%26)) + "***@" + string(rune('a'+h[1]%26)) + "***"
}

// userAuthRespond answers RespondToAuthChallenge / AdminRespondToAuthChallenge for the USER_AUTH
// challenges. The session is single-use: it is taken at once, and put back only when the
// answer was a wrong code (so that the user can try again within its lifetime, as the code's
// attempt limit and the lockout allow) or a missing parameter.
func (s *Service) userAuthRespond(ctx context.Context, p *pool, c *client, challenge, session string, resp map[string]string) (*authOutcome, error) {
	if challenge == factorWebAuthn {
		return nil, errPasskeysUnsupported()
	}
	username, rec, err := s.takeSession(ctx, p, c, challenge, session, resp, false)
	if err != nil {
		return nil, err
	}
	var st userAuthSession
	if err := json.Unmarshal(rec.Data, &st); err != nil || st.Username == "" {
		return nil, errInvalidSession()
	}
	// The name answered must be the session's user: its username, an alias or its sub; for a
	// simulated session, the name typed.
	var u store.User
	if st.Fake {
		if p.usernameKey(username) != p.usernameKey(st.Username) {
			return nil, errInvalidSession()
		}
	} else {
		u, err = s.findUser(ctx, p, username)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err != nil || u.UsernameKey != rec.UsernameKey {
			return nil, errInvalidSession()
		}
	}
	restore := func(st userAuthSession) {
		data, err := json.Marshal(st)
		if err == nil {
			rec.Data = data
			err = s.store.CreateAuthSession(ctx, rec)
		}
		if err != nil {
			s.log.Warn("could not restore challenge session", "pool", p.rec.ID, "err", err)
		}
	}
	require := func(name string) (string, error) {
		v := resp[name]
		if v == "" {
			restore(st)
			return "", missingParam(name)
		}
		return v, nil
	}
	switch challenge {
	case challengeSelect:
		answer, err := require("ANSWER")
		if err != nil {
			return nil, err
		}
		if answer == factorWebAuthn {
			restore(st)
			return nil, errPasskeysUnsupported()
		}
		if !slices.Contains(st.Available, answer) {
			restore(st)
			return nil, awsapi.InvalidParameter("%s is not an available challenge for this user", answer)
		}
		return s.userAuthChoose(ctx, p, c, u, st, answer, resp)
	case challengePassword:
		password, err := require("PASSWORD")
		if err != nil {
			return nil, err
		}
		return s.userAuthPassword(ctx, p, c, st, password)
	case challengePasswordSRP:
		srpA, err := require("SRP_A")
		if err != nil {
			return nil, err
		}
		return s.srpBegin(ctx, p, c, st.Username, srpA)
	case factorEmailOTP, factorSMSOTP:
		code, err := require(challenge + "_CODE")
		if err != nil {
			return nil, err
		}
		return s.otpVerify(ctx, p, c, u, st, challenge, code, restore)
	}
	return nil, errInvalidSession()
}

// otpVerify checks a sign-in code. A wrong code counts toward the lockout like a wrong
// password and toward the code's own attempt limit; a correct one is spent and signs in. A
// simulated challenge refuses every code the same way, and locks after as many.
func (s *Service) otpVerify(ctx context.Context, p *pool, c *client, u store.User, st userAuthSession, challenge, code string, restore func(userAuthSession)) (*authOutcome, error) {
	now := s.nowUTC()
	if st.Fake {
		st.Attempts++
		if st.Attempts > lockoutFreeAttempts {
			return nil, errAttemptsExceeded()
		}
		restore(st)
		return nil, errOTPMismatch()
	}
	if now.Before(u.LockedUntil) {
		return nil, errAttemptsExceeded()
	}
	_, _, purpose := otpMedium(challenge)
	if err := s.consumeCode(ctx, p.rec.ID, u.UsernameKey, purpose, code); err != nil {
		var ae *awsapi.Error
		if !errors.As(err, &ae) || ae.Type != "CodeMismatchException" {
			return nil, err
		}
		if err := s.recordFailure(ctx, p, u.UsernameKey, now); err != nil {
			return nil, err
		}
		restore(st)
		return nil, errOTPMismatch()
	}
	if err := s.admit(ctx, p, &u); err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, p, c, u)
}
