package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/gatehouse/gatehouse/internal/awsapi/model"
	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// lookupType returns how the stack handles a resource type; nil for types it does not create.
func lookupType(t string) *typeDef {
	switch t {
	case serverless.TypeCognitoUserPool:
		return userPoolType
	case serverless.TypeCognitoUserPoolClient:
		return clientType
	case serverless.TypeCognitoUserPoolGroup:
		return groupType
	case serverless.TypeCognitoUserPoolUser:
		return userType
	case serverless.TypeCognitoUserToGroup:
		return membershipType
	case serverless.TypeCognitoIdentityPool:
		return identityPoolType
	case serverless.TypeCognitoIdentityPoolRole:
		return roleAttachmentType
	case serverless.TypeIAMRole:
		return roleType
	case serverless.TypeIAMPolicy:
		return policyType
	case serverless.TypeIAMManagedPolicy:
		return managedPolicyType
	}
	return nil
}

// AWS::Cognito::UserPool
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html):
// Ref is the pool ID; Fn::GetAtt Arn, ProviderName, ProviderURL, UserPoolId. UsernameAttributes,
// AliasAttributes and UsernameConfiguration require replacement; Schema takes additions only.
var userPoolType = &typeDef{
	attrs:      []string{"Arn", "ProviderName", "ProviderURL", "UserPoolId"},
	replace:    []string{"UsernameAttributes", "AliasAttributes", "UsernameConfiguration"},
	deleteRank: 4,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := map[string]any{}
		for k, v := range props {
			body[k] = v
		}
		if n, ok := body["UserPoolName"]; ok {
			body["PoolName"] = n
			delete(body, "UserPoolName")
		} else {
			body["PoolName"] = c.physicalName(128, "-")
		}
		m := model.CognitoIDP()
		body = c.pick(body, fields(userpool.CreateUserPoolRequest{}))
		if c.rec.PhysicalID == "" {
			out, err := invoke(ctx, c, m, "CreateUserPool", body, c.d.cfg.Pools.CreateUserPool)
			if err != nil || c.dry {
				return c.poolAttrs("us-east-1_PLACEHOLD"), err
			}
			return c.poolAttrs(out.UserPool.Id), nil
		}
		id := c.rec.PhysicalID
		if err := c.addSchema(ctx, id, props); err != nil {
			return nil, err
		}
		upd := only(body, fields(userpool.UpdateUserPoolRequest{}))
		upd["UserPoolId"] = id
		if _, err := invoke(ctx, c, m, "UpdateUserPool", upd, c.d.cfg.Pools.UpdateUserPool); err != nil {
			return nil, err
		}
		return c.poolAttrs(id), nil
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.Pools.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: c.rec.PhysicalID})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		if err := c.exportUsers(ctx, c.rec.PhysicalID); err != nil {
			return err
		}
		_, err := c.d.cfg.Pools.DeleteUserPool(ctx, &userpool.DeleteUserPoolRequest{UserPoolId: c.rec.PhysicalID})
		return err
	},
}

func existsErr(err error) (bool, error) {
	if err == nil {
		return true, nil
	}
	if isNotFound(err) {
		return false, nil
	}
	return false, err
}

// poolAttrs: ProviderName and ProviderURL are the names AWS gives the pool as an identity
// provider, which identity pools and OIDC clients use.
func (c *call) poolAttrs(id string) attrs {
	host := "cognito-idp." + c.t.Region + ".amazonaws.com"
	return attrs{
		"": id, "UserPoolId": id,
		"Arn":          "arn:aws:cognito-idp:" + c.t.Region + ":" + c.t.AccountID + ":userpool/" + id,
		"ProviderName": host + "/" + id,
		"ProviderURL":  "https://" + host + "/" + id,
	}
}

// addSchema adds the custom attributes the file's Schema gained since the last deploy, as
// CloudFormation does with AddCustomAttributes; a removed or changed attribute is refused,
// as Cognito refuses it.
func (c *call) addSchema(ctx context.Context, id string, props map[string]any) error {
	var old map[string]any
	_ = json.Unmarshal([]byte(c.rec.Properties), &old)
	norm := func(v any) []string {
		var out []string
		list, _ := v.([]any)
		for _, x := range list {
			b, _ := json.Marshal(x)
			out = append(out, string(b))
		}
		return out
	}
	before, after := norm(old["Schema"]), norm(props["Schema"])
	for _, s := range before {
		if !slices.Contains(after, s) {
			return fmt.Errorf("%s: Schema: an attribute was removed or changed; Cognito only adds attributes to a pool (remove the resource, or give it a new logical ID, to replace the pool)", c.where())
		}
	}
	var added []any
	list, _ := props["Schema"].([]any)
	for i, s := range after {
		if !slices.Contains(before, s) {
			added = append(added, list[i])
		}
	}
	if len(added) == 0 {
		return nil
	}
	_, err := invoke(ctx, c, model.CognitoIDP(), "AddCustomAttributes",
		map[string]any{"UserPoolId": id, "CustomAttributes": added}, c.d.cfg.Pools.AddCustomAttributes)
	return err
}

