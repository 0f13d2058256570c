package stack

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/policy"
)

// inlinePolicy is one entry of a role's Policies.
type inlinePolicy struct{ name, doc string }

// checkDocument parses a policy document the way IAM will, so that a bad one is found
// before anything is created.
func (c *call) checkDocument(prop string, v any) (string, error) {
	doc, err := document(v)
	if err != nil {
		return "", fmt.Errorf("%s: %s: %v", c.where(), prop, err)
	}
	if doc == "" {
		return "", fmt.Errorf("%s: %s is missing", c.where(), prop)
	}
	if _, err := policy.Parse([]byte(doc)); err != nil {
		return "", fmt.Errorf("%s: %s: %v", c.where(), prop, err)
	}
	return doc, nil
}

func (c *call) rolePolicies(props map[string]any) ([]inlinePolicy, error) {
	var out []inlinePolicy
	list, _ := props["Policies"].([]any)
	for i, x := range list {
		m, _ := x.(map[string]any)
		name, _ := scalarText(m["PolicyName"])
		if name == "" {
			return nil, fmt.Errorf("%s: Policies[%d].PolicyName is missing", c.where(), i)
		}
		doc, err := c.checkDocument(fmt.Sprintf("Policies[%d].PolicyDocument", i), m["PolicyDocument"])
		if err != nil {
			return nil, err
		}
		out = append(out, inlinePolicy{name, doc})
	}
	return out, nil
}

