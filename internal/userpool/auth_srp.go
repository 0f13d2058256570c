package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/big"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool/srp"
)

// USER_SRP_AUTH and its PASSWORD_VERIFIER challenge, as amazon-cognito-identity-js and Amplify
// run them (API reference: InitiateAuth, RespondToAuthChallenge; developer guide:
// amazon-cognito-user-pools-authentication-flow, "SRP"). The math lives in package srp.
//
// The server's half of the handshake (its secret b, A, B, the verifier) is kept in a
// single-use challenge session, sealed with the master key and looked up by the hash of the
// SECRET_BLOCK the client must send back. Nothing about it is in memory, so any node sharing
// the store can answer the second step.

// srpSession is the stored state between the two SRP steps.
type srpSession struct {
	// UserID is USER_ID_FOR_SRP: the username the verifier is bound to (for an unknown user,
	// the name typed, so the simulated answer is consistent).
	UserID string `json:"UserID"`
	// Fake marks a simulated challenge for an unknown user (PreventUserExistenceErrors).
	Fake bool `json:"Fake,omitempty"`
	// Sealed is the srp.Session, sealed with the master key.
	Sealed []byte `json:"Sealed"`
}

func srpSessionAAD(hash []byte) []byte { return []byte("srp-session/" + hex.EncodeToString(hash)) }

// srpStart answers USER_SRP_AUTH with PASSWORD_VERIFIER.
func (s *Service) srpStart(ctx context.Context, p *pool, c *client, params map[string]string) (*authOutcome, error) {
	if err := requireFlow(c, "USER_SRP_AUTH"); err != nil {
		return nil, err
	}
	username, srpA := params["USERNAME"], params["SRP_A"]
	if username == "" {
		return nil, missingParam("USERNAME")
	}
	if srpA == "" {
		return nil, missingParam("SRP_A")
	}
	if c.secret != "" {
		if err := s.checkSecretHash(c, username, params["SECRET_HASH"]); err != nil {
			return nil, err
		}
	}
	return s.srpBegin(ctx, p, c, username, srpA)
}

// signInUser finds the user a sign-in names. An unknown user is UserNotFoundException, unless
// the client prevents user existence errors: then known is false and the flow goes on with
// a simulated user, so that the answer does not tell.
func (s *Service) signInUser(ctx context.Context, p *pool, c *client, username string) (u store.User, known bool, err error) {
	u, err = s.findUser(ctx, p, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.User{}, false, err
	}
	known = err == nil
	if !known && !c.preventUserExistenceErrors() {
		return store.User{}, false, errUserNotFound()
	}
	return u, known, nil
}

// srpBegin answers SRP_A with PASSWORD_VERIFIER once the flow, the parameters and the secret
// hash have been checked: USER_SRP_AUTH and USER_AUTH's PASSWORD_SRP challenge share it.
func (s *Service) srpBegin(ctx context.Context, p *pool, c *client, username, srpA string) (*authOutcome, error) {
	u, known, err := s.signInUser(ctx, p, c, username)
	if err != nil {
		return nil, err
	}
	var (
		sess   *srp.Session
		out    srp.ChallengeOut
		userID = username
	)
	salt, verifier, hasVerifier := []byte(nil), []byte(nil), false
	if known {
		userID = u.Username
		if salt, verifier, hasVerifier, err = s.srpVerifier(u); err != nil {
			return nil, err
		}
		if !hasVerifier && u.PasswordHash == "" && u.Status == "RESET_REQUIRED" {
			return nil, errPasswordResetRequired() // imported without a password
		}
	}
	if hasVerifier {
		sess, out, err = srp.Challenge(s.rand, srp.Verifier{Salt: salt, V: new(big.Int).SetBytes(verifier)}, srpA)
	} else {
		// An unknown user (or one without a password) gets a challenge that looks real and is
		// stable per name, and can never be answered.
		sess, out, err = srp.FakeChallenge(s.rand, s.master.Derive("srp-fake-users"), p.rec.ID, p.usernameKey(userID), srpA)
	}
	if errors.Is(err, srp.ErrInvalidA) {
		return nil, awsapi.InvalidParameter("Invalid SRP_A value.")
	}
	if err != nil {
		return nil, err
	}
	secretBlock, err := s.storeSRPSession(ctx, p, c, u.UsernameKey, userID, !hasVerifier, sess)
	if err != nil {
		return nil, err
	}
	return &authOutcome{challenge: "PASSWORD_VERIFIER", params: map[string]string{
		"SALT": out.SaltHex, "SRP_B": out.SRPBHex, "SECRET_BLOCK": secretBlock,
		"USERNAME": userID, "USER_ID_FOR_SRP": userID,
	}}, nil
}