// exportUsers writes the users of a pool about to be deleted to {data}/removed/, in the
// `gatehouse users export` format, and logs the file; a pool without users is not exported.
func (c *call) exportUsers(ctx context.Context, id string) error {
	if c.d.cfg.Export == nil || c.d.cfg.DataDir == "" {
		return nil
	}
	out, err := c.d.cfg.Pools.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: id})
	if err != nil {
		if isNotFound(err) {
			return nil
		}
		return err
	}
	if out.UserPool.EstimatedNumberOfUsers == nil || *out.UserPool.EstimatedNumberOfUsers == 0 {
		return nil
	}
	dir := filepath.Join(c.d.cfg.DataDir, "removed")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	name := filepath.Join(dir, fmt.Sprintf("%s-%s-%s-%s.json", c.t.Stack, c.id(), id, c.d.now().UTC().Format("20060102T150405Z")))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := c.d.cfg.Export(ctx, id, f); err != nil {
		f.Close()
		return fmt.Errorf("export the users of %s before deleting it: %w", id, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	c.d.log.Warn("users of a deleted user pool exported", "stack", c.t.Stack, "resource", c.id(), "pool", id,
		"users", *out.UserPool.EstimatedNumberOfUsers, "file", name)
	return nil
}

// AWS::Cognito::UserPoolClient
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolclient.html):
// Ref is the client ID; Fn::GetAtt ClientId, ClientSecret, Name. UserPoolId and GenerateSecret
// require replacement.
var clientType = &typeDef{
	attrs:      []string{"ClientId", "ClientSecret", "Name"},
	refTypes:   map[string]string{"UserPoolId": serverless.TypeCognitoUserPool},
	replace:    []string{"UserPoolId", "GenerateSecret"},
	deleteRank: 2,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := map[string]any{}
		for k, v := range props {
			body[k] = v
		}
		if _, ok := body["ClientName"]; !ok {
			body["ClientName"] = c.physicalName(128, "-")
		}
		name, _ := scalarText(body["ClientName"])
		m := model.CognitoIDP()
		body = c.pick(body, fields(userpool.CreateUserPoolClientRequest{}))
		if c.rec.PhysicalID == "" {
			out, err := invoke(ctx, c, m, "CreateUserPoolClient", body, c.d.cfg.Pools.CreateUserPoolClient)
			if err != nil || c.dry {
				return attrs{"": "placeholderclientid0000000", "ClientId": "placeholderclientid0000000", "Name": name, "ClientSecret": "placeholder"}, err
			}
			return attrs{"": out.UserPoolClient.ClientId, "ClientId": out.UserPoolClient.ClientId, "Name": name, "UserPoolId": out.UserPoolClient.UserPoolId}, nil
		}
		upd := only(body, fields(userpool.UpdateUserPoolClientRequest{}))
		upd["ClientId"] = c.rec.PhysicalID
		if _, err := invoke(ctx, c, m, "UpdateUserPoolClient", upd, c.d.cfg.Pools.UpdateUserPoolClient); err != nil {
			return nil, err
		}
		return attrs{"": c.rec.PhysicalID, "ClientId": c.rec.PhysicalID, "Name": name, "UserPoolId": strProp(props, "UserPoolId")}, nil
	},
	// The secret is never kept in the stack record: it is read from the (sealed) client.
	live: func(ctx context.Context, c *call) (attrs, error) {
		a := c.recAttrs()
		out, err := c.d.cfg.Pools.DescribeUserPoolClient(ctx, &userpool.DescribeUserPoolClientRequest{UserPoolId: a["UserPoolId"], ClientId: c.rec.PhysicalID})
		if err != nil {
			return nil, err
		}
		return attrs{"ClientSecret": out.UserPoolClient.ClientSecret}, nil
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.Pools.DescribeUserPoolClient(ctx, &userpool.DescribeUserPoolClientRequest{UserPoolId: c.recAttrs()["UserPoolId"], ClientId: c.rec.PhysicalID})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		_, err := c.d.cfg.Pools.DeleteUserPoolClient(ctx, &userpool.DeleteUserPoolClientRequest{UserPoolId: c.recAttrs()["UserPoolId"], ClientId: c.rec.PhysicalID})
		return err
	},
}