// AWS::IAM::Role
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html):
// Ref is the role name; Fn::GetAtt Arn, RoleId. RoleName and Path require replacement.
// ManagedPolicyArns name AWS's managed policies, which Gatehouse does not have: a warning.
var roleType = &typeDef{
	attrs:      []string{"Arn", "RoleId"},
	replace:    []string{"RoleName", "Path"},
	deleteRank: 6,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		c.pick(props, []string{"RoleName", "Path", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration", "Policies"}, "ManagedPolicyArns", "Tags", "PermissionsBoundary")
		if arns := strList(props, "ManagedPolicyArns"); len(arns) > 0 {
			c.warn("%s: ManagedPolicyArns (%s): AWS managed policies do not exist on Gatehouse and are not attached; give the permissions as Policies", c.where(), arns[0])
		}
		trust, err := c.checkDocument("AssumeRolePolicyDocument", props["AssumeRolePolicyDocument"])
		if err != nil {
			return nil, err
		}
		policies, err := c.rolePolicies(props)
		if err != nil {
			return nil, err
		}
		name := strProp(props, "RoleName")
		if name == "" {
			name = c.physicalName(64, "-")
		}
		path := strProp(props, "Path")
		desc := strProp(props, "Description")
		maxSession := 0
		if v, ok := props["MaxSessionDuration"].(int64); ok {
			maxSession = int(v)
		}
		if c.dry {
			p := path
			if p == "" {
				p = "/"
			}
			return attrs{"": name, "Arn": "arn:aws:iam::" + c.t.AccountID + ":role" + p + name, "RoleId": "AROAPLACEHOLDER"}, nil
		}
		var role *iam.Role
		api := c.d.cfg.IAM
		if c.rec.PhysicalID == "" {
			role, err = api.CreateRole(ctx, iam.CreateRoleInput{RoleName: name, Path: path, AssumeRolePolicyDocument: trust, Description: desc, MaxSessionDuration: maxSession})
			if err != nil {
				return nil, fmt.Errorf("%s: CreateRole: %w", c.where(), err)
			}
		} else {
			if err := api.UpdateAssumeRolePolicy(ctx, name, trust); err != nil {
				return nil, fmt.Errorf("%s: UpdateAssumeRolePolicy: %w", c.where(), err)
			}
			if err := api.UpdateRole(ctx, iam.UpdateRoleInput{RoleName: name, Description: &desc, MaxSessionDuration: maxSession}); err != nil {
				return nil, fmt.Errorf("%s: UpdateRole: %w", c.where(), err)
			}
			if role, err = api.GetRole(ctx, name); err != nil {
				return nil, err
			}
			// Policies the file no longer lists go, as CloudFormation removes them.
			var old map[string]any
			_ = json.Unmarshal([]byte(c.rec.Properties), &old)
			oc := *c
			oc.dry = true
			oldPolicies, _ := oc.rolePolicies(old)
			for _, op := range oldPolicies {
				if !slices.ContainsFunc(policies, func(p inlinePolicy) bool { return p.name == op.name }) {
					if err := api.DeleteRolePolicy(ctx, name, op.name); err != nil && !isNotFound(err) {
						return nil, fmt.Errorf("%s: DeleteRolePolicy %s: %w", c.where(), op.name, err)
					}
				}
			}
		}
		for _, p := range policies {
			if err := api.PutRolePolicy(ctx, role.RoleName, p.name, p.doc); err != nil {
				return nil, fmt.Errorf("%s: PutRolePolicy %s: %w", c.where(), p.name, err)
			}
		}
		return attrs{"": role.RoleName, "Arn": role.Arn, "RoleId": role.RoleID}, nil
	},
	exists: func(ctx context.Context, c *call) (bool, error) {
		_, err := c.d.cfg.IAM.GetRole(ctx, c.rec.PhysicalID)
		return existsErr(err)
	},
	remove: func(ctx context.Context, c *call) error {
		api, name := c.d.cfg.IAM, c.rec.PhysicalID
		// The role is the stack's: its inline policies go with it (IAM refuses to delete a
		// role that has any).
		for {
			out, err := api.ListRolePolicies(ctx, name, iam.ListInput{})
			if err != nil {
				return err
			}
			if len(out.PolicyNames.Members) == 0 {
				break
			}
			for _, p := range out.PolicyNames.Members {
				if err := api.DeleteRolePolicy(ctx, name, p); err != nil && !isNotFound(err) {
					return err
				}
			}
		}
		return api.DeleteRole(ctx, name)
	},
}

// policyTargets are the roles and users a policy resource is put on.
type policyTargets struct {
	Name  string   `json:"name"`
	Doc   string   `json:"doc"`
	Roles []string `json:"roles"`
	Users []string `json:"users"`
}

func (c *call) policyTargets(props map[string]any, nameProp string) (policyTargets, error) {
	pt := policyTargets{Name: strProp(props, nameProp), Roles: strList(props, "Roles"), Users: strList(props, "Users")}
	if pt.Name == "" {
		if nameProp == "PolicyName" {
			return pt, fmt.Errorf("%s: PolicyName is missing", c.where())
		}
		pt.Name = c.physicalName(128, "-")
	}
	if g := strList(props, "Groups"); len(g) > 0 {
		c.warn("%s: Groups: IAM groups do not exist on Gatehouse; the policy is not put on %s", c.where(), g[0])
	}
	doc, err := c.checkDocument("PolicyDocument", props["PolicyDocument"])
	if err != nil {
		return pt, err
	}
	pt.Doc = doc
	return pt, nil
}

// applyPolicy puts the policy on its roles and users, and takes it off those it was on
// before and no longer is.
func (c *call) applyPolicy(ctx context.Context, pt policyTargets) error {
	if c.dry {
		return nil
	}
	api := c.d.cfg.IAM
	var old policyTargets
	_ = json.Unmarshal([]byte(c.recAttrs()["targets"]), &old)
	for _, r := range old.Roles {
		if old.Name != pt.Name || !slices.Contains(pt.Roles, r) {
			if err := api.DeleteRolePolicy(ctx, r, old.Name); err != nil && !isNotFound(err) {
				return fmt.Errorf("%s: DeleteRolePolicy: %w", c.where(), err)
			}
		}
	}
	for _, u := range old.Users {
		if old.Name != pt.Name || !slices.Contains(pt.Users, u) {
			if err := api.DeleteUserPolicy(ctx, u, old.Name); err != nil && !isNotFound(err) {
				return fmt.Errorf("%s: DeleteUserPolicy: %w", c.where(), err)
			}
		}
	}
	for _, r := range pt.Roles {
		if err := api.PutRolePolicy(ctx, r, pt.Name, pt.Doc); err != nil {
			return fmt.Errorf("%s: PutRolePolicy on %s: %w", c.where(), r, err)
		}
	}
	for _, u := range pt.Users {
		if err := api.PutUserPolicy(ctx, u, pt.Name, pt.Doc); err != nil {
			return fmt.Errorf("%s: PutUserPolicy on %s: %w", c.where(), u, err)
		}
	}
	return nil
}

func removePolicy(ctx context.Context, c *call) error {
	var pt policyTargets
	_ = json.Unmarshal([]byte(c.recAttrs()["targets"]), &pt)
	for _, r := range pt.Roles {
		if err := c.d.cfg.IAM.DeleteRolePolicy(ctx, r, pt.Name); err != nil && !isNotFound(err) {
			return err
		}
	}
	for _, u := range pt.Users {
		if err := c.d.cfg.IAM.DeleteUserPolicy(ctx, u, pt.Name); err != nil && !isNotFound(err) {
			return err
		}
	}
	return nil
}

func targetsJSON(pt policyTargets) string {
	b, _ := json.Marshal(pt)
	return string(b)
}

// AWS::IAM::Policy
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html):
// an inline policy put on each of Roles and Users. Ref is the policy's ID; Fn::GetAtt Id.
var policyType = &typeDef{
	attrs:      []string{"Id"},
	deleteRank: 5,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		c.pick(props, []string{"PolicyName", "PolicyDocument", "Roles", "Users"}, "Groups")
		pt, err := c.policyTargets(props, "PolicyName")
		if err != nil {
			return nil, err
		}
		if err := c.applyPolicy(ctx, pt); err != nil {
			return nil, err
		}
		id := c.physicalName(64, "-")
		return attrs{"": id, "Id": id, "targets": targetsJSON(pt)}, nil
	},
	exists: func(context.Context, *call) (bool, error) { return true, nil },
	remove: removePolicy,
}

