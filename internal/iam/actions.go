package iam

import "context"

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

func listInput(p *params) (ListInput, error) {
	n, err := p.integer("MaxItems", 1)
	return ListInput{PathPrefix: p.get("PathPrefix"), Marker: p.get("Marker"), MaxItems: n}, err
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
	"CreateRole": func(a *API, ctx context.Context, p *params) (any, error) {
		d, err := p.integer("MaxSessionDuration", MinSessionDuration)
		if err != nil {
			return nil, err
		}
		r, err := a.CreateRole(ctx, CreateRoleInput{
			RoleName: p.get("RoleName"), Path: p.get("Path"), AssumeRolePolicyDocument: p.get("AssumeRolePolicyDocument"),
			Description: p.get("Description"), MaxSessionDuration: d,
		})
		return result(&roleResult{r}, err)
	},
	"GetRole": func(a *API, ctx context.Context, p *params) (any, error) {
		r, err := a.GetRole(ctx, p.get("RoleName"))
		return result(&roleResult{r}, err)
	},
	"ListRoles": func(a *API, ctx context.Context, p *params) (any, error) {
		in, err := listInput(p)
		if err != nil {
			return nil, err
		}
		return result(a.ListRoles(ctx, in))
	},
	"UpdateRole": func(a *API, ctx context.Context, p *params) (any, error) {
		d, err := p.integer("MaxSessionDuration", MinSessionDuration)
		if err != nil {
			return nil, err
		}
		err = a.UpdateRole(ctx, UpdateRoleInput{RoleName: p.get("RoleName"), Description: p.optional("Description"), MaxSessionDuration: d})
		return result(&empty{}, err)
	},
	"UpdateAssumeRolePolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.UpdateAssumeRolePolicy(ctx, p.get("RoleName"), p.get("PolicyDocument")))
	},
	"DeleteRole": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.DeleteRole(ctx, p.get("RoleName")))
	},
	"PutRolePolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.PutRolePolicy(ctx, p.get("RoleName"), p.get("PolicyName"), p.get("PolicyDocument")))
	},
	"GetRolePolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return result(a.GetRolePolicy(ctx, p.get("RoleName"), p.get("PolicyName")))
	},
	"ListRolePolicies": func(a *API, ctx context.Context, p *params) (any, error) {
		in, err := listInput(p)
		if err != nil {
			return nil, err
		}
		return result(a.ListRolePolicies(ctx, p.get("RoleName"), in))
	},
	"DeleteRolePolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.DeleteRolePolicy(ctx, p.get("RoleName"), p.get("PolicyName")))
	},
	"CreateUser": func(a *API, ctx context.Context, p *params) (any, error) {
		u, err := a.CreateUser(ctx, p.get("UserName"), p.get("Path"))
		return result(&userResult{u}, err)
	},
	"GetUser": func(a *API, ctx context.Context, p *params) (any, error) {
		u, err := a.GetUser(ctx, p.get("UserName"))
		return result(&userResult{u}, err)
	},
	"ListUsers": func(a *API, ctx context.Context, p *params) (any, error) {
		in, err := listInput(p)
		if err != nil {
			return nil, err
		}
		return result(a.ListUsers(ctx, in))
	},
	"DeleteUser": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.DeleteUser(ctx, p.get("UserName")))
	},
	"CreateAccessKey": func(a *API, ctx context.Context, p *params) (any, error) {
		k, err := a.CreateAccessKey(ctx, p.get("UserName"))
		return result(&accessKeyResult{k}, err)
	},
	"ListAccessKeys": func(a *API, ctx context.Context, p *params) (any, error) {
		n, err := p.integer("MaxItems", 1)
		if err != nil {
			return nil, err
		}
		return result(a.ListAccessKeys(ctx, ListAccessKeysInput{UserName: p.get("UserName"), Marker: p.get("Marker"), MaxItems: n}))
	},
	"UpdateAccessKey": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.UpdateAccessKey(ctx, p.get("UserName"), p.get("AccessKeyId"), p.get("Status")))
	},
	"DeleteAccessKey": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.DeleteAccessKey(ctx, p.get("UserName"), p.get("AccessKeyId")))
	},
	"PutUserPolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.PutUserPolicy(ctx, p.get("UserName"), p.get("PolicyName"), p.get("PolicyDocument")))
	},
	"GetUserPolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return result(a.GetUserPolicy(ctx, p.get("UserName"), p.get("PolicyName")))
	},
	"ListUserPolicies": func(a *API, ctx context.Context, p *params) (any, error) {
		in, err := listInput(p)
		if err != nil {
			return nil, err
		}
		return result(a.ListUserPolicies(ctx, p.get("UserName"), in))
	},
	"DeleteUserPolicy": func(a *API, ctx context.Context, p *params) (any, error) {
		return none(a.DeleteUserPolicy(ctx, p.get("UserName"), p.get("PolicyName")))
	},
}

var stsActions = map[string]action{
	"GetCallerIdentity": func(a *API, ctx context.Context, p *params) (any, error) {
		return result(a.GetCallerIdentity(ctx))
	},
}
