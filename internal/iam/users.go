package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
)

// CreateUser creates a user (API_CreateUser); path "" is "/". Tags and
// PermissionsBoundary are not supported.
func (a *API) CreateUser(ctx context.Context, userName, path string) (*User, error) {
	if path == "" {
		path = "/"
	}
	id, err := a.randomID("AIDA", 17)
	if err != nil {
		return nil, fmt.Errorf("iam: user id: %w", err)
	}
	u := store.IAMUser{Name: userName, ID: id, ARN: userARN(a.account, path, userName), Path: path, CreatedAt: a.timestamp()}
	if err := a.store.CreateIAMUser(ctx, u); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return nil, entityAlreadyExists("User", userName)
		}
		return nil, err
	}
	return userOut(u), nil
}

// GetUser returns a user (API_GetUser); without a name, the user whose access key signed
// the request (WithCaller).
func (a *API) GetUser(ctx context.Context, userName string) (*User, error) {
	userName, err := a.userOrCaller(ctx, userName)
	if err != nil {
		return nil, err
	}
	u, err := a.getUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	return userOut(u), nil
}

func (a *API) getUser(ctx context.Context, name string) (store.IAMUser, error) {
	u, err := a.store.GetIAMUser(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return store.IAMUser{}, noSuchUser(name)
	}
	return u, err
}

// ListUsersOutput is ListUsers' result.
type ListUsersOutput struct {
	Users List[User] `xml:"Users"`
	Paging
}

// ListUsers lists users ordered by name, those whose path starts with PathPrefix
// (API_ListUsers).
func (a *API) ListUsers(ctx context.Context, in ListInput) (*ListUsersOutput, error) {
	users, next, err := pageOf(ctx, in.Marker, in.MaxItems,
		func(ctx context.Context, after string, limit int) ([]store.IAMUser, error) {
			return a.store.ListIAMUsers(ctx, store.Page{After: after, Limit: limit})
		},
		func(u store.IAMUser) string { return strings.ToLower(u.Name) },
		func(u store.IAMUser) bool { return strings.HasPrefix(u.Path, in.PathPrefix) })
	if err != nil {
		return nil, err
	}
	out := &ListUsersOutput{Paging: Paging{IsTruncated: next != "", Marker: next}}
	out.Users.Members = make([]User, 0, len(users))
	for _, u := range users {
		out.Users.Members = append(out.Users.Members, *userOut(u))
	}
	return out, nil
}

// DeleteUser deletes a user that has no access keys and no inline policies left
// (API_DeleteUser).
func (a *API) DeleteUser(ctx context.Context, userName string) error {
	err := a.store.DeleteIAMUser(ctx, userName)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return noSuchUser(userName)
	case errors.Is(err, store.ErrInUse):
		// IAM names one kind of dependent; which it names first when there are both is not
		// documented: access keys here (the order of API_DeleteUser's list of what to delete).
		keys, kerr := a.store.ListAccessKeys(ctx, userName)
		if kerr != nil {
			return kerr
		}
		if len(keys) > 0 {
			return deleteConflict("access keys")
		}
		return deleteConflict("policies")
	case err != nil:
		return err
	}
	a.principals.Purge()
	return nil
}

func userOut(u store.IAMUser) *User {
	return &User{Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN, CreateDate: u.CreatedAt.UTC()}
}
