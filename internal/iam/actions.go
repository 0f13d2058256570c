package iam

import (
	"context"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// The action tables: each entry decodes its parameters (IAM API reference, the action's
// "Request Parameters") into the Go method's input and wraps the method's output in the
// action's Result members.

type roleResult struct {
	Role *Role `xml:"Role"`
}

type userResult struct {
	User *User `xml:"User"`
}

type accessKeyResult struct {
	AccessKey *AccessKey `xml:"AccessKey"`
}

func listInput(p *awsapi.Params) ListInput {
	return ListInput{PathPrefix: p.Get("PathPrefix"), Marker: p.Get("Marker"), MaxItems: p.Int("MaxItems")}
}

// none adapts an action without a result.
func none(err error) (any, error) { return nil, err }

// result keeps a nil output of a failed call from becoming a non-nil interface.
func result[T any](out *T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return out, nil
}

var iamActions = map[string]action{
	"CreateRole": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		d := p.Int("MaxSessionDuration")
		r, err := a.CreateRole(ctx, CreateRoleInput{
			RoleName: p.Get("RoleName"), Path: p.Get("Path"), AssumeRolePolicyDocument: p.Get("AssumeRolePolicyDocument"),
			Description: p.Get("Description"), MaxSessionDuration: d,
		})
		return result(&roleResult{r}, err)
	},
	"GetRole": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		r, err := a.GetRole(ctx, p.Get("RoleName"))
		return result(&roleResult{r}, err)
	},
	"ListRoles": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		in := listInput(p)
		return result(a.ListRoles(ctx, in))
	},
	"UpdateRole": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		d := p.Int("MaxSessionDuration")
		err := a.UpdateRole(ctx, UpdateRoleInput{RoleName: p.Get("RoleName"), Description: p.Optional("Description"), MaxSessionDuration: d})
		return result(&empty{}, err)
	},
	"UpdateAssumeRolePolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.UpdateAssumeRolePolicy(ctx, p.Get("RoleName"), p.Get("PolicyDocument")))
	},
	"DeleteRole": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.DeleteRole(ctx, p.Get("RoleName")))
	},
	"PutRolePolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.PutRolePolicy(ctx, p.Get("RoleName"), p.Get("PolicyName"), p.Get("PolicyDocument")))
	},
	"GetRolePolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return result(a.GetRolePolicy(ctx, p.Get("RoleName"), p.Get("PolicyName")))
	},
	"ListRolePolicies": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		in := listInput(p)
		return result(a.ListRolePolicies(ctx, p.Get("RoleName"), in))
	},
	"DeleteRolePolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.DeleteRolePolicy(ctx, p.Get("RoleName"), p.Get("PolicyName")))
	},
	"CreateUser": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		u, err := a.CreateUser(ctx, p.Get("UserName"), p.Get("Path"))
		return result(&userResult{u}, err)
	},
	"GetUser": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		u, err := a.GetUser(ctx, p.Get("UserName"))
		return result(&userResult{u}, err)
	},
	"ListUsers": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		in := listInput(p)
		return result(a.ListUsers(ctx, in))
	},
	"DeleteUser": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.DeleteUser(ctx, p.Get("UserName")))
	},
	"CreateAccessKey": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		k, err := a.CreateAccessKey(ctx, p.Get("UserName"))
		return result(&accessKeyResult{k}, err)
	},
	"ListAccessKeys": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return result(a.ListAccessKeys(ctx, ListAccessKeysInput{UserName: p.Get("UserName"), Marker: p.Get("Marker"), MaxItems: p.Int("MaxItems")}))
	},
	"UpdateAccessKey": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.UpdateAccessKey(ctx, p.Get("UserName"), p.Get("AccessKeyId"), p.Get("Status")))
	},
	"DeleteAccessKey": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.DeleteAccessKey(ctx, p.Get("UserName"), p.Get("AccessKeyId")))
	},
	"PutUserPolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.PutUserPolicy(ctx, p.Get("UserName"), p.Get("PolicyName"), p.Get("PolicyDocument")))
	},
	"GetUserPolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return result(a.GetUserPolicy(ctx, p.Get("UserName"), p.Get("PolicyName")))
	},
	"ListUserPolicies": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		in := listInput(p)
		return result(a.ListUserPolicies(ctx, p.Get("UserName"), in))
	},
	"DeleteUserPolicy": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return none(a.DeleteUserPolicy(ctx, p.Get("UserName"), p.Get("PolicyName")))
	},
}

var stsActions = map[string]action{
	"GetCallerIdentity": func(a *API, ctx context.Context, p *awsapi.Params) (any, error) {
		return result(a.GetCallerIdentity(ctx))
	},
}
