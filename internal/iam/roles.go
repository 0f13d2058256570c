package iam

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
)

// DefaultSessionDuration is the MaxSessionDuration CreateRole sets when it is not given, in
// seconds ("the default value of one hour", API_CreateRole). The model bounds the member to
// 3600–43200 (roleMaxSessionDurationType).
const DefaultSessionDuration = 3600

// CreateRoleInput is CreateRole's request (API_CreateRole). Tags and PermissionsBoundary
// are not supported.
type CreateRoleInput struct {
	RoleName                 string
	Path                     string // "": "/"
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       int // 0: DefaultSessionDuration
}

// CreateRole creates a role (API_CreateRole).
func (a *API) CreateRole(ctx context.Context, in CreateRoleInput) (*Role, error) {
	if err := checkTrustPolicy(in.AssumeRolePolicyDocument); err != nil {
		return nil, err
	}
	path := in.Path
	if path == "" {
		path = "/"
	}
	duration := in.MaxSessionDuration
	if duration == 0 {
		duration = DefaultSessionDuration
	}
	id, err := a.randomID("AROA", 17)
	if err != nil {
		return nil, fmt.Errorf("iam: role id: %w", err)
	}
	r := store.Role{
		Name: in.RoleName, ID: id, ARN: roleARN(a.account, path, in.RoleName), Path: path,
		Description: in.Description, AssumeRolePolicy: in.AssumeRolePolicyDocument,
		MaxSessionDuration: duration, CreatedAt: a.timestamp(),
	}
	if err := a.store.CreateRole(ctx, r); err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return nil, entityAlreadyExists("Role", in.RoleName)
		}
		return nil, err
	}
	return roleOut(r), nil
}

// GetRole returns a role (API_GetRole), found whatever the case of its name.
func (a *API) GetRole(ctx context.Context, roleName string) (*Role, error) {
	r, err := a.getRole(ctx, roleName)
	if err != nil {
		return nil, err
	}
	return roleOut(r), nil
}

func (a *API) getRole(ctx context.Context, name string) (store.Role, error) {
	r, err := a.store.GetRole(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return store.Role{}, noSuchRole(name)
	}
	return r, err
}

// ListInput is the request of the List… actions: an optional PathPrefix (ListRoles,
// ListUsers), Marker and MaxItems (1–1000, 0: DefaultMaxItems).
type ListInput struct {
	PathPrefix string
	Marker     string
	MaxItems   int
}

// ListRolesOutput is ListRoles' result.
type ListRolesOutput struct {
	Roles List[Role] `xml:"Roles"`
	Paging
}

// ListRoles lists roles ordered by name, those whose path starts with PathPrefix
// (API_ListRoles). As IAM does, it leaves out each role's trust policy and description.
func (a *API) ListRoles(ctx context.Context, in ListInput) (*ListRolesOutput, error) {
	roles, next, err := pageOf(ctx, in.Marker, in.MaxItems,
		func(ctx context.Context, after string, limit int) ([]store.Role, error) {
			return a.store.ListRoles(ctx, store.Page{After: after, Limit: limit})
		},
		func(r store.Role) string { return strings.ToLower(r.Name) },
		func(r store.Role) bool { return strings.HasPrefix(r.Path, in.PathPrefix) })
	if err != nil {
		return nil, err
	}
	out := &ListRolesOutput{Paging: Paging{IsTruncated: next != "", Marker: next}}
	out.Roles.Members = make([]Role, 0, len(roles))
	for _, r := range roles {
		o := roleOut(r)
		o.AssumeRolePolicyDocument, o.Description = "", ""
		out.Roles.Members = append(out.Roles.Members, *o)
	}
	return out, nil
}

// UpdateRoleInput is UpdateRole's request: a nil Description or a zero MaxSessionDuration
// leaves it as it is; an empty Description clears it.
type UpdateRoleInput struct {
	RoleName           string
	Description        *string
	MaxSessionDuration int
}

// UpdateRole changes a role's description or maximum session duration (API_UpdateRole).
func (a *API) UpdateRole(ctx context.Context, in UpdateRoleInput) error {
	return a.updateRole(ctx, in.RoleName, func(r *store.Role) {
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != 0 {
			r.MaxSessionDuration = in.MaxSessionDuration
		}
	})
}

// UpdateAssumeRolePolicy replaces a role's trust policy (API_UpdateAssumeRolePolicy).
func (a *API) UpdateAssumeRolePolicy(ctx context.Context, roleName, policyDocument string) error {
	if err := checkTrustPolicy(policyDocument); err != nil {
		return err
	}
	return a.updateRole(ctx, roleName, func(r *store.Role) { r.AssumeRolePolicy = policyDocument })
}

func (a *API) updateRole(ctx context.Context, name string, change func(*store.Role)) error {
	err := a.store.UpdateRole(ctx, name, func(old store.Role) (store.Role, error) {
		change(&old)
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return noSuchRole(name)
	}
	return err
}

// DeleteRole deletes a role that has no inline policies left (API_DeleteRole).
// Temporary credentials minted for it keep working until they expire, with no policies:
// everything they ask is denied.
func (a *API) DeleteRole(ctx context.Context, roleName string) error {
	err := a.store.DeleteRole(ctx, roleName)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return noSuchRole(roleName)
	case errors.Is(err, store.ErrInUse):
		return deleteConflict("policies")
	case err != nil:
		return err
	}
	a.principals.Purge()
	return nil
}

func roleOut(r store.Role) *Role {
	return &Role{
		Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN, CreateDate: r.CreatedAt.UTC(),
		AssumeRolePolicyDocument: PolicyDocument(r.AssumeRolePolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration,
	}
}
