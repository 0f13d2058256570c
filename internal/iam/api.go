package iam

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Store is what the IAM API and the principal resolver need of the store: roles and users
// with their inline policies and access keys.
type Store interface {
	store.Roles
	store.IAMUsers
}

// DefaultAccountID is the account Gatehouse answers as when none is configured (DESIGN.md).
const DefaultAccountID = "000000000000"

// APIConfig builds an API.
type APIConfig struct {
	Store  Store          // required
	Master *masterkey.Key // required: seals access keys' secrets
	// Principals resolves the caller of GetCallerIdentity, and of GetUser, CreateAccessKey,
	// ListAccessKeys, UpdateAccessKey and DeleteAccessKey without a UserName; the API also
	// empties its cache whenever it changes a key, a user, a role or a policy. Required.
	Principals *Principals
	// Authenticator, when set, authorises every request before its action runs (service
	// "iam" or "sts", the action, the parsed parameters) and names the verified caller; an
	// *awsapi.Error it returns is rendered as the XML error. Nil accepts every request, with
	// no caller: the actions that default to the caller then answer InvalidClientTokenId.
	Authenticator *Authenticator
	AccountID     string           // "": DefaultAccountID
	Region        string           // "": us-east-1
	Log           *slog.Logger     // nil: discard
	Now           func() time.Time // nil: time.Now
	Random        io.Reader        // nil: crypto/rand
	NewRequestID  func() string    // nil: random UUIDs
}

// API serves IAM's roles, users, access keys and inline policies, and STS's
// GetCallerIdentity: as Go methods, and over the query protocol as an http.Handler
// (ServeHTTP).
type API struct {
	store      Store
	master     *masterkey.Key
	principals *Principals
	auth       *Authenticator
	account    string
	region     string
	log        *slog.Logger
	now        func() time.Time
	random     io.Reader
	newID      func() string

	// keyMu serialises CreateAccessKey's count-then-insert within this process, so that two
	// concurrent calls cannot give a user a third key. (Across nodes sharing a database the
	// store offers no such guard; see docs/iam-api.md.)
	keyMu sync.Mutex
}

// NewAPI returns an API for cfg.
func NewAPI(cfg APIConfig) (*API, error) {
	if cfg.Store == nil || cfg.Master == nil || cfg.Principals == nil {
		return nil, errors.New("iam: APIConfig.Store, Master and Principals are required")
	}
	a := &API{
		store: cfg.Store, master: cfg.Master, principals: cfg.Principals, auth: cfg.Authenticator,
		account: cfg.AccountID, region: cfg.Region, log: cfg.Log, now: cfg.Now, random: cfg.Random, newID: cfg.NewRequestID,
	}
	if a.account == "" {
		a.account = DefaultAccountID
	}
	if a.region == "" {
		a.region = "us-east-1"
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.random == nil {
		a.random = rand.Reader
	}
	if a.newID == nil {
		a.newID = uuid.NewString
	}
	return a, nil
}

// AccountID is the account the API answers as.
func (a *API) AccountID() string { return a.account }

// timestamp is the clock truncated to what the store keeps (milliseconds), in UTC.
func (a *API) timestamp() time.Time { return a.now().UTC().Truncate(time.Millisecond) }

// Unique ids (IAM User Guide, "IAM identifiers", unique identifiers: "AROA" role, "AIDA"
// user, "AKIA" access key), spelled after the prefix in A–Z and 2–7 like AWS's.

func (a *API) randomID(prefix string, n int) (string, error) {
	buf := make([]byte, (n*5+7)/8)
	if _, err := io.ReadFull(a.random, buf); err != nil {
		return "", err
	}
	return prefix + keyEncoding.EncodeToString(buf)[:n], nil
}

// newSecret is a 40-character secret access key, as AWS's are.
func (a *API) newSecret() (string, error) {
	buf := make([]byte, 30)
	if _, err := io.ReadFull(a.random, buf); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(buf), nil
}

// ARNs (IAM User Guide, "IAM identifiers", IAM ARNs).

func roleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + path + name
}

func userARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":user" + path + name
}

func assumedRoleARN(account, role, session string) string {
	return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session
}

// accessKeyAAD binds a sealed long-term secret to its access key id.
func accessKeyAAD(id string) []byte { return []byte("gatehouse/access-key/" + id) }
