package policy

import (
	"strings"
	"testing"
)

// Pages of the IAM User Guide (https://docs.aws.amazon.com/IAM/latest/UserGuide/) the cases
// below come from.
const (
	pageEval      = "IAM User Guide: reference_policies_evaluation-logic.html"
	pageAction    = "IAM User Guide: reference_policies_elements_action.html"
	pageResource  = "IAM User Guide: reference_policies_elements_resource.html"
	pageNotAction = "IAM User Guide: reference_policies_elements_notaction.html"
	pageNotRes    = "IAM User Guide: reference_policies_elements_notresource.html"
	pageOperators = "IAM User Guide: reference_policies_elements_condition_operators.html"
	pageLogic     = "IAM User Guide: reference_policies_condition-logic-multiple-context-keys-or-values.html"
	pageMulti     = "IAM User Guide: reference_policies_condition-single-vs-multi-valued-context-keys.html"
	pageMultiEx   = "IAM User Guide: reference_policies_condition_examples-multi-valued-context-keys.html"
	pageVars      = "IAM User Guide: reference_policies_variables.html"
	pageCondition = "IAM User Guide: reference_policies_elements_condition.html"
	pageVersion   = "IAM User Guide: reference_policies_elements_version.html"
	pageCognito   = "Cognito Developer Guide: iam-roles.html"
)

const (
	apiARN  = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"
	petsARN = apiARN + "/dev/GET/pets"
	invoke  = "execute-api:Invoke"
)

// allowIf is an identity policy allowing action on resource when cond (a Condition element,
// or "") holds.
func allowIf(action, resource, cond string) string {
	return stmtDoc("Allow", action, resource, cond)
}

func denyIf(action, resource, cond string) string {
	return stmtDoc("Deny", action, resource, cond)
}

func stmtDoc(effect, action, resource, cond string) string {
	s := `{"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"` + effect + `","Action":"` + action + `","Resource":"` + resource + `"`
	if cond != "" {
		s += `,"Condition":` + cond
	}
	return s + "}}"
}

type evalCase struct {
	name     string
	page     string   // where the behaviour is documented
	docs     []string // the policies, named p0, p1, …
	action   string   // default invoke
	resource string   // default petsARN
	ctx      map[string][]string
	want     Effect
	matched  string // "p1/0" when a statement must have decided; "" to skip
}

