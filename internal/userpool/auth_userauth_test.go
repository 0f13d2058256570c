package userpool

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
)

// userAuthEnv is a pool that allows every first factor Gatehouse runs, with a user who can use
// them all (alice), one with a password only (bob), and clients for USER_AUTH with
// PreventUserExistenceErrors ENABLED and LEGACY and one without USER_AUTH.
type userAuthEnv struct {
	*usersTestEnv
	pool, client, legacy, noUserAuth string
}

func newUserAuthEnv(t *testing.T, factors ...string) *userAuthEnv {
	t.Helper()
	e := newUsersTestEnv(t)
	if len(factors) == 0 {
		factors = []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}
	}
	pool := e.pool(&CreateUserPoolRequest{Policies: &UserPoolPolicyType{SignInPolicy: &SignInPolicyType{AllowedFirstAuthFactors: factors}}})
	flows := []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	client := e.client(&CreateUserPoolClientRequest{UserPoolId: pool, ExplicitAuthFlows: flows, PreventUserExistenceErrors: "ENABLED"}).ClientId
	legacy := e.client(&CreateUserPoolClientRequest{UserPoolId: pool, ExplicitAuthFlows: flows, PreventUserExistenceErrors: "LEGACY"}).ClientId
	noUserAuth := e.client(&CreateUserPoolClientRequest{UserPoolId: pool}).ClientId
	e.createConfirmed(pool, "alice", goodPassword,
		AttributeType{Name: "email", Value: "alice@example.com"}, AttributeType{Name: "email_verified", Value: "true"},
		AttributeType{Name: "phone_number", Value: "+15555550123"}, AttributeType{Name: "phone_number_verified", Value: "True"})
	e.createConfirmed(pool, "bob", goodPassword,
		AttributeType{Name: "email", Value: "bob@example.com"}, AttributeType{Name: "email_verified", Value: "false"})
	return &userAuthEnv{usersTestEnv: e, pool: pool, client: client, legacy: legacy, noUserAuth: noUserAuth}
}

func (e *userAuthEnv) initiate(client string, params map[string]string) (*InitiateAuthResponse, error) {
	return e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: client, AuthFlow: "USER_AUTH", AuthParameters: params})
}

func (e *userAuthEnv) respond(client, challenge, session string, resp map[string]string) (*RespondToAuthChallengeResponse, error) {
	return e.s.RespondToAuthChallenge(e.ctx, &RespondToAuthChallengeRequest{ClientId: client, ChallengeName: challenge, Session: session, ChallengeResponses: resp})
}

// mustInitiate starts USER_AUTH and wants the named challenge.
func (e *userAuthEnv) mustInitiate(params map[string]string, want string) *InitiateAuthResponse {
	e.t.Helper()
	out, err := e.initiate(e.client, params)
	if err != nil {
		e.t.Fatalf("InitiateAuth USER_AUTH %v: %v", params, err)
	}
	if out.ChallengeName != want || out.Session == "" {
		e.t.Fatalf("InitiateAuth USER_AUTH %v = challenge %q session %q, want %s", params, out.ChallengeName, out.Session, want)
	}
	return out
}

func wantTokens(t *testing.T, res *AuthenticationResultType, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("want tokens: %v", err)
	}
	if res == nil || res.IdToken == "" || res.AccessToken == "" || res.RefreshToken == "" {
		t.Fatalf("want tokens, got %+v", res)
	}
}