// AWS::IAM::ManagedPolicy
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html):
// Gatehouse has no managed policies; the document is put as an inline policy named
// ManagedPolicyName on each of Roles and Users, which grants the same. Ref is the policy ARN;
// Fn::GetAtt PolicyArn, PolicyId.
var managedPolicyType = &typeDef{
	attrs:      []string{"PolicyArn", "PolicyId"},
	deleteRank: 5,
	apply: func(ctx context.Context, c *call, props map[string]any) (attrs, error) {
		c.pick(props, []string{"ManagedPolicyName", "PolicyDocument", "Roles", "Users", "Path", "Description"}, "Groups")
		pt, err := c.policyTargets(props, "ManagedPolicyName")
		if err != nil {
			return nil, err
		}
		if err := c.applyPolicy(ctx, pt); err != nil {
			return nil, err
		}
		path := strProp(props, "Path")
		if path == "" {
			path = "/"
		}
		arn := "arn:aws:iam::" + c.t.AccountID + ":policy" + path + pt.Name
		return attrs{"": arn, "PolicyArn": arn, "PolicyId": "ANPA" + stableIDUpper(c.t.Stack+"/"+c.id(), 17), "targets": targetsJSON(pt)}, nil
	},
	exists: func(context.Context, *call) (bool, error) { return true, nil },
	remove: removePolicy,
}

func stableIDUpper(s string, n int) string {
	b := []byte(stableID(s, n))
	for i, ch := range b {
		if ch >= 'a' && ch <= 'z' {
			b[i] = ch - 'a' + 'A'
		}
	}
	return string(b)
}
