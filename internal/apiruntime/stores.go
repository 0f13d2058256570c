package apiruntime

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/store"
)

// GroupRoles reads a group's role from the store, for COGNITO_GROUP_POLICY's rolesFromGroups.
type GroupRoles struct{ Groups store.Groups }

// GroupRoleARN returns the role ARN of the group, "" when the group does not exist or has none.
func (s GroupRoles) GroupRoleARN(ctx context.Context, poolID, group string) (string, error) {
	g, err := s.Groups.GetGroup(ctx, poolID, group)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return g.RoleArn, nil
}

// RolePolicies reads a role's inline policies from the store, by the role name at the end
// of its ARN (arn:aws:iam::{account}:role/{path}{name}). The stored role must have that very
// ARN: a role of the same name under another path or account is another role.
type RolePolicies struct{ Roles store.Roles }

// InlinePolicies returns the role's inline policies; found is false when no stored role
// has the ARN.
func (s RolePolicies) InlinePolicies(ctx context.Context, arn string) (docs []authorizer.PolicyDocument, found bool, err error) {
	i := strings.LastIndexByte(arn, '/')
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":role/") || i < 0 || i == len(arn)-1 {
		return nil, false, nil
	}
	role, err := s.Roles.GetRole(ctx, arn[i+1:])
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !strings.EqualFold(role.ARN, arn) {
		return nil, false, nil
	}
	list, err := s.Roles.ListRolePolicies(ctx, role.Name, store.Page{})
	if err != nil {
		return nil, false, err
	}
	docs = make([]authorizer.PolicyDocument, len(list))
	for j, p := range list {
		docs[j] = authorizer.PolicyDocument{Name: p.Name, Document: p.Document}
	}
	return docs, true, nil
}

var (
	_ authorizer.GroupRoles   = GroupRoles{}
	_ authorizer.RolePolicies = RolePolicies{}
)