// recAttrs decodes the recorded attributes.
func (c *call) recAttrs() attrs {
	a := attrs{}
	_ = json.Unmarshal([]byte(c.rec.Attributes), &a)
	return a
}

// AWS::Cognito::UserPoolGroup
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolgroup.html):
// Ref is the group name; no attributes. GroupName and UserPoolId require replacement.
var groupType = &typeDef{
	refTypes:   map[string]string{"UserPoolId": serverless.TypeCognitoUserPool},
	replace:    []string{"GroupName", "UserPoolId"},
	deleteRank: 2,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := c.pick(props, fields(userpool.CreateGroupRequest{}))
		if _, ok := body["GroupName"]; !ok {
			body["GroupName"] = c.physicalName(128, "-")
		}
		name, pool := strProp(body, "GroupName"), strProp(body, "UserPoolId")
		a := attrs{"": name, "UserPoolId": pool}
		m := model.CognitoIDP()
		if c.rec.PhysicalID == "" {
			_, err := invoke(ctx, c, m, "CreateGroup", body, c.d.cfg.Pools.CreateGroup)
			return a, err
		}
		_, err := invoke(ctx, c, m, "UpdateGroup", body, c.d.cfg.Pools.UpdateGroup)
		return a, err
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.Pools.GetGroup(ctx, &userpool.GetGroupRequest{UserPoolId: c.recAttrs()["UserPoolId"], GroupName: c.rec.PhysicalID})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		_, err := c.d.cfg.Pools.DeleteGroup(ctx, &userpool.DeleteGroupRequest{UserPoolId: c.recAttrs()["UserPoolId"], GroupName: c.rec.PhysicalID})
		return err
	},
}

// AWS::Cognito::UserPoolUser
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpooluser.html):
// Ref is the user name; every property requires replacement. The user's password, attributes
// changed since and sign-ins are the user's: an unchanged resource is left alone.
var userType = &typeDef{
	refTypes:   map[string]string{"UserPoolId": serverless.TypeCognitoUserPool},
	replace:    []string{"*"},
	deleteRank: 1,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := c.pick(props, fields(userpool.AdminCreateUserRequest{}))
		if _, ok := body["Username"]; !ok {
			body["Username"] = c.physicalName(128, "-")
		}
		pool := strProp(body, "UserPoolId")
		out, err := invoke(ctx, c, model.CognitoIDP(), "AdminCreateUser", body, c.d.cfg.Pools.AdminCreateUser)
		if err != nil || c.dry {
			return attrs{"": strProp(body, "Username"), "UserPoolId": pool}, err
		}
		return attrs{"": out.User.Username, "UserPoolId": pool}, nil
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.Pools.AdminGetUser(ctx, &userpool.AdminGetUserRequest{UserPoolId: c.recAttrs()["UserPoolId"], Username: c.rec.PhysicalID})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		_, err := c.d.cfg.Pools.AdminDeleteUser(ctx, &userpool.AdminDeleteUserRequest{UserPoolId: c.recAttrs()["UserPoolId"], Username: c.rec.PhysicalID})
		return err
	},
}

// AWS::Cognito::UserPoolUserToGroupAttachment
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpoolusertogroupattachment.html):
// every property requires replacement; no attributes.
var membershipType = &typeDef{
	refTypes:   map[string]string{"UserPoolId": serverless.TypeCognitoUserPool, "GroupName": serverless.TypeCognitoUserPoolGroup, "Username": serverless.TypeCognitoUserPoolUser},
	replace:    []string{"*"},
	deleteRank: 0,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := c.pick(props, fields(userpool.AdminAddUserToGroupRequest{}))
		a := attrs{"": strProp(body, "UserPoolId") + "/" + strProp(body, "GroupName") + "/" + strProp(body, "Username"),
			"UserPoolId": strProp(body, "UserPoolId"), "GroupName": strProp(body, "GroupName"), "Username": strProp(body, "Username")}
		_, err := invoke(ctx, c, model.CognitoIDP(), "AdminAddUserToGroup", body, c.d.cfg.Pools.AdminAddUserToGroup)
		return a, err
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		a := c.recAttrs()
		_, err := c.d.cfg.Pools.GetGroup(ctx, &userpool.GetGroupRequest{UserPoolId: a["UserPoolId"], GroupName: a["GroupName"]})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		a := c.recAttrs()
		_, err := c.d.cfg.Pools.AdminRemoveUserFromGroup(ctx, &userpool.AdminRemoveUserFromGroupRequest{UserPoolId: a["UserPoolId"], GroupName: a["GroupName"], Username: a["Username"]})
		return err
	},
}

