package serverless

import (
	"regexp"
	"strings"
	"time"
)

// Authorizers, in every form the Framework accepts
// (https://www.serverless.com/framework/docs/providers/aws/events/apigateway#http-endpoints-with-custom-authorizers
// and the getAuthorizer logic of api-gateway/lib/validate.js), plus Gatehouse's
// COGNITO_GROUP_POLICY. An authorizer guards everything behind it, so here an unknown key, a
// contradiction or a setting that would silently do nothing is an error, never a warning.

var (
	// The Framework's cognitoIdpArnExpr: an ARN of the cognito-idp service.
	cognitoARNPattern = regexp.MustCompile(`^arn:[a-zA-Z-]*:cognito-idp`)
	// A user pool ARN, arn:aws:cognito-idp:{region}:{account}:userpool/{region}_{id}.
	userPoolARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:userpool/[\w-]+_[0-9a-zA-Z]+$`)
	// Fn::Sub "arn:…:userpool/${Pool}", once the pseudo parameters are substituted.
	subPoolARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:userpool/\$\{([A-Za-z0-9]+)\}$`)
	lambdaARNPattern  = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:([a-zA-Z0-9_-]+)(:[a-zA-Z0-9_$-]+)?$`)
	// Pieces of an AuthorizerUri that name a function: ${XLambdaFunction.Arn} in Fn::Sub and
	// :function:NAME in literal text.
	subRefPattern       = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(?:\.Arn)?\}`)
	subARNOnlyPattern   = regexp.MustCompile(`^\$\{([A-Za-z0-9]+)\.Arn\}$`)
	functionNamePiece   = regexp.MustCompile(`:function:([a-zA-Z0-9_-]+)`)
	headerSourcePattern = regexp.MustCompile(`^method\.request\.header\.[!#$%&'*+.^_|~0-9A-Za-z-]+$`)
	// REQUEST authorizers read headers, query strings, stage variables and context variables
	// (API Gateway developer guide, "Lambda authorizer input": identity sources).
	requestSourcePattern = regexp.MustCompile(`^(method\.request\.(header|querystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+)$`)
	scopePattern         = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]+$`) // RFC 6749 §3.3 scope-token
)

func authorizerKeys() keySet {
	return keySet{
		used:   []string{"name", "arn", "authorizerId", "type", "scopes", "identitySource", "resultTtlInSeconds", "identityValidationExpression", "claims", "rolesFromGroups"},
		silent: []string{"managedExternally"}, // only decides who deploys the Lambda permission
	}
}

// authorizerType normalises a type setting; "" when unset.
func (d *decoder) authorizerType(v Value, path string) (string, bool) {
	s, ok := d.str(v, path)
	if !ok {
		return "", false
	}
	t := strings.ToUpper(s)
	switch t {
	case "TOKEN", "REQUEST", "COGNITO_USER_POOLS", "AWS_IAM", "CUSTOM", "COGNITO_GROUP_POLICY":
		return t, true
	}
	d.rep.errorf(v.Pos, ErrInvalid, "%s is %q; want TOKEN, REQUEST, COGNITO_USER_POOLS, AWS_IAM or COGNITO_GROUP_POLICY", path, s)
	return "", false
}

func isPoolType(t AuthorizerType) bool {
	return t == AuthCognitoUserPools || t == AuthCognitoGroupPolicy
}

// authorizer reads the authorizer of an http event.
func (d *decoder) authorizer(v Value, path string, e *Endpoint) (Authorizer, bool) {
	before := len(d.rep.errs)
	a := d.authorizerForm(v, path, e)
	if a.Type == AuthToken || a.Type == AuthRequest {
		if fn := d.funcs[a.FunctionName]; fn != nil && fn.Handler == "" {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: authorizer function %s has no handler", path, fn.Name)
		}
	}
	return a, len(d.rep.errs) == before
}

func (d *decoder) authorizerForm(v Value, path string, e *Endpoint) Authorizer {
	a := Authorizer{Type: AuthNone, Pos: v.Pos, ResultTTL: DefaultAuthorizerTTL}
	switch v.Kind {
	case KindString:
		return d.authorizerString(v, path)
	case KindMap:
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be aws_iam, a function name, an ARN or a map, not %s", path, v.describe())
		return a
	}
	d.checkKeys(v, path, authorizerKeys(), unknownFails)
	typ := ""
	if t, ok := v.Get("type"); ok {
		if typ, ok = d.authorizerType(t, path+".type"); !ok {
			return a
		}
	}
	if id, ok := v.Get("authorizerId"); ok {
		return d.authorizerByID(v, id, typ, path)
	}
	switch typ {
	case "AWS_IAM":
		d.noEffect(v, path, "with type AWS_IAM", "arn", "scopes", "identitySource", "identityValidationExpression", "resultTtlInSeconds", "claims", "rolesFromGroups")
		a.Type = AuthIAM
		return a
	case "CUSTOM":
		d.rep.errorf(v.Pos, ErrInvalid, "%s: type CUSTOM goes with authorizerId; for a function authorizer write type TOKEN or REQUEST", path)
		return a
	}
	arnV, hasARN := v.Get("arn")
	if n, ok := v.Get("name"); ok {
		a.Name, _ = d.nonEmpty(n, path+".name")
	}
	switch {
	case hasARN:
		pool := typ == string(AuthCognitoUserPools) || typ == string(AuthCognitoGroupPolicy) ||
			arnV.Kind == KindString && cognitoARNPattern.MatchString(arnV.Str)
		if pool {
			if typ == "TOKEN" || typ == "REQUEST" {
				d.rep.errorf(v.Pos, ErrInvalid, "%s: type %s contradicts the Cognito user pool arn", path, typ)
				return a
			}
			a.Type = AuthorizerType(firstOf(typ, string(AuthCognitoUserPools)))
			arn, ref, ok := d.poolARN(arnV, path+".arn")
			if !ok {
				return a
			}
			a.PoolARNs, a.PoolRefs = oneOrNone(arn), oneOrNone(ref)
			if a.Name == "" {
				if arnV.Kind != KindString {
					// validate.js: "Please provide an authorizer name for authorizers of type
					// COGNITO_USER_POOLS" when the arn is not literal.
					d.rep.errorf(v.Pos, ErrInvalid, "%s.name is missing: an authorizer whose arn is a CloudFormation expression needs a name", path)
					return a
				}
				a.Name = authorizerNameFromARN(arnV.Str)
			}
		} else {
			a.Type = AuthorizerType(firstOf(typ, string(AuthToken)))
			fn, ok := d.lambdaTarget(arnV, path+".arn")
			if !ok {
				return a
			}
			a.FunctionName = fn
			if a.Name == "" {
				a.Name = fn
				if arnV.Kind == KindString {
					a.Name = authorizerNameFromARN(arnV.Str)
				}
			}
		}
	case a.Name != "":
		if typ == string(AuthCognitoUserPools) || typ == string(AuthCognitoGroupPolicy) {
			d.rep.errorf(v.Pos, ErrInvalid, "%s.arn is missing: a %s authorizer needs the user pool's ARN", path, typ)
			return a
		}
		a.Type = AuthorizerType(firstOf(typ, string(AuthToken)))
		if d.funcs[a.Name] == nil {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: no function %q in functions (an authorizer named without an arn is a function of this service)", path, a.Name)
			return a
		}
		a.FunctionName = a.Name
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s needs a name (an authorizer function of this service) or an arn", path)
		return a
	}
	if t, ok := v.Get("resultTtlInSeconds"); ok {
		a.ResultTTL = d.ttl(t, path+".resultTtlInSeconds")
	}
	is, hasIS := v.Get("identitySource")
	a.IdentitySource = d.identitySource(is, hasIS, a.Type, a.ResultTTL, path+".identitySource", false, v.Pos)
	if r, ok := v.Get("identityValidationExpression"); ok {
		d.validationExpression(&a, r, path+".identityValidationExpression")
	}
	if s, ok := v.Get("scopes"); ok {
		a.Scopes = d.scopes(s, path+".scopes", a.Type)
	}
	if g, ok := v.Get("rolesFromGroups"); ok {
		a.RolesFromGroups = d.rolesFromGroups(g, path+".rolesFromGroups", a.Type)
	}
	if c, ok := v.Get("claims"); ok {
		a.Claims, _ = d.strList(c, path+".claims", false)
		if len(a.Claims) > 0 && e.Integration.Type != IntegrationLambda {
			// validate.js: "Cognito claims can only be filtered when using the lambda
			// integration type".
			d.rep.errorf(c.Pos, ErrInvalid, "%s.claims: claims can only be filtered with the lambda integration", path)
		}
	}
	if m, ok := v.Get("managedExternally"); ok {
		d.boolean(m, path+".managedExternally")
	}
	return a
}

func oneOrNone(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// noEffect refuses keys that would do nothing in this form of authorizer.
func (d *decoder) noEffect(v Value, path, why string, keys ...string) {
	for _, k := range keys {
		if x, ok := v.Get(k); ok {
			d.rep.errorf(x.Pos, ErrInvalid, "%s.%s has no effect %s; remove it", path, k, why)
		}
	}
}

// authorizerString reads the string forms: aws_iam, a function name, or an ARN (a user pool's
// or a Lambda function's).
func (d *decoder) authorizerString(v Value, path string) Authorizer {
	a := Authorizer{
		Type:           AuthNone,
		Pos:            v.Pos,
		ResultTTL:      DefaultAuthorizerTTL,
		IdentitySource: []string{"method.request.header.Authorization"},
	}
	s := v.Str
	switch {
	case strings.EqualFold(s, "aws_iam"):
		return Authorizer{Type: AuthIAM, Pos: v.Pos}
	case s == "":
		d.rep.errorf(v.Pos, ErrInvalid, "%s is empty", path)
	case !strings.Contains(s, ":"):
		if d.funcs[s] == nil {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: no function %q in functions (a string authorizer without \":\" names a function of this service)", path, s)
			return a
		}
		a.Type, a.Name, a.FunctionName = AuthToken, s, s
	case cognitoARNPattern.MatchString(s):
		arn, _, ok := d.poolARN(v, path)
		if ok {
			a.Type, a.Name, a.PoolARNs = AuthCognitoUserPools, authorizerNameFromARN(s), []string{arn}
		}
	default:
		fn, ok := d.lambdaTarget(v, path)
		if ok {
			a.Type, a.Name, a.FunctionName = AuthToken, authorizerNameFromARN(s), fn
		}
	}
	return a
}

// authorizerNameFromARN is the Framework's naming.extractAuthorizerNameFromArn: the last ":"
// part of the ARN, then its last "-" part.
func authorizerNameFromARN(arn string) string {
	parts := strings.Split(arn, ":")
	last := strings.Split(parts[len(parts)-1], "-")
	return last[len(last)-1]
}

// authorizerByID reads {type, authorizerId: {Ref: X}, scopes}: the authorizer is the
// AWS::ApiGateway::Authorizer resource X of this file.
func (d *decoder) authorizerByID(v, idV Value, typ, path string) Authorizer {
	a := Authorizer{Type: AuthNone, Pos: v.Pos}
	if typ == "" {
		d.rep.errorf(v.Pos, ErrInvalid, "%s.type is missing: authorizerId goes with type COGNITO_USER_POOLS, TOKEN, REQUEST or CUSTOM", path)
		return a
	}
	id, ok := refTarget(idV)
	if !ok {
		d.rep.errorf(idV.Pos, ErrInvalid, "%s.authorizerId must be {Ref: LogicalId} of an AWS::ApiGateway::Authorizer in resources.Resources; an authorizer made outside this file cannot be resolved", path)
		return a
	}
	res := d.res[id]
	switch {
	case res == nil:
		d.rep.errorf(idV.Pos, ErrInvalid, "%s.authorizerId: resources.Resources has no %s", path, id)
		return a
	case res.Type != TypeAPIGatewayAuthorizer:
		d.rep.errorf(idV.Pos, ErrInvalid, "%s.authorizerId: %s is %s, not %s", path, id, res.Type, TypeAPIGatewayAuthorizer)
		return a
	case res.Authorizer == nil:
		return a // its own errors are reported
	}
	a = *res.Authorizer
	a.Pos, a.ResourceID = v.Pos, id
	compatible := false
	switch typ {
	case "COGNITO_USER_POOLS":
		compatible = a.Type == AuthCognitoUserPools
	case "COGNITO_GROUP_POLICY":
		compatible = isPoolType(a.Type)
		a.Type = AuthCognitoGroupPolicy
	case "TOKEN", "REQUEST", "CUSTOM":
		compatible = a.Type == AuthToken || a.Type == AuthRequest
	}
	if !compatible {
		d.rep.errorf(v.Pos, ErrInvalid, "%s.type %s does not match the %s authorizer %s (line %d)", path, typ, res.Authorizer.Type, id, res.Pos.Line)
		return Authorizer{Type: AuthNone, Pos: v.Pos}
	}
	d.noEffect(v, path, "with authorizerId: set it on the resource "+id, "arn", "identitySource", "identityValidationExpression", "resultTtlInSeconds", "claims", "rolesFromGroups")
	a.Scopes = nil
	if s, ok := v.Get("scopes"); ok {
		a.Scopes = d.scopes(s, path+".scopes", a.Type)
	}
	return a
}

// rolesFromGroups reads Gatehouse's rolesFromGroups (RolesFromGroups on a resource): a
// COGNITO_GROUP_POLICY authorizer takes the roles of every group in cognito:groups instead
// of the token's cognito:roles.
func (d *decoder) rolesFromGroups(v Value, path string, t AuthorizerType) bool {
	b, ok := d.boolean(v, path)
	if !ok {
		return false
	}
	if t != AuthCognitoGroupPolicy {
		d.rep.errorf(v.Pos, ErrInvalid, "%s applies to COGNITO_GROUP_POLICY authorizers only; a %s authorizer would ignore it", path, t)
		return false
	}
	return b
}

// refTarget returns X of {Ref: X}.
func refTarget(v Value) (string, bool) {
	name, arg, ok := v.Intrinsic()
	if !ok || name != "Ref" || arg.Kind != KindString {
		return "", false
	}
	return arg.Str, true
}

// ttl reads resultTtlInSeconds: 0 (no caching) to 3600.
func (d *decoder) ttl(v Value, path string) time.Duration {
	n, ok := d.intRange(v, path, 0, int(MaxAuthorizerTTL/time.Second), " seconds (0 turns caching off)")
	if !ok {
		return DefaultAuthorizerTTL
	}
	return time.Duration(n) * time.Second
}

// identitySource reads where the credential comes from. When absent it is the Authorization
// header, except for a REQUEST authorizer without caching (validate.js); resources, which
// CloudFormation takes as written, get no default.
func (d *decoder) identitySource(v Value, present bool, t AuthorizerType, ttl time.Duration, path string, resource bool, pos Pos) []string {
	if !present || v.Kind == KindNull {
		switch {
		case t == AuthRequest && ttl == 0:
			return nil
		case resource && t == AuthRequest:
			d.rep.errorf(pos, ErrInvalid, "%s is missing: a REQUEST authorizer with caching needs the identity sources that key its cache", path)
			return nil
		case resource:
			d.rep.errorf(pos, ErrInvalid, "%s is missing: a %s authorizer needs the header that carries the token (method.request.header.Authorization)", path, t)
			return nil
		}
		return []string{"method.request.header.Authorization"}
	}
	s, ok := d.str(v, path)
	if !ok {
		return nil
	}
	var parts []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if t == AuthRequest {
		for _, p := range parts {
			if !requestSourcePattern.MatchString(p) {
				d.rep.errorf(v.Pos, ErrInvalid, "%s: %q is not an identity source (method.request.header.NAME, method.request.querystring.NAME, stageVariables.NAME or context.NAME)", path, p)
				return nil
			}
		}
		if len(parts) == 0 && ttl > 0 {
			d.rep.errorf(v.Pos, ErrInvalid, "%s is empty: a REQUEST authorizer with caching needs the identity sources that key its cache", path)
		}
		return parts
	}
	if len(parts) != 1 || !headerSourcePattern.MatchString(parts[0]) {
		d.rep.errorf(v.Pos, ErrInvalid, "%s is %q; a %s authorizer reads one header, such as method.request.header.Authorization", path, s, t)
		return nil
	}
	return parts
}

// validationExpression compiles identityValidationExpression. API Gateway matches the whole
// token against it (Java regular expressions; Go's RE2 accepts the common subset) and
// ignores it for REQUEST authorizers (API reference, Authorizer).
func (d *decoder) validationExpression(a *Authorizer, v Value, path string) {
	s, ok := d.str(v, path)
	if !ok {
		return
	}
	if a.Type == AuthRequest {
		d.rep.errorf(v.Pos, ErrInvalid, "%s has no effect on a REQUEST authorizer (API Gateway ignores it); remove it", path)
		return
	}
	re, err := regexp.Compile(`^(?:` + s + `)$`)
	if err != nil {
		d.rep.errorf(v.Pos, ErrInvalid, "%s %q is not a regular expression Gatehouse can run: %v", path, s, err)
		return
	}
	a.ValidationExpression, a.ValidationPattern = re, s
}

// scopes reads OAuth scopes, which only user pool authorizers check.
func (d *decoder) scopes(v Value, path string, t AuthorizerType) []string {
	list, ok := d.strList(v, path, false)
	if !ok || len(list) == 0 {
		return nil
	}
	if !isPoolType(t) {
		d.rep.errorf(v.Pos, ErrInvalid, "%s: scopes are checked only by COGNITO_USER_POOLS authorizers; a %s authorizer would ignore them", path, t)
		return nil
	}
	for i, s := range list {
		if !scopePattern.MatchString(s) {
			d.rep.errorf(v.List[i].Pos, ErrInvalid, "%s: %q is not an OAuth scope", path, s)
		}
	}
	return list
}

// poolARN reads a user pool ARN: literal text, Fn::GetAtt [Pool, Arn] of a pool of this file,
// or Fn::Sub of the two.
func (d *decoder) poolARN(v Value, path string) (arn, ref string, ok bool) {
	if v.Kind == KindString {
		if !userPoolARNPattern.MatchString(v.Str) {
			d.rep.errorf(v.Pos, ErrInvalid, "%s %q is not a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)", path, v.Str)
			return "", "", false
		}
		return v.Str, "", true
	}
	name, arg, isFn := v.Intrinsic()
	switch {
	case isFn && name == "Fn::GetAtt":
		id, attr, good := getAttArgs(arg)
		if !good {
			break
		}
		if attr != "Arn" {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: Fn::GetAtt %s.%s is not the pool's ARN; use %s.Arn", path, id, attr, id)
			return "", "", false
		}
		return "", id, d.wantPool(v, path, id)
	case isFn && name == "Fn::Sub" && arg.Kind == KindString:
		s := d.subPseudo(arg.Str)
		if m := subARNOnlyPattern.FindStringSubmatch(s); m != nil {
			return "", m[1], d.wantPool(v, path, m[1])
		}
		if m := subPoolARNPattern.FindStringSubmatch(s); m != nil {
			return "", m[1], d.wantPool(v, path, m[1])
		}
		if userPoolARNPattern.MatchString(s) {
			return s, "", true
		}
		d.rep.errorf(v.Pos, ErrInvalid, "%s: Fn::Sub %q is not a user pool ARN Gatehouse can resolve; use a literal ARN or Fn::GetAtt [Pool, Arn]", path, arg.Str)
		return "", "", false
	}
	d.rep.errorf(v.Pos, ErrInvalid, "%s must be a user pool ARN or Fn::GetAtt [Pool, Arn], not %s", path, v.describe())
	return "", "", false
}

// wantPool checks that id is an AWS::Cognito::UserPool of this file.
func (d *decoder) wantPool(v Value, path, id string) bool {
	res := d.res[id]
	switch {
	case res == nil:
		d.rep.errorf(v.Pos, ErrInvalid, "%s: resources.Resources has no %s", path, id)
		return false
	case res.Type != TypeCognitoUserPool:
		d.rep.errorf(v.Pos, ErrInvalid, "%s: %s is %s, not %s", path, id, res.Type, TypeCognitoUserPool)
		return false
	}
	return true
}

// getAttArgs reads [Resource, Attribute] (or "Resource.Attribute").
func getAttArgs(arg Value) (id, attr string, ok bool) {
	switch arg.Kind {
	case KindList:
		if len(arg.List) == 2 && arg.List[0].Kind == KindString && arg.List[1].Kind == KindString {
			return arg.List[0].Str, arg.List[1].Str, true
		}
	case KindString:
		return strings.Cut(arg.Str, ".")
	}
	return "", "", false
}

// subPseudo substitutes CloudFormation's pseudo parameters in a Fn::Sub string.
func (d *decoder) subPseudo(s string) string {
	account := firstOf(d.opts.AccountID, DefaultAccountID)
	return strings.NewReplacer(
		"${AWS::Region}", d.svc.Region,
		"${AWS::AccountId}", account,
		"${AWS::Partition}", "aws",
		"${AWS::URLSuffix}", "amazonaws.com",
	).Replace(s)
}

// lambdaTarget finds the function of this service a Lambda ARN or an AuthorizerUri names.
func (d *decoder) lambdaTarget(v Value, path string) (string, bool) {
	if fn := d.functionIn(v, 0); fn != "" {
		return fn, true
	}
	if v.Kind == KindString {
		d.rep.errorf(v.Pos, ErrInvalid, "%s %q is not a function of this service: Gatehouse runs only the functions under functions", path, v.Str)
	} else {
		d.rep.errorf(v.Pos, ErrInvalid, "%s: cannot tell which function of this service %s names; name the function (Fn::GetAtt [%s, Arn])", path, v.describe(), functionLogicalID("myAuthorizer"))
	}
	return "", false
}

// functionIn searches v for a reference to a function of this service: a Lambda ARN (also
// inside an apigateway …/functions/ARN/invocations URI), Fn::GetAtt [XLambdaFunction, Arn],
// Ref XLambdaFunction, or ${XLambdaFunction.Arn} in a Fn::Sub.
func (d *decoder) functionIn(v Value, depth int) string {
	if depth > MaxNesting {
		return ""
	}
	switch v.Kind {
	case KindString:
		if m := functionNamePiece.FindStringSubmatch(v.Str); m != nil {
			return d.functionByName(m[1])
		}
		if m := lambdaARNPattern.FindStringSubmatch(v.Str); m != nil {
			return d.functionByName(m[1])
		}
	case KindList:
		for _, c := range v.List {
			if fn := d.functionIn(c, depth+1); fn != "" {
				return fn
			}
		}
	case KindMap:
		name, arg, ok := v.Intrinsic()
		if ok {
			switch name {
			case "Fn::GetAtt":
				if id, _, good := getAttArgs(arg); good {
					return d.functionByLogicalID(id)
				}
			case "Ref":
				if arg.Kind == KindString {
					return d.functionByLogicalID(arg.Str)
				}
			case "Fn::Sub":
				s := arg
				if s.Kind == KindList && len(s.List) > 0 {
					s = s.List[0]
				}
				if s.Kind == KindString {
					for _, m := range subRefPattern.FindAllStringSubmatch(s.Str, -1) {
						if fn := d.functionByLogicalID(m[1]); fn != "" {
							return fn
						}
					}
					if m := functionNamePiece.FindStringSubmatch(s.Str); m != nil {
						return d.functionByName(m[1])
					}
				}
				return ""
			}
		}
		for _, f := range v.Map {
			if fn := d.functionIn(f.Value, depth+1); fn != "" {
				return fn
			}
		}
	}
	return ""
}

// functionByName returns the key of the function deployed as name.
func (d *decoder) functionByName(name string) string {
	for _, key := range d.fnOrder {
		if d.funcs[key].FunctionName == name {
			return key
		}
	}
	return ""
}

// functionByLogicalID returns the key of the function whose AWS::Lambda::Function has the
// logical ID id.
func (d *decoder) functionByLogicalID(id string) string {
	for _, key := range d.fnOrder {
		if functionLogicalID(key) == id {
			return key
		}
	}
	return ""
}
