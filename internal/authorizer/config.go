package authorizer

import (
	"errors"
	"fmt"
	"net/textproto"
	"strings"

	"github.com/gatehouse/gatehouse/internal/token"
)

// MaxPools is how many user pools one COGNITO_USER_POOLS authorizer may name: "You can use up
// to 1,000 user pools for one COGNITO_USER_POOLS authorizer. This limit cannot be increased."
// (developer guide: apigateway-enable-cognito-user-pool.html).
const MaxPools = 1000

// DefaultIdentitySource is where a Cognito authorizer reads the token when the configuration
// names no header, as the Serverless Framework and the API Gateway console default it.
const DefaultIdentitySource = "method.request.header.Authorization"

// headerSourcePrefix is the only identity source form a COGNITO_USER_POOLS authorizer takes:
// "the request header mapping expression for the custom header holding the authorization
// token" (API Gateway API reference, Authorizer: identitySource).
const headerSourcePrefix = "method.request.header."

// PoolIDFromARN returns the user pool ID of a user pool ARN,
// arn:{partition}:cognito-idp:{region}:{account}:userpool/{poolId} (API Gateway API reference,
// Authorizer: providerARNs). It refuses anything else, including the
// ${stageVariables.NAME} form the console allows, which Gatehouse does not resolve.
func PoolIDFromARN(arn string) (string, error) {
	want := func(what string) error {
		return fmt.Errorf("authorizer: %q is not a user pool ARN (%s; want arn:aws:cognito-idp:{region}:{account}:userpool/{poolId})", arn, what)
	}
	if strings.Contains(arn, "${") {
		return "", want("stage variables in provider ARNs are not supported")
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", want("not an ARN")
	}
	partition, service, region, account, resource := parts[1], parts[2], parts[3], parts[4], parts[5]
	if !validPartition(partition) {
		return "", want("bad partition " + partition)
	}
	if service != "cognito-idp" {
		return "", want("service is " + service + ", not cognito-idp")
	}
	if !validRegion(region) {
		return "", want("bad region")
	}
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		return "", want("the account is not 12 digits")
	}
	id, ok := strings.CutPrefix(resource, "userpool/")
	if !ok {
		return "", want("the resource is not userpool/{poolId}")
	}
	if !token.ValidPoolID(id) {
		return "", want("bad user pool id " + id)
	}
	// A pool ID begins with its region (us-east-1_AbC123xyz): a mismatch is a typo, and
	// the pool could not exist in the region the ARN names.
	if id[:strings.LastIndexByte(id, '_')] != region {
		return "", want("pool " + id + " is not in region " + region)
	}
	return id, nil
}

// validPartition accepts aws, aws-cn, aws-us-gov, aws-iso-b, …
func validPartition(p string) bool {
	rest, ok := strings.CutPrefix(p, "aws")
	if !ok {
		return false
	}
	for _, part := range strings.Split(rest, "-")[1:] {
		if part == "" || strings.Trim(part, "abcdefghijklmnopqrstuvwxyz") != "" {
			return false
		}
	}
	return rest == "" || rest[0] == '-'
}

// validRegion accepts us-east-1, eu-central-2, us-gov-west-1, …: lowercase letters, digits
// and hyphens.
func validRegion(r string) bool {
	if r == "" || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for _, c := range []byte(r) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// headerFromIdentitySource returns the canonical header name of a Cognito authorizer's
// identity source: none (DefaultIdentitySource) or exactly one method.request.header.NAME.
// Query strings, stage variables and context variables are identity sources of REQUEST
// authorizers only.
func headerFromIdentitySource(sources []string) (string, error) {
	switch len(sources) {
	case 0:
		sources = []string{DefaultIdentitySource}
	case 1:
	default:
		return "", fmt.Errorf("authorizer: identity source %q: a COGNITO_USER_POOLS authorizer reads one header", strings.Join(sources, ", "))
	}
	src := strings.TrimSpace(sources[0])
	name, ok := strings.CutPrefix(src, headerSourcePrefix)
	if !ok || name == "" {
		return "", fmt.Errorf("authorizer: identity source %q: a COGNITO_USER_POOLS authorizer reads a header, %sNAME", src, headerSourcePrefix)
	}
	for _, c := range []byte(name) {
		if !isTokenChar(c) {
			return "", fmt.Errorf("authorizer: identity source %q: %q is not a header name", src, name)
		}
	}
	return textproto.CanonicalMIMEHeaderKey(name), nil
}

// isTokenChar reports whether c may appear in an HTTP field name (RFC 9110 §5.6.2, tchar).
func isTokenChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// checkScopes refuses scopes that no token could carry: the scope claim is a space-separated
// list, so a scope is a non-empty run of visible characters (RFC 6749 §3.3, scope-token).
func checkScopes(scopes []string) error {
	for _, s := range scopes {
		if s == "" {
			return errors.New("authorizer: empty authorization scope")
		}
		for _, c := range []byte(s) {
			if c <= ' ' || c == '"' || c == '\\' || c >= 0x7f {
				return fmt.Errorf("authorizer: authorization scope %q has a character a scope cannot hold", s)
			}
		}
	}
	return nil
}
