package iam

import (
	"context"
	"errors"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Inline policies of roles (PutRolePolicy, GetRolePolicy, ListRolePolicies,
// DeleteRolePolicy) and of users (PutUserPolicy, …) share one flow; policyOwner is what
// differs.
type policyOwner struct {
	kind     string // "role" or "user", as in IAM's quota message
	quota    int
	resolve  func(ctx context.Context, name string) (string, error) // the owner's own spelling, or NoSuchEntity
	noPolicy func(owner, policyName string) *awsapi.Error
	put      func(ctx context.Context, owner string, p store.InlinePolicy) error
	get      func(ctx context.Context, owner, policyName string) (store.InlinePolicy, error)
	list     func(ctx context.Context, owner string, page store.Page) ([]store.InlinePolicy, error)
	del      func(ctx context.Context, owner, policyName string) error
}

func (a *API) roleOwner() *policyOwner {
	return &policyOwner{
		kind: "role", quota: MaxRoleInlinePolicyChars,
		resolve: func(ctx context.Context, name string) (string, error) {
			r, err := a.getRole(ctx, name)
			return r.Name, err
		},
		noPolicy: noSuchRolePolicy,
		put:      a.store.PutRolePolicy, get: a.store.GetRolePolicy, list: a.store.ListRolePolicies, del: a.store.DeleteRolePolicy,
	}
}

func (a *API) userOwner() *policyOwner {
	return &policyOwner{
		kind: "user", quota: MaxUserInlinePolicyChars,
		resolve: func(ctx context.Context, name string) (string, error) {
			u, err := a.getUser(ctx, name)
			return u.Name, err
		},
		noPolicy: noSuchUserPolicy,
		put:      a.store.PutUserPolicy, get: a.store.GetUserPolicy, list: a.store.ListUserPolicies, del: a.store.DeleteUserPolicy,
	}
}

// PolicyInput names an inline policy; PolicyDocument is set for the Put… actions.
type PolicyInput struct {
	OwnerName      string // RoleName or UserName
	PolicyName     string
	PolicyDocument string
}

func (a *API) putPolicy(ctx context.Context, o *policyOwner, in PolicyInput) error {
	owner, err := o.resolve(ctx, in.OwnerName)
	if err != nil {
		return err
	}
	if _, err := checkIdentityPolicy(in.PolicyDocument); err != nil {
		return err
	}
	var others []string
	_, _, err = pageOf(ctx, "", 1000, func(ctx context.Context, after string, limit int) ([]store.InlinePolicy, error) {
		return o.list(ctx, owner, store.Page{After: after, Limit: limit})
	}, func(p store.InlinePolicy) string { return p.Name }, func(p store.InlinePolicy) bool {
		if p.Name != in.PolicyName {
			others = append(others, p.Document)
		}
		return false
	})
	if err != nil {
		return err
	}
	if qerr := inlineQuota(others, in.PolicyDocument, o.quota, o.kind, owner); qerr != nil {
		return qerr
	}
	err = o.put(ctx, owner, store.InlinePolicy{Name: in.PolicyName, Document: in.PolicyDocument})
	if errors.Is(err, store.ErrNotFound) {
		_, err = o.resolve(ctx, in.OwnerName) // deleted meanwhile
	}
	if err != nil {
		return err
	}
	a.principals.Purge()
	return nil
}

// InlinePolicyOutput is GetRolePolicy's and GetUserPolicy's result: the owner's name is in
// RoleName or UserName (the other stays empty and is not rendered).
type InlinePolicyOutput struct {
	RoleName       string         `xml:"RoleName,omitempty"`
	UserName       string         `xml:"UserName,omitempty"`
	PolicyName     string         `xml:"PolicyName"`
	PolicyDocument PolicyDocument `xml:"PolicyDocument"`
}

func (a *API) getPolicy(ctx context.Context, o *policyOwner, in PolicyInput) (*InlinePolicyOutput, error) {
	owner, err := o.resolve(ctx, in.OwnerName)
	if err != nil {
		return nil, err
	}
	p, err := o.get(ctx, owner, in.PolicyName)
	if errors.Is(err, store.ErrNotFound) {
		return nil, o.noPolicy(owner, in.PolicyName)
	}
	if err != nil {
		return nil, err
	}
	out := &InlinePolicyOutput{PolicyName: p.Name, PolicyDocument: PolicyDocument(p.Document)}
	if o.kind == "role" {
		out.RoleName = owner
	} else {
		out.UserName = owner
	}
	return out, nil
}

// ListPoliciesOutput is ListRolePolicies' and ListUserPolicies' result.
type ListPoliciesOutput struct {
	PolicyNames List[string] `xml:"PolicyNames"`
	Paging
}

func (a *API) listPolicies(ctx context.Context, o *policyOwner, owner string, in ListInput) (*ListPoliciesOutput, error) {
	name, err := o.resolve(ctx, owner)
	if err != nil {
		return nil, err
	}
	ps, next, err := pageOf(ctx, in.Marker, in.MaxItems, func(ctx context.Context, after string, limit int) ([]store.InlinePolicy, error) {
		return o.list(ctx, name, store.Page{After: after, Limit: limit})
	}, func(p store.InlinePolicy) string { return p.Name }, nil)
	if err != nil {
		return nil, err
	}
	out := &ListPoliciesOutput{Paging: Paging{IsTruncated: next != "", Marker: next}}
	out.PolicyNames.Members = make([]string, 0, len(ps))
	for _, p := range ps {
		out.PolicyNames.Members = append(out.PolicyNames.Members, p.Name)
	}
	return out, nil
}

func (a *API) deletePolicy(ctx context.Context, o *policyOwner, in PolicyInput) error {
	owner, err := o.resolve(ctx, in.OwnerName)
	if err != nil {
		return err
	}
	err = o.del(ctx, owner, in.PolicyName)
	if errors.Is(err, store.ErrNotFound) {
		return o.noPolicy(owner, in.PolicyName)
	}
	if err != nil {
		return err
	}
	a.principals.Purge()
	return nil
}

// PutRolePolicy creates or replaces an inline policy of a role (API_PutRolePolicy).
func (a *API) PutRolePolicy(ctx context.Context, roleName, policyName, policyDocument string) error {
	return a.putPolicy(ctx, a.roleOwner(), PolicyInput{roleName, policyName, policyDocument})
}

// GetRolePolicy returns an inline policy of a role (API_GetRolePolicy).
func (a *API) GetRolePolicy(ctx context.Context, roleName, policyName string) (*InlinePolicyOutput, error) {
	return a.getPolicy(ctx, a.roleOwner(), PolicyInput{OwnerName: roleName, PolicyName: policyName})
}

// ListRolePolicies lists the names of a role's inline policies (API_ListRolePolicies).
func (a *API) ListRolePolicies(ctx context.Context, roleName string, in ListInput) (*ListPoliciesOutput, error) {
	return a.listPolicies(ctx, a.roleOwner(), roleName, in)
}

// DeleteRolePolicy deletes an inline policy of a role (API_DeleteRolePolicy).
func (a *API) DeleteRolePolicy(ctx context.Context, roleName, policyName string) error {
	return a.deletePolicy(ctx, a.roleOwner(), PolicyInput{OwnerName: roleName, PolicyName: policyName})
}

// PutUserPolicy creates or replaces an inline policy of a user (API_PutUserPolicy).
func (a *API) PutUserPolicy(ctx context.Context, userName, policyName, policyDocument string) error {
	return a.putPolicy(ctx, a.userOwner(), PolicyInput{userName, policyName, policyDocument})
}

// GetUserPolicy returns an inline policy of a user (API_GetUserPolicy).
func (a *API) GetUserPolicy(ctx context.Context, userName, policyName string) (*InlinePolicyOutput, error) {
	return a.getPolicy(ctx, a.userOwner(), PolicyInput{OwnerName: userName, PolicyName: policyName})
}

// ListUserPolicies lists the names of a user's inline policies (API_ListUserPolicies).
func (a *API) ListUserPolicies(ctx context.Context, userName string, in ListInput) (*ListPoliciesOutput, error) {
	return a.listPolicies(ctx, a.userOwner(), userName, in)
}

// DeleteUserPolicy deletes an inline policy of a user (API_DeleteUserPolicy).
func (a *API) DeleteUserPolicy(ctx context.Context, userName, policyName string) error {
	return a.deletePolicy(ctx, a.userOwner(), PolicyInput{OwnerName: userName, PolicyName: policyName})
}
