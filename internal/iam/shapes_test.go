package iam

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi/model"
)

// xmlMembers lists a result type's XML element names in field order, embedded structs
// (Paging) inline.
func xmlMembers(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			names = append(names, xmlMembers(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if name == "" || name == "-" {
			continue
		}
		names = append(names, name)
	}
	return names
}

// The response types are hand-written (doc.go says why); each one's members are members of
// the model's shape, in the model's order.
func TestResultTypesFollowTheModel(t *testing.T) {
	iamModel, sts := model.IAM(), model.STS()
	for _, tc := range []struct {
		m     *model.Model
		shape string // a model shape, or "op:Action" for the action's output shape
		typ   any
	}{
		{iamModel, "Role", Role{}},
		{iamModel, "User", User{}},
		{iamModel, "AccessKey", AccessKey{}},
		{iamModel, "AccessKeyMetadata", AccessKeyMetadata{}},
		{iamModel, "op:CreateRole", roleResult{}},
		{iamModel, "op:GetRole", roleResult{}},
		{iamModel, "op:CreateUser", userResult{}},
		{iamModel, "op:GetUser", userResult{}},
		{iamModel, "op:CreateAccessKey", accessKeyResult{}},
		{iamModel, "op:ListRoles", ListRolesOutput{}},
		{iamModel, "op:ListUsers", ListUsersOutput{}},
		{iamModel, "op:ListAccessKeys", ListAccessKeysOutput{}},
		{iamModel, "op:ListRolePolicies", ListPoliciesOutput{}},
		{iamModel, "op:ListUserPolicies", ListPoliciesOutput{}},
		{iamModel, "op:GetRolePolicy", InlinePolicyOutput{}},
		{iamModel, "op:GetUserPolicy", InlinePolicyOutput{}},
		{sts, "op:GetCallerIdentity", CallerIdentity{}},
	} {
		shape := tc.shape
		if op, ok := strings.CutPrefix(shape, "op:"); ok {
			shape = tc.m.Output(op)
		}
		want := tc.m.Members(shape)
		if want == nil {
			t.Errorf("%s: no shape %q in the model", tc.shape, shape)
			continue
		}
		got := xmlMembers(reflect.TypeOf(tc.typ))
		// InlinePolicyOutput serves both GetRolePolicy (RoleName) and GetUserPolicy
		// (UserName): the other owner's member is always empty and left out.
		if tc.shape == "op:GetRolePolicy" {
			got = slices.DeleteFunc(got, func(s string) bool { return s == "UserName" })
		}
		if tc.shape == "op:GetUserPolicy" {
			got = slices.DeleteFunc(got, func(s string) bool { return s == "RoleName" })
		}
		last := -1
		for _, g := range got {
			i := slices.Index(want, g)
			if i < 0 {
				t.Errorf("%s (%s): member %s is not in the model's %v", tc.shape, shape, g, want)
				continue
			}
			if i < last {
				t.Errorf("%s (%s): member %s out of the model's order %v", tc.shape, shape, g, want)
			}
			last = i
		}
	}
}
