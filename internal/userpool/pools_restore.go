package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// poolIDPattern is AWS's UserPoolIdType pattern (service model), anchored.
var poolIDPattern = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)

// restorePool recreates a pool under a given id from an exported configuration (import of a
// "gatehouse users export" file into a pool that no longer exists). AWS has no such call; it is
// what lets a pool move between installations with its id, so that app configuration, token
// issuers and SRP verifiers (bound to the pool's name) stay valid.
func (s *Service) restorePool(ctx context.Context, id, name string, specDoc json.RawMessage) (*pool, error) {
	if !poolIDPattern.MatchString(id) || len(id) > 55 {
		return nil, awsapi.InvalidParameter("the file names pool id %q, which is not a user pool id", id)
	}
	if name == "" || len(name) > 128 {
		return nil, awsapi.InvalidParameter("the file's pool name must be 1 to 128 characters")
	}
	var spec UserPoolType
	if err := json.Unmarshal(specDoc, &spec); err != nil {
		return nil, awsapi.InvalidParameter("the file's pool configuration is not valid: %v", err)
	}
	if err := validateSignInAttributes(spec.UsernameAttributes, spec.AliasAttributes); err != nil {
		return nil, err
	}
	// The configuration is an export of a pool as stored, defaults filled in; CreateUserPool's
	// request checks (which refuse some combinations of those defaults as input) do not apply,
	// but the password policy must still be one Gatehouse can enforce.
	if pol := spec.Policies; pol != nil && pol.PasswordPolicy != nil && pol.PasswordPolicy.MinimumLength != nil {
		if n := *pol.PasswordPolicy.MinimumLength; n < 6 || n > 99 {
			return nil, awsapi.InvalidParameter("the file's password policy MinimumLength %d is outside 6 to 99", n)
		}
	}
	applyPoolDefaults(&spec)
	raw, err := encodePoolSpec(spec)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	rec := store.UserPool{ID: id, Name: name, CreatedAt: now, UpdatedAt: now, Spec: raw, Uniqueness: (&pool{spec: spec}).uniqueness()}
	if err := s.store.CreateUserPool(ctx, rec); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return s.loadPool(ctx, id)
		}
		return nil, fmt.Errorf("recreate pool %s: %w", id, err)
	}
	if err := s.tokens.EnsureKeys(ctx, id); err != nil {
		return nil, fmt.Errorf("create signing keys of pool %s: %w", id, err)
	}
	return decodePool(rec)
}