func evalCases() []evalCase {
	any := allowIf("*", "*", "")
	return []evalCase{
		// --- Evaluation logic: implicit deny, explicit deny beats allow.
		{name: "no policies: implicit deny", page: pageEval, want: ImplicitDeny},
		{name: "an allow that matches", page: pageEval, docs: []string{allowIf(invoke, petsARN, "")}, want: Allow, matched: "p0/0"},
		{name: "an allow for another action", page: pageEval, docs: []string{allowIf("execute-api:ManageConnections", petsARN, "")}, want: ImplicitDeny},
		{name: "deny beats allow in one policy", page: pageEval, docs: []string{
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"No","Effect":"Deny","Action":"execute-api:Invoke","Resource":"*"}]}`,
		}, want: ExplicitDeny, matched: "p0/1"},
		{name: "deny in a later policy beats an earlier allow", page: pageEval, docs: []string{any, denyIf(invoke, apiARN+"/*", "")}, want: ExplicitDeny, matched: "p1/0"},
		{name: "deny whose condition fails leaves the allow", page: pageEval, docs: []string{any, denyIf(invoke, "*", `{"Bool":{"aws:SecureTransport":"false"}}`)},
			ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: Allow, matched: "p0/0"},
		{name: "deny on another resource leaves the allow", page: pageEval, docs: []string{any, denyIf(invoke, apiARN+"/prod/*", "")}, want: Allow},
		{name: "allow in the second of two policies", page: pageEval, docs: []string{allowIf("s3:GetObject", "*", ""), allowIf(invoke, "*", "")}, want: Allow, matched: "p1/0"},

		// --- Action: service prefix, wildcards, case-insensitive.
		{name: "service wildcard", page: pageAction, docs: []string{allowIf("execute-api:*", "*", "")}, want: Allow},
		{name: "action names are case-insensitive", page: pageAction, docs: []string{allowIf("EXECUTE-API:invoke", "*", "")}, want: Allow},
		{name: "? in an action", page: pageAction, docs: []string{allowIf("execute-api:Inv?ke", "*", "")}, want: Allow},
		{name: "prefix wildcard that does not match", page: pageAction, docs: []string{allowIf("s3:Get*", "*", "")}, action: "s3:PutObject", want: ImplicitDeny},
		{name: "* allows every action", page: pageAction, docs: []string{allowIf("*", "*", "")}, action: "iam:CreateUser", want: Allow},
		{name: "action list", page: pageAction, docs: []string{
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:GetObject","execute-api:Invoke"],"Resource":"*"}}`,
		}, want: Allow},

		// --- Resource: ARN wildcards, case-sensitive.
		{name: "exact resource ARN", page: pageResource, docs: []string{allowIf(invoke, petsARN, "")}, want: Allow},
		{name: "* at the end spans slashes", page: pageResource, docs: []string{allowIf(invoke, apiARN+"/*", "")}, resource: petsARN + "/42/toys", want: Allow},
		{name: "resource is case-sensitive", page: pageResource, docs: []string{allowIf(invoke, apiARN+"/dev/GET/pets", "")}, resource: apiARN + "/dev/GET/Pets", want: ImplicitDeny},
		{name: "* within the region segment", page: pageResource, docs: []string{allowIf(invoke, "arn:aws:execute-api:*:123456789012:a1b2c3d4e5/dev/GET/*", "")}, want: Allow},
		{name: "? matches exactly one character", page: pageResource, docs: []string{allowIf(invoke, apiARN+"/dev/GET/pet?", "")}, resource: apiARN + "/dev/GET/pet", want: ImplicitDeny},
		{name: "? matches one character", page: pageResource, docs: []string{allowIf(invoke, apiARN+"/dev/GET/pet?", "")}, want: Allow},
		{name: "* at the end of a segment spans colons", page: pageResource, docs: []string{allowIf(invoke, "arn:aws:execute-api:us-east-1:*", "")}, want: Allow},
		{name: "S3 object wildcard spans nested keys", page: pageResource, docs: []string{allowIf("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/*", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::amzn-s3-demo-bucket/a/b/c.txt", want: Allow},
		{name: "another account does not match", page: pageResource, docs: []string{allowIf(invoke, "arn:aws:execute-api:us-east-1:111122223333:*", "")}, want: ImplicitDeny},

		// --- NotAction.
		{name: "NotAction allows what it does not list", page: pageNotAction, docs: []string{
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`,
		}, action: "s3:ListAllMyBuckets", want: Allow},
		{name: "NotAction does not allow what it lists", page: pageNotAction, docs: []string{
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}}`,
		}, action: "iam:CreateUser", want: ImplicitDeny},
		{name: "Deny NotAction without MFA denies other services", page: pageNotAction, docs: []string{any,
			`{"Version":"2012-10-17","Statement":{"Sid":"DenyAllUsersNotUsingMFA","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}`,
		}, want: ExplicitDeny, matched: "p1/0"},
		{name: "Deny NotAction lets MFA sessions through", page: pageNotAction, docs: []string{any,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}`,
		}, ctx: map[string][]string{"aws:MultiFactorAuthPresent": {"true"}}, want: Allow},
		{name: "Deny NotAction does not deny the listed service", page: pageNotAction, docs: []string{any,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}`,
		}, action: "iam:ListUsers", want: Allow},

		// --- NotResource.
		{name: "NotResource allows other resources", page: pageNotRes, docs: []string{
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}}`,
		}, action: "s3:GetObject", resource: "arn:aws:s3:::HRBucket/Handbook", want: Allow},
		{name: "NotResource does not allow the listed ones", page: pageNotRes, docs: []string{
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}}`,
		}, action: "s3:GetObject", resource: "arn:aws:s3:::HRBucket/Payroll/2026.csv", want: ImplicitDeny},
		{name: "Deny NotResource denies everything else", page: pageNotRes, docs: []string{any,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"execute-api:*","NotResource":"` + apiARN + `/dev/*"}}`,
		}, resource: apiARN + "/prod/GET/pets", want: ExplicitDeny},
		{name: "Deny NotResource spares the listed resource", page: pageNotRes, docs: []string{any,
			`{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"execute-api:*","NotResource":"` + apiARN + `/dev/*"}}`,
		}, want: Allow, matched: "p0/0"},

		// --- String operators.
		{name: "StringEquals matches", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/job-category": {"iamuser-admin"}}, want: Allow},
		{name: "StringEquals is case-sensitive", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/job-category": {"IAMuser-admin"}}, want: ImplicitDeny},
		{name: "StringEquals with the key absent is false", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}`)}, want: ImplicitDeny},
		{name: "StringNotEquals with the key absent is true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringNotEquals":{"aws:PrincipalTag/job-category":"guest"}}`)}, want: Allow},
		{name: "StringNotEquals with an equal value is false", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringNotEquals":{"aws:PrincipalTag/job-category":"guest"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/job-category": {"guest"}}, want: ImplicitDeny},
		{name: "StringEqualsIgnoreCase", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringEqualsIgnoreCase":{"aws:PrincipalTag/department":"Finance"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/department": {"FINANCE"}}, want: Allow},
		{name: "StringNotEqualsIgnoreCase", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/department":"Finance"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/department": {"finance"}}, want: ImplicitDeny},
		{name: "StringLike with *", page: pageOperators, docs: []string{allowIf("s3:ListBucket", "*", `{"StringLike":{"s3:prefix":["home/*"]}}`)},
			action: "s3:ListBucket", ctx: map[string][]string{"s3:prefix": {"home/alice/docs"}}, want: Allow},
		{name: "StringLike with ?", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringLike":{"aws:userid":"AIDA?"}}`)},
			ctx: map[string][]string{"aws:userid": {"AIDAB"}}, want: Allow},
		{name: "StringNotLike with the key absent is true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringNotLike":{"aws:userid":"*:guest"}}`)}, want: Allow},
		{name: "StringEquals takes * literally", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"s3:prefix":"home/*"}}`)},
			ctx: map[string][]string{"s3:prefix": {"home/alice"}}, want: ImplicitDeny},
		{name: "condition keys are case-insensitive", page: pageCondition, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"AWS:SOURCEIP":"203.0.113.0/24"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"203.0.113.9"}}, want: Allow},

		// --- Several values (OR), several keys and operators (AND).
		{name: "values of one key are OR'ed", page: pageLogic, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:username":["alice","bob"]}}`)},
			ctx: map[string][]string{"aws:username": {"bob"}}, want: Allow},
		{name: "keys are AND'ed", page: pageLogic, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:username":"bob","aws:PrincipalTag/team":"blue"}}`)},
			ctx: map[string][]string{"aws:username": {"bob"}, "aws:PrincipalTag/team": {"red"}}, want: ImplicitDeny},
		{name: "operators are AND'ed", page: pageLogic, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:username":"bob"},"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`)},
			ctx: map[string][]string{"aws:username": {"bob"}, "aws:SourceIp": {"192.0.2.7"}}, want: Allow},

		// --- Numeric operators.
		{name: "NumericLessThan", page: pageOperators, docs: []string{allowIf("s3:ListBucket", "*", `{"NumericLessThan":{"s3:max-keys":"10"}}`)},
			action: "s3:ListBucket", ctx: map[string][]string{"s3:max-keys": {"5"}}, want: Allow},
		{name: "NumericLessThan is strict", page: pageOperators, docs: []string{allowIf("s3:ListBucket", "*", `{"NumericLessThan":{"s3:max-keys":"10"}}`)},
			action: "s3:ListBucket", ctx: map[string][]string{"s3:max-keys": {"10"}}, want: ImplicitDeny},
		{name: "NumericLessThanEquals", page: pageOperators, docs: []string{allowIf("s3:ListBucket", "*", `{"NumericLessThanEquals":{"s3:max-keys":10}}`)},
			action: "s3:ListBucket", ctx: map[string][]string{"s3:max-keys": {"10"}}, want: Allow},
		{name: "NumericGreaterThanEquals with a decimal", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"2.5"}}`)},
			ctx: map[string][]string{"aws:MultiFactorAuthAge": {"3"}}, want: Allow},
		{name: "NumericEquals with a request value that is not a number", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"NumericEquals":{"s3:max-keys":"10"}}`)},
			ctx: map[string][]string{"s3:max-keys": {"ten"}}, want: ImplicitDeny},
		{name: "NumericNotEquals with the key absent is true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"NumericNotEquals":{"s3:max-keys":"10"}}`)}, want: Allow},

		// --- Date operators.
		{name: "DateGreaterThan on aws:CurrentTime", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}`)},
			ctx: map[string][]string{"aws:CurrentTime": {"2026-05-01T12:00:00Z"}}, want: Allow},
		{name: "DateLessThan in the past", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"DateLessThan":{"aws:CurrentTime":"2019-06-30T00:00:00Z"}}`)},
			ctx: map[string][]string{"aws:CurrentTime": {"2026-05-01T12:00:00Z"}}, want: ImplicitDeny},
		{name: "DateLessThan with epoch seconds", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"DateLessThan":{"aws:EpochTime":"1900000000"}}`)},
			ctx: map[string][]string{"aws:EpochTime": {"1777636800"}}, want: Allow},
		{name: "a date range", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2026-12-31T23:59:59Z"}}`)},
			ctx: map[string][]string{"aws:CurrentTime": {"2026-05-01T12:00:00Z"}}, want: Allow},
		{name: "DateEquals with a date-only value", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"DateEquals":{"aws:CurrentTime":"2026-05-01"}}`)},
			ctx: map[string][]string{"aws:CurrentTime": {"2026-05-01T00:00:00Z"}}, want: Allow},
		{name: "DateGreaterThanEquals across time zones", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"DateGreaterThanEquals":{"aws:TokenIssueTime":"2026-05-01T12:00:00+02:00"}}`)},
			ctx: map[string][]string{"aws:TokenIssueTime": {"2026-05-01T10:00:00Z"}}, want: Allow},

		// --- Bool.
		{name: "Bool true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"Bool":{"aws:SecureTransport":"true"}}`)},
			ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: Allow},
		{name: "Bool false does not match true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"Bool":{"aws:SecureTransport":"true"}}`)},
			ctx: map[string][]string{"aws:SecureTransport": {"false"}}, want: ImplicitDeny},
		{name: "Bool with a JSON boolean", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"Bool":{"aws:SecureTransport":true}}`)},
			ctx: map[string][]string{"aws:SecureTransport": {"true"}}, want: Allow},
		{name: "Deny insecure transport", page: pageOperators, docs: []string{any, denyIf("*", "*", `{"Bool":{"aws:SecureTransport":"false"}}`)},
			ctx: map[string][]string{"aws:SecureTransport": {"false"}}, want: ExplicitDeny},
		{name: "BoolIfExists with the key absent is true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}`)}, want: Allow},

		// --- IP address operators.
		{name: "IpAddress in the CIDR block", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"203.0.113.5"}}, want: Allow},
		{name: "IpAddress outside the block", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"198.51.100.5"}}, want: ImplicitDeny},
		{name: "IpAddress IPv6 block", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"2001:db8:1234:5678::1"}}, want: Allow},
		{name: "IpAddress single address", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"aws:SourceIp":"192.0.2.1"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"192.0.2.1"}}, want: Allow},
		{name: "Deny NotIpAddress from elsewhere", page: pageOperators, docs: []string{any, denyIf("*", "*", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"198.51.100.1"}}, want: ExplicitDeny, matched: "p1/0"},
		{name: "Deny NotIpAddress spares the listed range", page: pageOperators, docs: []string{any, denyIf("*", "*", `{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"192.0.2.200"}}, want: Allow},
		{name: "IpAddress with the key absent is false", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`)}, want: ImplicitDeny},
		{name: "an IPv6 caller is not in an IPv4 block", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}`)},
			ctx: map[string][]string{"aws:SourceIp": {"2001:db8::1"}}, want: ImplicitDeny},

		// --- ARN operators.
		{name: "ArnLike per component", page: pageOperators, docs: []string{allowIf("sqs:SendMessage", "*", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}`)},
			action: "sqs:SendMessage", ctx: map[string][]string{"aws:SourceArn": {"arn:aws:sns:us-east-2:123456789012:TopicA"}}, want: Allow},
		{name: "ArnEquals another account", page: pageOperators, docs: []string{allowIf("sqs:SendMessage", "*", `{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:123456789012:TopicA"}}`)},
			action: "sqs:SendMessage", ctx: map[string][]string{"aws:SourceArn": {"arn:aws:sns:us-east-2:111122223333:TopicA"}}, want: ImplicitDeny},
		{name: "ArnLike * does not cross a component", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"ArnLike":{"aws:SourceArn":"arn:aws:sns:us-*:123456789012:TopicA"}}`)},
			ctx: map[string][]string{"aws:SourceArn": {"arn:aws:sns:us-east-2:999:123456789012:TopicA"}}, want: ImplicitDeny},
		{name: "ArnNotEquals with the key absent is true", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"ArnNotEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:123456789012:TopicA"}}`)}, want: Allow},

		// --- Null.
		{name: "Null true with the key absent", page: pageOperators, docs: []string{allowIf("ec2:*", "*", `{"Null":{"aws:TokenIssueTime":"true"}}`)},
			action: "ec2:RunInstances", want: Allow},
		{name: "Null true with the key present", page: pageOperators, docs: []string{allowIf("ec2:*", "*", `{"Null":{"aws:TokenIssueTime":"true"}}`)},
			action: "ec2:RunInstances", ctx: map[string][]string{"aws:TokenIssueTime": {"2026-05-01T12:00:00Z"}}, want: ImplicitDeny},
		{name: "Null false with the key present", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"Null":{"aws:TokenIssueTime":false}}`)},
			ctx: map[string][]string{"aws:TokenIssueTime": {"2026-05-01T12:00:00Z"}}, want: Allow},

		// --- …IfExists.
		{name: "StringEqualsIfExists with the key absent", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringEqualsIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}`)}, want: Allow},
		{name: "StringLikeIfExists with a present key that matches", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}`)},
			ctx: map[string][]string{"ec2:InstanceType": {"t2.micro"}}, want: Allow},
		{name: "StringLikeIfExists with a present key that does not", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*"]}}`)},
			ctx: map[string][]string{"ec2:InstanceType": {"m5.large"}}, want: ImplicitDeny},
		{name: "StringNotEqualsIfExists with an equal value", page: pageOperators, docs: []string{allowIf(invoke, "*", `{"StringNotEqualsIfExists":{"aws:RequestedRegion":"us-west-1"}}`)},
			ctx: map[string][]string{"aws:RequestedRegion": {"us-west-1"}}, want: ImplicitDeny},

		// --- Set operators on multivalued keys.
		{name: "ForAllValues: every request value is listed", page: pageMulti, docs: []string{allowIf(invoke, "*", `{"ForAllValues:StringEquals":{"aws:TagKeys":["Environment","CostCenter"]}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"Environment"}}, want: Allow},
		{name: "ForAllValues: one request value is not", page: pageMulti, docs: []string{allowIf(invoke, "*", `{"ForAllValues:StringEquals":{"aws:TagKeys":["Environment","CostCenter"]}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"Environment", "Owner"}}, want: ImplicitDeny},
		{name: "ForAllValues with the key absent is true", page: pageMulti, docs: []string{allowIf(invoke, "*", `{"ForAllValues:StringEquals":{"aws:TagKeys":["Environment","CostCenter"]}}`)}, want: Allow},
		{name: "ForAnyValue with the key absent is false", page: pageMulti, docs: []string{allowIf(invoke, "*", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["Environment","CostCenter"]}}`)}, want: ImplicitDeny},
		{name: "ForAnyValue: one request value is listed", page: pageMulti, docs: []string{allowIf(invoke, "*", `{"ForAnyValue:StringEquals":{"aws:TagKeys":["Environment","CostCenter"]}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"Owner", "CostCenter"}}, want: Allow},
		{name: "ForAnyValue: Deny when one tag key is webserver", page: pageMultiEx, docs: []string{any, denyIf("*", "*", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"webserver"}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"environment", "webserver"}}, want: ExplicitDeny},
		{name: "ForAnyValue: no Deny without it", page: pageMultiEx, docs: []string{any, denyIf("*", "*", `{"ForAnyValue:StringEquals":{"aws:TagKeys":"webserver"}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"environment"}}, want: Allow},
		{name: "ForAllValues:StringLike Deny on tag key prefixes", page: pageMultiEx, docs: []string{any, denyIf("*", "*", `{"ForAllValues:StringLike":{"aws:TagKeys":["key1*","key2*"]}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"key1-a", "key2-b"}}, want: ExplicitDeny},
		{name: "ForAllValues:StringNotLike: every value avoids the patterns", page: pageMulti, docs: []string{allowIf(invoke, "*", `{"ForAllValues:StringNotLike":{"aws:TagKeys":"aws:*"}}`)},
			ctx: map[string][]string{"aws:TagKeys": {"team", "aws:cloudformation:stack"}}, want: ImplicitDeny},
		{name: "Cognito trust: authenticated identities", page: pageCognito, docs: []string{allowIf("sts:AssumeRoleWithWebIdentity", "*", `{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:12345678-abcd-abcd-abcd-123456789012"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}`)},
			action: "sts:AssumeRoleWithWebIdentity", ctx: map[string][]string{
				"cognito-identity.amazonaws.com:aud": {"us-east-1:12345678-abcd-abcd-abcd-123456789012"},
				"cognito-identity.amazonaws.com:amr": {"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab129faBb", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab129faBb:CognitoSignIn:sub"},
			}, want: Allow},
		{name: "Cognito trust: unauthenticated identities are refused", page: pageCognito, docs: []string{allowIf("sts:AssumeRoleWithWebIdentity", "*", `{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}`)},
			action: "sts:AssumeRoleWithWebIdentity", ctx: map[string][]string{"cognito-identity.amazonaws.com:amr": {"unauthenticated"}}, want: ImplicitDeny},

		// --- Policy variables.
		{name: "${aws:username} in a resource", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/notes.txt", ctx: map[string][]string{"aws:username": {"alice"}}, want: Allow},
		{name: "${aws:username} is another user's folder", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/notes.txt", ctx: map[string][]string{"aws:username": {"alice"}}, want: ImplicitDeny},
		{name: "a variable with no value matches no resource", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::amzn-s3-demo-bucket/home//notes.txt", want: ImplicitDeny},
		{name: "Version 2008-10-17 takes ${...} literally", page: pageVersion, docs: []string{
			`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`,
		}, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/${aws:username}/x", ctx: map[string][]string{"aws:username": {"alice"}}, want: Allow},
		{name: "no Version takes ${...} literally", page: pageVersion, docs: []string{
			`{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/home/${aws:username}/*"}}`,
		}, action: "s3:GetObject", resource: "arn:aws:s3:::b/home/alice/x", ctx: map[string][]string{"aws:username": {"alice"}}, want: ImplicitDeny},
		{name: "Cognito identity id in an execute-api resource", page: pageCognito, docs: []string{allowIf(invoke, apiARN+"/*/GET/users/${cognito-identity.amazonaws.com:sub}", "")},
			resource: apiARN + "/dev/GET/users/us-east-1:0c3e4b5a-1111-2222-3333-444455556666", ctx: map[string][]string{"cognito-identity.amazonaws.com:sub": {"us-east-1:0c3e4b5a-1111-2222-3333-444455556666"}}, want: Allow},
		{name: "a variable in a condition value", page: pageVars, docs: []string{allowIf("s3:ListBucket", "*", `{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}`)},
			action: "s3:ListBucket", ctx: map[string][]string{"aws:username": {"alice"}, "s3:prefix": {"home/alice/photos"}}, want: Allow},
		{name: "a condition whose variable has no value does not match", page: pageVars, docs: []string{allowIf(invoke, "*", `{"StringEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/owner": {""}}, want: ImplicitDeny},
		{name: "a negated condition whose variable has no value does not match", page: pageVars, docs: []string{allowIf(invoke, "*", `{"StringNotEquals":{"aws:PrincipalTag/owner":"${aws:username}"}}`)},
			ctx: map[string][]string{"aws:PrincipalTag/owner": {"bob"}}, want: ImplicitDeny},
		{name: "a default value stands in for a missing key", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::b/${aws:PrincipalTag/team, 'company-wide'}/*", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::b/company-wide/x", want: Allow},
		{name: "${*} is a literal asterisk", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::b/${*}", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::b/x", want: ImplicitDeny},
		{name: "${*} matches an object named *", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::b/${*}${?}${$}", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::b/*?$", want: Allow},
		{name: "a variable's value is literal, never a wildcard", page: pageVars, docs: []string{allowIf("s3:*", "arn:aws:s3:::b/home/${aws:username}/x", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::b/home/bob/x", ctx: map[string][]string{"aws:username": {"*"}}, want: ImplicitDeny},
		{name: "a multivalued key is not a variable", page: pageMulti, docs: []string{allowIf("s3:*", "arn:aws:s3:::b/${aws:TagKeys}", "")},
			action: "s3:GetObject", resource: "arn:aws:s3:::b/a", ctx: map[string][]string{"aws:TagKeys": {"a", "b"}}, want: ImplicitDeny},
	}
}

func TestEvaluateDocumentedCases(t *testing.T) {
	cases := evalCases()
	if len(cases) < 60 {
		t.Fatalf("%d cases, want at least 60", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.page == "" {
				t.Fatal("case cites no page")
			}
			var set []Named
			for i, doc := range tc.docs {
				set = append(set, Named{Name: "p" + string(rune('0'+i)), Policy: mustParse(t, doc)})
			}
			req := Request{Action: tc.action, Resource: tc.resource}
			if req.Action == "" {
				req.Action = invoke
			}
			if req.Resource == "" {
				req.Resource = petsARN
			}
			for k, v := range tc.ctx {
				req.Context.Set(k, v...)
			}
			d := Evaluate(&req, set...)
			if d.Effect != tc.want {
				t.Fatalf("Evaluate = %v (%s), want %v (%s)", d.Effect, d.Reason, tc.want, tc.page)
			}
			if d.Reason == "" {
				t.Error("no reason")
			}
			switch d.Effect {
			case ImplicitDeny:
				if d.Matched != (StatementRef{}) {
					t.Errorf("implicit deny names %v", d.Matched)
				}
			default:
				got := d.Matched.Policy + "/" + string(rune('0'+d.Matched.Index))
				if tc.matched != "" && got != tc.matched {
					t.Errorf("matched %s, want %s", got, tc.matched)
				}
				st := set[d.Matched.Policy[1]-'0'].Policy.Statements[d.Matched.Index]
				if (st.Effect == "Deny") != (d.Effect == ExplicitDeny) || st.Sid != d.Matched.Sid {
					t.Errorf("matched statement %+v does not fit %v", st, d.Effect)
				}
			}
		})
	}
}

func TestReasons(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"Invoke","Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
		{"Sid":"NoProd","Effect":"Deny","Action":"execute-api:Invoke","Resource":"`+apiARN+`/prod/*"}]}`)
	set := []Named{{Name: "api-access", Policy: p}}
	req := Request{Action: invoke, Resource: petsARN}
	req.Context.Set(KeySourceIP, "192.0.2.1")
	for _, tc := range []struct {
		ip, resource string
		want         []string
	}{
		{"192.0.2.1", petsARN, []string{"implicitly denied", "Sid Invoke", `"api-access"`, "IpAddress on aws:SourceIp"}},
		{"10.1.2.3", petsARN, []string{"allowed by statement 0 (Sid Invoke) of policy \"api-access\""}},
		{"10.1.2.3", apiARN + "/prod/GET/pets", []string{"explicitly denied by statement 1 (Sid NoProd)"}},
	} {
		req.Context.Set(KeySourceIP, tc.ip)
		req.Resource = tc.resource
		d := Evaluate(&req, set...)
		for _, w := range tc.want {
			if !strings.Contains(d.Reason, w) {
				t.Errorf("%s %s: reason %q lacks %q", tc.ip, tc.resource, d.Reason, w)
			}
		}
	}
	d := Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, set...)
	if want := "implicitly denied: no statement allows s3:GetObject on arn:aws:s3:::b/k"; d.Reason != want {
		t.Errorf("reason %q, want %q", d.Reason, want)
	}
}

// A multivalued key under an operator without a set operator: some value must match a
// positive operator, none a negated one. AWS asks for a set operator here and does not
// document the result; this pins the choice.
func TestMultivaluedKeyWithoutSetOperator(t *testing.T) {
	amr := []string{"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab129faBb"}
	for _, tc := range []struct {
		cond string
		want Effect
	}{
		{`{"StringEquals":{"cognito-identity.amazonaws.com:amr":"authenticated"}}`, Allow},
		{`{"StringEquals":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}}`, ImplicitDeny},
		{`{"StringNotEquals":{"cognito-identity.amazonaws.com:amr":"authenticated"}}`, ImplicitDeny},
		{`{"StringNotEquals":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}}`, Allow},
	} {
		req := Request{Action: invoke, Resource: petsARN}
		req.Context.Set(KeyCognitoAmr, amr...)
		if d := mustParse(t, allowIf(invoke, "*", tc.cond)).Evaluate(&req); d.Effect != tc.want {
			t.Errorf("%s: %v, want %v", tc.cond, d.Effect, tc.want)
		}
	}
}

func TestContext(t *testing.T) {
	var c Context
	if c.Get("aws:SourceIp") != nil {
		t.Fatal("zero context has a value")
	}
	c.Set("AWS:SourceIP", "192.0.2.1")
	if got := c.Get("aws:sourceip"); len(got) != 1 || got[0] != "192.0.2.1" {
		t.Fatalf("Get = %v", got)
	}
	c.Set("aws:sourceip")
	if c.Get("aws:SourceIp") != nil {
		t.Fatal("Set without values did not remove the key")
	}
	c.SetTime(mustTime(t, "2026-05-01T12:00:00Z"))
	if got := c.Get(KeyCurrentTime); len(got) != 1 || got[0] != "2026-05-01T12:00:00Z" {
		t.Errorf("aws:CurrentTime = %v", got)
	}
	if got := c.Get(KeyEpochTime); len(got) != 1 || got[0] != "1777636800" {
		t.Errorf("aws:EpochTime = %v", got)
	}
	if (ImplicitDeny.String() + Allow.String() + ExplicitDeny.String()) != "ImplicitDenyAllowExplicitDeny" {
		t.Error("Effect.String")
	}
}

func TestRequestLimits(t *testing.T) {
	p := mustParse(t, allowIf(invoke, apiARN+"/*", `{"StringLike":{"aws:userid":"*"}}`))
	long := apiARN + "/dev/GET/" + strings.Repeat("a", MaxRequestLength)
	req := Request{Action: invoke, Resource: long[:MaxRequestLength]}
	req.Context.Set(KeyUserID, "AROA:x")
	if d := p.Evaluate(&req); d.Effect != Allow {
		t.Fatalf("resource of MaxRequestLength bytes: %v (%s)", d.Effect, d.Reason)
	}
	req.Resource = long[:MaxRequestLength+1]
	if d := p.Evaluate(&req); d.Effect != ImplicitDeny || !strings.Contains(d.Reason, "longer than 4096 bytes") {
		t.Fatalf("resource over MaxRequestLength: %v (%s)", d.Effect, d.Reason)
	}
	req.Resource = petsARN
	req.Context.Set(KeyUserID, strings.Repeat("x", MaxRequestLength+1))
	if d := p.Evaluate(&req); d.Effect != ImplicitDeny {
		t.Fatalf("context value over MaxRequestLength: %v (%s)", d.Effect, d.Reason)
	}
	// The worst patterns a policy can hold against the longest subject stay fast.
	for _, w := range []string{strings.Repeat("a*", MaxPolicyChars/2-1) + "b", strings.Repeat("*?", MaxPolicyChars/2-1) + "b", "*" + strings.Repeat("?", MaxPolicyChars-2) + "b"} {
		worst := compilePattern(w, true, false)
		if m, _ := worst.match(nil, strings.Repeat("a", MaxRequestLength)); m {
			t.Fatal("matched")
		}
	}
}

// lowerKey's table must agree with strings.ToLower for every key it knows.
func TestLowerKey(t *testing.T) {
	for _, k := range []string{KeyCurrentTime, KeyEpochTime, KeySourceIP, KeySecureTransport, KeyUserID,
		KeyPrincipalType, KeyPrincipalArn, KeyPrincipalAccount, KeyUsername, KeyCognitoSub, "Some:Other/Key"} {
		if got, want := lowerKey(k), strings.ToLower(k); got != want {
			t.Errorf("lowerKey(%q) = %q, want %q", k, got, want)
		}
	}
}