// storeSRPSession keeps the handshake state and returns the SECRET_BLOCK naming it: 96 random
// bytes in padded standard base64 (what the Go and JS clients decode).
func (s *Service) storeSRPSession(ctx context.Context, p *pool, c *client, usernameKey, userID string, fake bool, sess *srp.Session) (string, error) {
	raw := make([]byte, 96)
	if _, err := io.ReadFull(s.rand, raw); err != nil {
		return "", err
	}
	block := base64.StdEncoding.EncodeToString(raw)
	hash := sha256.Sum256([]byte(block))
	state, err := sess.MarshalBinary()
	if err != nil {
		return "", err
	}
	sealed, err := s.master.Seal(state, srpSessionAAD(hash[:]))
	if err != nil {
		return "", err
	}
	data, err := json.Marshal(srpSession{UserID: userID, Fake: fake, Sealed: sealed})
	if err != nil {
		return "", err
	}
	now := s.nowUTC()
	err = s.store.CreateAuthSession(ctx, store.AuthSession{
		Hash: hash[:], PoolID: p.rec.ID, ClientID: c.rec.ID, UsernameKey: usernameKey,
		Challenge: "PASSWORD_VERIFIER", Data: data,
		ExpiresAt: now.Add(c.authSessionValidity()), CreatedAt: now,
	})
	return block, err
}

// srpVerify answers PASSWORD_VERIFIER: the client's signature proves the password. A wrong
// proof counts toward the lockout like a wrong password, and answers the same.
func (s *Service) srpVerify(ctx context.Context, p *pool, c *client, resp map[string]string) (*authOutcome, error) {
	username := resp["USERNAME"]
	if username == "" {
		return nil, missingParam("USERNAME")
	}
	block, sig, ts := resp["PASSWORD_CLAIM_SECRET_BLOCK"], resp["PASSWORD_CLAIM_SIGNATURE"], resp["TIMESTAMP"]
	for name, v := range map[string]string{"PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts} {
		if v == "" {
			return nil, missingParam(name)
		}
	}
	if _, err := srp.ParseTimestamp(ts); err != nil {
		return nil, awsapi.InvalidParameter("%s", srp.TimestampFormatMessage)
	}
	if c.secret != "" {
		if err := s.checkSecretHash(c, username, resp["SECRET_HASH"]); err != nil {
			return nil, err
		}
	}
	if len(block) > 4096 || len(sig) > 512 {
		return nil, errIncorrectCredentials()
	}
	hash := sha256.Sum256([]byte(block))
	rec, err := s.store.ConsumeAuthSession(ctx, hash[:])
	if errors.Is(err, store.ErrNotFound) {
		return nil, errIncorrectCredentials()
	}
	if err != nil {
		return nil, err
	}
	if !s.nowUTC().Before(rec.ExpiresAt) || rec.PoolID != p.rec.ID || rec.ClientID != c.rec.ID || rec.Challenge != "PASSWORD_VERIFIER" {
		return nil, errInvalidSession()
	}
	var st srpSession
	if err := json.Unmarshal(rec.Data, &st); err != nil {
		return nil, err
	}
	state, err := s.master.Open(st.Sealed, srpSessionAAD(hash[:]))
	if err != nil {
		return nil, err
	}
	sess := new(srp.Session)
	if err := sess.UnmarshalBinary(state); err != nil {
		return nil, err
	}
	blockBytes, err := base64.StdEncoding.DecodeString(block)
	if err != nil {
		return nil, errIncorrectCredentials()
	}
	ok, verr := sess.Verify(srp.PoolName(p.rec.ID), st.UserID, blockBytes, ts, sig)
	if verr != nil && !errors.Is(verr, srp.ErrInvalidSignature) {
		if errors.Is(verr, srp.ErrInvalidTimestamp) {
			return nil, awsapi.InvalidParameter("%s", srp.TimestampFormatMessage)
		}
		return nil, verr
	}
	if st.Fake || rec.UsernameKey == "" {
		return nil, errIncorrectCredentials()
	}
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.UsernameKey != rec.UsernameKey) {
		return nil, errIncorrectCredentials()
	}
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	if now.Before(u.LockedUntil) {
		return nil, errAttemptsExceeded()
	}
	if !ok {
		if err := s.recordFailure(ctx, p, u.UsernameKey, now); err != nil {
			return nil, err
		}
		return nil, errIncorrectCredentials()
	}
	if err := s.admit(ctx, p, &u); err != nil {
		return nil, err
	}
	return s.afterPassword(ctx, p, c, u)
}