// AWS::Cognito::IdentityPool
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-identitypool.html):
// Ref is the identity pool ID; Fn::GetAtt Id, Name. Every property updates in place.
var identityPoolType = &typeDef{
	attrs:      []string{"Id", "Name"},
	deleteRank: 3,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := c.pick(props, fields(identitypool.CreateIdentityPoolInput{}), "CognitoStreams", "PushSync", "CognitoEvents")
		for _, k := range []string{"CognitoStreams", "PushSync", "CognitoEvents"} {
			if _, ok := props[k]; ok {
				c.warn("%s: %s (Cognito Sync) is not supported by Gatehouse and is ignored", c.where(), k)
			}
		}
		if _, ok := body["IdentityPoolName"]; !ok {
			// Identity pool names allow [\w\s+=,.@-].
			body["IdentityPoolName"] = c.physicalName(128, "_")
		}
		// CloudFormation writes tags as [{Key, Value}]; the API as a map.
		if tags, ok := body["IdentityPoolTags"].([]any); ok {
			m := map[string]any{}
			for _, t := range tags {
				if kv, ok := t.(map[string]any); ok {
					k, _ := scalarText(kv["Key"])
					v, _ := scalarText(kv["Value"])
					m[k] = v
				}
			}
			body["IdentityPoolTags"] = m
		}
		name := strProp(body, "IdentityPoolName")
		m := model.CognitoIdentity()
		if c.rec.PhysicalID == "" {
			out, err := invoke(ctx, c, m, "CreateIdentityPool", body, c.d.cfg.Identities.CreateIdentityPool)
			if err != nil || c.dry {
				id := c.t.Region + ":00000000-0000-0000-0000-000000000000"
				return attrs{"": id, "Id": id, "Name": name}, err
			}
			return attrs{"": out.IdentityPoolId, "Id": out.IdentityPoolId, "Name": name}, nil
		}
		body["IdentityPoolId"] = c.rec.PhysicalID
		if _, err := invoke(ctx, c, m, "UpdateIdentityPool", body, c.d.cfg.Identities.UpdateIdentityPool); err != nil {
			return nil, err
		}
		return attrs{"": c.rec.PhysicalID, "Id": c.rec.PhysicalID, "Name": name}, nil
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.Identities.DescribeIdentityPool(ctx, &identitypool.DescribeIdentityPoolInput{IdentityPoolId: c.rec.PhysicalID})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		_, err := c.d.cfg.Identities.DeleteIdentityPool(ctx, &identitypool.DeleteIdentityPoolInput{IdentityPoolId: c.rec.PhysicalID})
		return err
	},
}

// AWS::Cognito::IdentityPoolRoleAttachment
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-identitypoolroleattachment.html):
// Ref is the identity pool ID; Fn::GetAtt Id. RoleMappings are keyed by any name in
// CloudFormation, with the provider in IdentityProvider; the API keys them by provider.
var roleAttachmentType = &typeDef{
	attrs:      []string{"Id"},
	refTypes:   map[string]string{"IdentityPoolId": serverless.TypeCognitoIdentityPool},
	replace:    []string{"IdentityPoolId"},
	deleteRank: 0,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		body := c.pick(props, []string{"IdentityPoolId", "Roles", "RoleMappings"})
		if rm, ok := body["RoleMappings"].(map[string]any); ok {
			out := map[string]any{}
			for key, v := range rm {
				m, _ := v.(map[string]any)
				if m == nil {
					return nil, fmt.Errorf("%s: RoleMappings.%s must be a map", c.where(), key)
				}
				provider := key
				if p, ok := scalarText(m["IdentityProvider"]); ok && p != "" {
					provider = p
				}
				out[provider] = only(m, []string{"Type", "AmbiguousRoleResolution", "RulesConfiguration"})
			}
			body["RoleMappings"] = out
		}
		if _, ok := body["Roles"]; !ok {
			body["Roles"] = map[string]any{}
		}
		id := strProp(body, "IdentityPoolId")
		_, err := invoke(ctx, c, model.CognitoIdentity(), "SetIdentityPoolRoles", body, c.d.cfg.Identities.SetIdentityPoolRoles)
		return attrs{"": id, "Id": id}, err
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.Identities.DescribeIdentityPool(ctx, &identitypool.DescribeIdentityPoolInput{IdentityPoolId: c.rec.PhysicalID})
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		_, err := c.d.cfg.Identities.SetIdentityPoolRoles(ctx, &identitypool.SetIdentityPoolRolesInput{IdentityPoolId: c.rec.PhysicalID, Roles: map[string]string{}})
		if isNotFound(err) {
			return nil
		}
		return err
	},
}