// srpAnswer answers PASSWORD_VERIFIER with an SRP client nobody here wrote.
func (e *userAuthEnv) srpAnswer(csrp *cognitosrp.CognitoSRP, params map[string]string, session string) (*RespondToAuthChallengeResponse, error) {
	e.t.Helper()
	answer, err := csrp.PasswordVerifierChallenge(params, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return e.respond(e.client, "PASSWORD_VERIFIER", session, answer)
}

func TestUserAuthPreferredChallenge(t *testing.T) {
	e := newUserAuthEnv(t)
	newSRP := func(user, pass string) *cognitosrp.CognitoSRP {
		csrp, err := cognitosrp.NewCognitoSRP(user, pass, e.pool, e.client, nil)
		if err != nil {
			t.Fatal(err)
		}
		return csrp
	}
	t.Run("PASSWORD signs in at once", func(t *testing.T) {
		out, err := e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": goodPassword})
		wantTokens(t, out.AuthenticationResult, err)
	})
	t.Run("PASSWORD wrong", func(t *testing.T) {
		_, err := e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Wrong-Horse-9"})
		wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("PASSWORD asked for when not given", func(t *testing.T) {
		out, err := e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD"})
		if err != nil || out.ChallengeName != "PASSWORD" {
			t.Fatalf("no password: %+v, %v", out, err)
		}
		res, err := e.respond(e.client, "PASSWORD", out.Session, map[string]string{"USERNAME": "alice", "PASSWORD": goodPassword})
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER", func(t *testing.T) {
		csrp := newSRP("alice", goodPassword)
		params := csrp.GetAuthParams()
		params["PREFERRED_CHALLENGE"] = "PASSWORD_SRP"
		out, err := e.initiate(e.client, params)
		if err != nil || out.ChallengeName != "PASSWORD_VERIFIER" || out.ChallengeParameters["USER_ID_FOR_SRP"] != "alice" {
			t.Fatalf("PASSWORD_SRP: %+v, %v", out, err)
		}
		res, err := e.srpAnswer(csrp, out.ChallengeParameters, out.Session)
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("PASSWORD_SRP wrong password", func(t *testing.T) {
		csrp := newSRP("alice", "Wrong-Horse-9")
		params := csrp.GetAuthParams()
		params["PREFERRED_CHALLENGE"] = "PASSWORD_SRP"
		out, err := e.initiate(e.client, params)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.srpAnswer(csrp, out.ChallengeParameters, out.Session)
		wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	for _, tc := range []struct {
		challenge, medium, dest, to string
	}{
		{"EMAIL_OTP", "EMAIL", "a***@e***", "alice@example.com"},
		{"SMS_OTP", "SMS", "+*******0123", "+15555550123"},
	} {
		t.Run(tc.challenge, func(t *testing.T) {
			out := e.mustInitiate(map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": tc.challenge}, tc.challenge)
			if out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != tc.medium || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != tc.dest {
				t.Fatalf("challenge parameters %v", out.ChallengeParameters)
			}
			ms := e.messages(e.pool)
			if m := ms[len(ms)-1]; m.Medium != tc.medium || m.Destination != tc.to || m.Username != "alice" {
				t.Fatalf("message %+v", m)
			}
			res, err := e.respond(e.client, tc.challenge, out.Session, map[string]string{"USERNAME": "alice", tc.challenge + "_CODE": e.lastCode(e.pool)})
			wantTokens(t, res.AuthenticationResult, err)
		})
	}
	t.Run("unavailable preference falls back to SELECT_CHALLENGE", func(t *testing.T) {
		out := e.mustInitiate(map[string]string{"USERNAME": "bob", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, "SELECT_CHALLENGE")
		if !slices.Equal(out.AvailableChallenges, []string{"PASSWORD", "PASSWORD_SRP"}) {
			t.Fatalf("bob (email not verified) may use %v", out.AvailableChallenges)
		}
	})
	t.Run("WEB_AUTHN", func(t *testing.T) {
		_, err := e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "WEB_AUTHN"})
		wantUserErr(t, err, "InvalidParameterException", "WEB_AUTHN (passkey sign-in) is not supported by this Gatehouse version; use PASSWORD, PASSWORD_SRP, EMAIL_OTP or SMS_OTP")
	})
	t.Run("unknown challenge", func(t *testing.T) {
		_, err := e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "TOTP"})
		wantUserErr(t, err, "InvalidParameterException", "PREFERRED_CHALLENGE must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP or WEB_AUTHN")
	})
}

func TestUserAuthSelectChallenge(t *testing.T) {
	e := newUserAuthEnv(t)
	sel := func(t *testing.T) string {
		t.Helper()
		out := e.mustInitiate(map[string]string{"USERNAME": "alice"}, "SELECT_CHALLENGE")
		if want := []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}; !slices.Equal(out.AvailableChallenges, want) {
			t.Fatalf("AvailableChallenges = %v, want %v", out.AvailableChallenges, want)
		}
		return out.Session
	}
	t.Run("EMAIL_OTP", func(t *testing.T) {
		out, err := e.respond(e.client, "SELECT_CHALLENGE", sel(t), map[string]string{"USERNAME": "alice", "ANSWER": "EMAIL_OTP"})
		if err != nil || out.ChallengeName != "EMAIL_OTP" || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "a***@e***" {
			t.Fatalf("select EMAIL_OTP: %+v, %v", out, err)
		}
		res, err := e.respond(e.client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": e.lastCode(e.pool)})
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("PASSWORD with the answer", func(t *testing.T) {
		res, err := e.respond(e.client, "SELECT_CHALLENGE", sel(t), map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": goodPassword})
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("PASSWORD then PASSWORD", func(t *testing.T) {
		out, err := e.respond(e.client, "SELECT_CHALLENGE", sel(t), map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD"})
		if err != nil || out.ChallengeName != "PASSWORD" {
			t.Fatalf("select PASSWORD: %+v, %v", out, err)
		}
		res, err := e.respond(e.client, "PASSWORD", out.Session, map[string]string{"USERNAME": "alice", "PASSWORD": goodPassword})
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("PASSWORD_SRP then PASSWORD_SRP", func(t *testing.T) {
		out, err := e.respond(e.client, "SELECT_CHALLENGE", sel(t), map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD_SRP"})
		if err != nil || out.ChallengeName != "PASSWORD_SRP" {
			t.Fatalf("select PASSWORD_SRP: %+v, %v", out, err)
		}
		csrp, _ := cognitosrp.NewCognitoSRP("alice", goodPassword, e.pool, e.client, nil)
		v, err := e.respond(e.client, "PASSWORD_SRP", out.Session, map[string]string{"USERNAME": "alice", "SRP_A": csrp.GetAuthParams()["SRP_A"]})
		if err != nil || v.ChallengeName != "PASSWORD_VERIFIER" {
			t.Fatalf("PASSWORD_SRP: %+v, %v", v, err)
		}
		res, err := e.srpAnswer(csrp, v.ChallengeParameters, v.Session)
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("answer not offered", func(t *testing.T) {
		session := sel(t)
		_, err := e.respond(e.client, "SELECT_CHALLENGE", session, map[string]string{"USERNAME": "alice", "ANSWER": "CUSTOM_CHALLENGE"})
		wantUserErr(t, err, "InvalidParameterException", "CUSTOM_CHALLENGE is not an available challenge for this user")
		// The session survives a choice the user can correct.
		res, err := e.respond(e.client, "SELECT_CHALLENGE", session, map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": goodPassword})
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("another user's session", func(t *testing.T) {
		_, err := e.respond(e.client, "SELECT_CHALLENGE", sel(t), map[string]string{"USERNAME": "bob", "ANSWER": "PASSWORD", "PASSWORD": goodPassword})
		wantUserErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("wrong challenge name for the session", func(t *testing.T) {
		_, err := e.respond(e.client, "EMAIL_OTP", sel(t), map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": "123456"})
		wantUserErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("WEB_AUTHN", func(t *testing.T) {
		_, err := e.respond(e.client, "SELECT_CHALLENGE", sel(t), map[string]string{"USERNAME": "alice", "ANSWER": "WEB_AUTHN"})
		wantUserErr(t, err, "InvalidParameterException", "WEB_AUTHN (passkey sign-in) is not supported by this Gatehouse version; use PASSWORD, PASSWORD_SRP, EMAIL_OTP or SMS_OTP")
	})
}

// One-time codes: single use, with a lifetime, counted toward the lockout.
func TestUserAuthOTPCodes(t *testing.T) {
	start := func(e *userAuthEnv) (session, code string) {
		out := e.mustInitiate(map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, "EMAIL_OTP")
		return out.Session, e.lastCode(e.pool)
	}
	answer := func(e *userAuthEnv, session, code string) (*RespondToAuthChallengeResponse, error) {
		return e.respond(e.client, "EMAIL_OTP", session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": code})
	}
	wrong := func(code string) string { return string(rune('0'+(code[0]-'0'+1)%10)) + code[1:] }
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, e *userAuthEnv)
	}{
		{"wrong code then right code", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			_, err := answer(e, session, wrong(code))
			wantUserErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
			res, err := answer(e, session, code)
			wantTokens(t, res.AuthenticationResult, err)
		}},
		{"expired code", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			e.clock.Advance(3*time.Minute + time.Second)
			_, err := answer(e, session, code)
			wantUserErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
		}},
		{"code within its lifetime", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			e.clock.Advance(3*time.Minute - time.Second)
			res, err := answer(e, session, code)
			wantTokens(t, res.AuthenticationResult, err)
		}},
		{"reused code and session", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			res, err := answer(e, session, code)
			wantTokens(t, res.AuthenticationResult, err)
			_, err = answer(e, session, code)
			wantUserErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
			session2, code2 := start(e)
			if code2 == code {
				t.Skip("the same code was drawn twice")
			}
			_, err = answer(e, session2, code)
			wantUserErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		}},
		{"a new code replaces the old", func(t *testing.T, e *userAuthEnv) {
			session1, code1 := start(e)
			_, code2 := start(e)
			if code1 == code2 {
				t.Skip("the same code was drawn twice")
			}
			_, err := answer(e, session1, code1)
			wantUserErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		}},
		{"wrong codes lock the user", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			for i := 0; i < 5; i++ {
				_, err := answer(e, session, wrong(code))
				wantUserErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
			}
			_, err := answer(e, session, code)
			wantUserErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
			// Locked: no new code is sent, and the password is refused too.
			n := len(e.messages(e.pool))
			_, err = e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
			wantUserErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
			if len(e.messages(e.pool)) != n {
				t.Fatal("a locked user was sent a code")
			}
			_, err = e.initiate(e.client, map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": goodPassword})
			wantUserErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
		}},
		{"missing code keeps the session", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			_, err := e.respond(e.client, "EMAIL_OTP", session, map[string]string{"USERNAME": "alice"})
			wantUserErr(t, err, "InvalidParameterException", "Missing required parameter EMAIL_OTP_CODE")
			res, err := answer(e, session, code)
			wantTokens(t, res.AuthenticationResult, err)
		}},
		{"code is hashed at rest", func(t *testing.T, e *userAuthEnv) {
			_, code := start(e)
			c, err := e.st.GetCode(e.ctx, e.pool, "alice", purposeOTPEmail)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(c.Hash), code) || len(c.Hash) != codeSaltLen+32 {
				t.Fatalf("stored code %x", c.Hash)
			}
		}},
		{"disabled user", func(t *testing.T, e *userAuthEnv) {
			session, code := start(e)
			if _, err := e.s.AdminDisableUser(e.ctx, &AdminDisableUserRequest{UserPoolId: e.pool, Username: "alice"}); err != nil {
				t.Fatal(err)
			}
			_, err := answer(e, session, code)
			wantUserErr(t, err, "NotAuthorizedException", "User is disabled.")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, newUserAuthEnv(t)) })
	}
}

func TestUserAuthUnknownUser(t *testing.T) {
	e := newUserAuthEnv(t)
	t.Run("ENABLED: SELECT_CHALLENGE offers what the pool allows", func(t *testing.T) {
		out := e.mustInitiate(map[string]string{"USERNAME": "nobody"}, "SELECT_CHALLENGE")
		if want := []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}; !slices.Equal(out.AvailableChallenges, want) {
			t.Fatalf("AvailableChallenges = %v", out.AvailableChallenges)
		}
		res, err := e.respond(e.client, "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "nobody", "ANSWER": "PASSWORD", "PASSWORD": goodPassword})
		if err == nil {
			t.Fatalf("signed in an unknown user: %+v", res)
		}
		wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("ENABLED: simulated EMAIL_OTP", func(t *testing.T) {
		n := len(e.messages(e.pool))
		out := e.mustInitiate(map[string]string{"USERNAME": "nobody@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, "EMAIL_OTP")
		if out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "n***@e***" || out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" {
			t.Fatalf("simulated parameters %v", out.ChallengeParameters)
		}
		if len(e.messages(e.pool)) != n {
			t.Fatal("a message was sent for an unknown user")
		}
		for i := 0; i < 5; i++ {
			_, err := e.respond(e.client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "nobody@example.com", "EMAIL_OTP_CODE": "123456"})
			wantUserErr(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		}
		_, err := e.respond(e.client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "nobody@example.com", "EMAIL_OTP_CODE": "123456"})
		wantUserErr(t, err, "NotAuthorizedException", "Password attempts exceeded")
	})
	t.Run("ENABLED: simulated SMS_OTP is stable per name", func(t *testing.T) {
		a := e.mustInitiate(map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": "SMS_OTP"}, "SMS_OTP")
		b := e.mustInitiate(map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": "SMS_OTP"}, "SMS_OTP")
		d := a.ChallengeParameters["CODE_DELIVERY_DESTINATION"]
		if !strings.HasPrefix(d, "+*******") || len(d) != 12 || d != b.ChallengeParameters["CODE_DELIVERY_DESTINATION"] {
			t.Fatalf("simulated destinations %q, %q", d, b.ChallengeParameters["CODE_DELIVERY_DESTINATION"])
		}
	})
	t.Run("ENABLED: simulated PASSWORD_SRP", func(t *testing.T) {
		csrp, _ := cognitosrp.NewCognitoSRP("nobody", goodPassword, e.pool, e.client, nil)
		params := csrp.GetAuthParams()
		params["PREFERRED_CHALLENGE"] = "PASSWORD_SRP"
		out, err := e.initiate(e.client, params)
		if err != nil || out.ChallengeName != "PASSWORD_VERIFIER" {
			t.Fatalf("simulated SRP: %+v, %v", out, err)
		}
		_, err = e.srpAnswer(csrp, out.ChallengeParameters, out.Session)
		wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("LEGACY", func(t *testing.T) {
		for _, pref := range []string{"", "EMAIL_OTP", "PASSWORD"} {
			_, err := e.initiate(e.legacy, map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": pref, "PASSWORD": goodPassword})
			wantUserErr(t, err, "UserNotFoundException", "User does not exist.")
		}
	})
}

func TestUserAuthRefusals(t *testing.T) {
	e := newUserAuthEnv(t, "PASSWORD")
	t.Run("flow not allowed by the client", func(t *testing.T) {
		_, err := e.initiate(e.noUserAuth, map[string]string{"USERNAME": "alice"})
		wantUserErr(t, err, "InvalidParameterException", "USER_AUTH flow not enabled for this client")
	})
	t.Run("factor not allowed by the pool", func(t *testing.T) {
		out := e.mustInitiate(map[string]string{"USERNAME": "alice", "PREFERRED_CHALLENGE": "EMAIL_OTP"}, "SELECT_CHALLENGE")
		if !slices.Equal(out.AvailableChallenges, []string{"PASSWORD", "PASSWORD_SRP"}) {
			t.Fatalf("AvailableChallenges = %v", out.AvailableChallenges)
		}
		_, err := e.respond(e.client, "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "alice", "ANSWER": "EMAIL_OTP"})
		wantUserErr(t, err, "InvalidParameterException", "EMAIL_OTP is not an available challenge for this user")
		_, err = e.respond(e.client, "EMAIL_OTP", out.Session, map[string]string{"USERNAME": "alice", "EMAIL_OTP_CODE": "123456"})
		wantUserErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("client with a secret", func(t *testing.T) {
		c := e.usersTestEnv.client(&CreateUserPoolClientRequest{UserPoolId: e.pool, GenerateSecret: ptr(true),
			ExplicitAuthFlows: []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
		_, err := e.initiate(c.ClientId, map[string]string{"USERNAME": "alice"})
		wantUserErr(t, err, "NotAuthorizedException", "Client "+c.ClientId+" is configured with secret but SECRET_HASH was not received")
		m := hmac.New(sha256.New, []byte(c.ClientSecret))
		m.Write([]byte("alice" + c.ClientId))
		hash := base64.StdEncoding.EncodeToString(m.Sum(nil))
		out, err := e.initiate(c.ClientId, map[string]string{"USERNAME": "alice", "SECRET_HASH": hash})
		if err != nil || out.ChallengeName != "SELECT_CHALLENGE" {
			t.Fatalf("with SECRET_HASH: %+v, %v", out, err)
		}
		_, err = e.respond(c.ClientId, "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": goodPassword})
		wantUserErr(t, err, "NotAuthorizedException", "Client "+c.ClientId+" is configured with secret but SECRET_HASH was not received")
		res, err := e.respond(c.ClientId, "SELECT_CHALLENGE", out.Session, map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD", "PASSWORD": goodPassword, "SECRET_HASH": hash})
		wantTokens(t, res.AuthenticationResult, err)
	})
	t.Run("missing USERNAME", func(t *testing.T) {
		_, err := e.initiate(e.client, map[string]string{})
		wantUserErr(t, err, "InvalidParameterException", "Missing required parameter USERNAME")
	})
	t.Run("bad session", func(t *testing.T) {
		_, err := e.respond(e.client, "SELECT_CHALLENGE", "not-a-session", map[string]string{"USERNAME": "alice", "ANSWER": "PASSWORD"})
		wantUserErr(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
}

// AdminInitiateAuth and AdminRespondToAuthChallenge run the same flow.
func TestUserAuthAdmin(t *testing.T) {
	e := newUserAuthEnv(t)
	out, err := e.s.AdminInitiateAuth(e.ctx, &AdminInitiateAuthRequest{UserPoolId: e.pool, ClientId: e.client, AuthFlow: "USER_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice"}})
	if err != nil || out.ChallengeName != "SELECT_CHALLENGE" || len(out.AvailableChallenges) != 4 {
		t.Fatalf("AdminInitiateAuth: %+v, %v", out, err)
	}
	sel, err := e.s.AdminRespondToAuthChallenge(e.ctx, &AdminRespondToAuthChallengeRequest{UserPoolId: e.pool, ClientId: e.client,
		ChallengeName: "SELECT_CHALLENGE", Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "alice", "ANSWER": "SMS_OTP"}})
	if err != nil || sel.ChallengeName != "SMS_OTP" {
		t.Fatalf("select SMS_OTP: %+v, %v", sel, err)
	}
	res, err := e.s.AdminRespondToAuthChallenge(e.ctx, &AdminRespondToAuthChallengeRequest{UserPoolId: e.pool, ClientId: e.client,
		ChallengeName: "SMS_OTP", Session: sel.Session, ChallengeResponses: map[string]string{"USERNAME": "alice", "SMS_OTP_CODE": e.lastCode(e.pool)}})
	wantTokens(t, res.AuthenticationResult, err)
}

func TestSignInPolicy(t *testing.T) {
	e := newUsersTestEnv(t)
	policy := func(f ...string) *UserPoolPolicyType {
		return &UserPoolPolicyType{SignInPolicy: &SignInPolicyType{AllowedFirstAuthFactors: f}}
	}
	for _, tc := range []struct {
		name    string
		in      *CreateUserPoolRequest
		typ     string
		message string
	}{
		{"without PASSWORD", &CreateUserPoolRequest{Policies: policy("EMAIL_OTP")},
			"InvalidParameterException", "SignInPolicy.AllowedFirstAuthFactors must include PASSWORD."},
		{"WEB_AUTHN", &CreateUserPoolRequest{Policies: policy("PASSWORD", "WEB_AUTHN")},
			"InvalidParameterException", "Gatehouse does not support WEB_AUTHN (passkeys) in SignInPolicy.AllowedFirstAuthFactors yet; remove it from the request"},
		{"unknown factor", &CreateUserPoolRequest{Policies: policy("PASSWORD", "TOTP")},
			"InvalidParameterException", "1 validation error detected: Value 'TOTP' at 'policies.signInPolicy.allowedFirstAuthFactors.member' failed to satisfy constraint: Member must satisfy enum value set: [PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN]"},
		{"LITE tier", &CreateUserPoolRequest{UserPoolTier: "LITE", Policies: policy("PASSWORD", "EMAIL_OTP")},
			"FeatureUnavailableInTierException", "SignInPolicy with EMAIL_OTP requires the ESSENTIALS or PLUS user pool tier."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.PoolName = "p"
			_, err := e.s.CreateUserPool(e.ctx, tc.in)
			wantUserErr(t, err, tc.typ, tc.message)
		})
	}
	id := e.pool(&CreateUserPoolRequest{Policies: policy("EMAIL_OTP", "PASSWORD", "EMAIL_OTP")})
	describe := func() []string {
		out, err := e.s.DescribeUserPool(e.ctx, &DescribeUserPoolRequest{UserPoolId: id})
		if err != nil {
			t.Fatal(err)
		}
		return out.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors
	}
	if got := describe(); !slices.Equal(got, []string{"EMAIL_OTP", "PASSWORD"}) {
		t.Fatalf("created with %v", got)
	}
	if _, err := e.s.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: id, Policies: policy("PASSWORD", "SMS_OTP")}); err != nil {
		t.Fatal(err)
	}
	if got := describe(); !slices.Equal(got, []string{"PASSWORD", "SMS_OTP"}) {
		t.Fatalf("updated to %v", got)
	}
	_, err := e.s.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: id, Policies: policy("SMS_OTP")})
	wantUserErr(t, err, "InvalidParameterException", "SignInPolicy.AllowedFirstAuthFactors must include PASSWORD.")
	_, err = e.s.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: id, UserPoolTier: "LITE", Policies: policy("PASSWORD", "SMS_OTP")})
	wantUserErr(t, err, "FeatureUnavailableInTierException", "SignInPolicy with SMS_OTP requires the ESSENTIALS or PLUS user pool tier.")
	// An update without the policy returns it to its default, as every omitted setting does.
	if _, err := e.s.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: id}); err != nil {
		t.Fatal(err)
	}
	if got := describe(); !slices.Equal(got, []string{"PASSWORD"}) {
		t.Fatalf("after an update without it: %v", got)
	}
}
