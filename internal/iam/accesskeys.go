package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
)

// MaxAccessKeysPerUser is IAM's quota of access keys per user, active or not (IAM User
// Guide, reference_iam-quotas.html: "Access keys assigned to an IAM user: 2").
const MaxAccessKeysPerUser = 2

// CreateAccessKey creates an active access key for a user (API_CreateAccessKey); without a
// name, for the user whose key signed the request. The secret is in the result only: it is
// stored sealed with the master key and never shown again.
func (a *API) CreateAccessKey(ctx context.Context, userName string) (*AccessKey, error) {
	userName, err := a.userOrCaller(ctx, userName)
	if err != nil {
		return nil, err
	}
	a.keyMu.Lock()
	defer a.keyMu.Unlock()
	u, keys, err := a.userKeys(ctx, userName)
	if err != nil {
		return nil, err
	}
	if len(keys) >= MaxAccessKeysPerUser {
		// Confirmed: "Cannot exceed quota for AccessKeysPerUser: 2".
		return nil, limitExceeded("Cannot exceed quota for AccessKeysPerUser: %d", MaxAccessKeysPerUser)
	}
	id, err := a.randomID("AKIA", 16)
	if err != nil {
		return nil, fmt.Errorf("iam: access key id: %w", err)
	}
	secret, err := a.newSecret()
	if err != nil {
		return nil, fmt.Errorf("iam: secret: %w", err)
	}
	sealed, err := a.master.Seal([]byte(secret), accessKeyAAD(id))
	if err != nil {
		return nil, fmt.Errorf("iam: seal secret: %w", err)
	}
	k := store.AccessKey{ID: id, UserName: u.Name, SecretSealed: sealed, Status: StatusActive, CreatedAt: a.timestamp()}
	if err := a.store.CreateAccessKey(ctx, k); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, noSuchUser(userName) // deleted meanwhile
		}
		return nil, err
	}
	return &AccessKey{UserName: u.Name, AccessKeyID: id, Status: StatusActive, SecretAccessKey: secret, CreateDate: k.CreatedAt}, nil
}

// ListAccessKeysInput is ListAccessKeys' request; UserName "" is the caller's user.
type ListAccessKeysInput struct {
	UserName string
	Marker   string
	MaxItems int
}

// ListAccessKeysOutput is ListAccessKeys' result.
type ListAccessKeysOutput struct {
	AccessKeyMetadata List[AccessKeyMetadata] `xml:"AccessKeyMetadata"`
	Paging
}

// ListAccessKeys lists a user's access keys, oldest first, without their secrets
// (API_ListAccessKeys). The marker is the last key id returned.
func (a *API) ListAccessKeys(ctx context.Context, in ListAccessKeysInput) (*ListAccessKeysOutput, error) {
	userName, err := a.userOrCaller(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	_, keys, err := a.userKeys(ctx, userName)
	if err != nil {
		return nil, err
	}
	if in.Marker != "" {
		for i, k := range keys {
			if k.ID == in.Marker {
				keys = keys[i+1:]
				break
			}
		}
	}
	maxItems := in.MaxItems
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}
	out := &ListAccessKeysOutput{}
	if len(keys) > maxItems {
		keys = keys[:maxItems]
		out.IsTruncated, out.Marker = true, keys[maxItems-1].ID
	}
	out.AccessKeyMetadata.Members = make([]AccessKeyMetadata, 0, len(keys))
	for _, k := range keys {
		out.AccessKeyMetadata.Members = append(out.AccessKeyMetadata.Members,
			AccessKeyMetadata{UserName: k.UserName, AccessKeyID: k.ID, Status: k.Status, CreateDate: k.CreatedAt.UTC()})
	}
	return out, nil
}

// UpdateAccessKey makes a key Active or Inactive (API_UpdateAccessKey). An inactive key is
// refused by Principals.Lookup within CacheTTL (at once on this node).
func (a *API) UpdateAccessKey(ctx context.Context, userName, accessKeyID, status string) error {
	if status != StatusActive && status != StatusInactive {
		// The model lists Expired, which is not a status a caller can set. Gatehouse's own
		// text.
		return invalidInput("Status must be Active or Inactive.")
	}
	k, err := a.ownKey(ctx, userName, accessKeyID)
	if err != nil {
		return err
	}
	if err := a.store.UpdateAccessKeyStatus(ctx, k.ID, status); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return noSuchAccessKey(accessKeyID)
		}
		return err
	}
	a.principals.Purge()
	return nil
}

// DeleteAccessKey deletes a key (API_DeleteAccessKey). Requests signed with it are refused
// within CacheTTL (at once on this node).
func (a *API) DeleteAccessKey(ctx context.Context, userName, accessKeyID string) error {
	k, err := a.ownKey(ctx, userName, accessKeyID)
	if err != nil {
		return err
	}
	if err := a.store.DeleteAccessKey(ctx, k.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return noSuchAccessKey(accessKeyID)
		}
		return err
	}
	a.principals.Purge()
	return nil
}

// ownKey finds the key of the user (the caller's user when userName is ""); a key of
// another user is as unknown as a missing one.
func (a *API) ownKey(ctx context.Context, userName, id string) (store.AccessKey, error) {
	userName, err := a.userOrCaller(ctx, userName)
	if err != nil {
		return store.AccessKey{}, err
	}
	u, err := a.getUser(ctx, userName)
	if err != nil {
		return store.AccessKey{}, err
	}
	k, err := a.store.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && !strings.EqualFold(k.UserName, u.Name) {
		return store.AccessKey{}, noSuchAccessKey(id)
	}
	return k, err
}

// userKeys returns the user of that name and its access keys, oldest first.
func (a *API) userKeys(ctx context.Context, userName string) (store.IAMUser, []store.AccessKey, error) {
	u, err := a.getUser(ctx, userName)
	if err != nil {
		return store.IAMUser{}, nil, err
	}
	keys, err := a.store.ListAccessKeys(ctx, u.Name)
	if err != nil {
		return store.IAMUser{}, nil, err
	}
	return u, keys, nil
}

// userOrCaller is userName, or when that is "" the name of the user whose access key signed
// the request.
func (a *API) userOrCaller(ctx context.Context, userName string) (string, error) {
	if userName != "" {
		return userName, nil
	}
	return a.callerUserName(ctx)
}
