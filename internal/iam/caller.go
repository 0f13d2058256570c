package iam

import (
	"context"
	"errors"

	"github.com/gatehouse/gatehouse/internal/sigv4"
)

type callerKey struct{}

// WithCaller returns ctx saying that the request was signed with accessKeyID: what
// GetCallerIdentity reports, and whose user GetUser, CreateAccessKey, ListAccessKeys,
// UpdateAccessKey and DeleteAccessKey default to. ServeHTTP sets it to the access key the
// Authenticator verified; Go callers set it themselves.
func WithCaller(ctx context.Context, accessKeyID string) context.Context {
	return context.WithValue(ctx, callerKey{}, accessKeyID)
}

// caller resolves the principal behind the request's access key. No key, or one that does
// not resolve, is InvalidClientTokenId.
func (a *API) caller(ctx context.Context) (*Principal, error) {
	id, _ := ctx.Value(callerKey{}).(string)
	if id == "" {
		return nil, invalidClientTokenID()
	}
	p, err := a.principals.Resolve(ctx, id)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		return nil, invalidClientTokenID()
	}
	return p, err
}

func (a *API) callerUserName(ctx context.Context) (string, error) {
	p, err := a.caller(ctx)
	if err != nil {
		return "", err
	}
	if p.Type != PrincipalUser {
		return "", nonUserCaller()
	}
	return p.UserName, nil
}
