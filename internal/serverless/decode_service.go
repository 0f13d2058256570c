package serverless

import (
	"regexp"
	"strings"
	"time"
)

// Patterns from the Framework's configuration schema and API Gateway's limits.
var (
	// Service names: lib/config-schema.js, service.
	serviceNamePattern = regexp.MustCompile(`^[a-zA-Z][0-9a-zA-Z-]+$`)
	// Stage names: "it should contains only [-_a-zA-Z0-9] for AWS provider if http event are
	// present" (api-gateway/lib/validate.js).
	stageNamePattern = regexp.MustCompile(`^[-_a-zA-Z0-9]+$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
)

func topLevelKeys() keySet {
	return keySet{
		used:   []string{"service", "provider", "functions", "resources", "custom", "plugins"},
		silent: []string{"params", "stages"},
		info: map[string]string{
			"frameworkVersion":                    deployOnly,
			"package":                             deployOnly,
			"useDotenv":                           "accepted; Gatehouse does not read .env files: pass their variables through the environment",
			"configValidationMode":                deployOnly,
			"deprecationNotificationMode":         deployOnly,
			"variablesResolutionMode":             deployOnly,
			"unresolvedVariablesNotificationMode": deployOnly,
			"disabledDeprecations":                deployOnly,
			"org":                                 deployOnly,
			"app":                                 deployOnly,
			"console":                             deployOnly,
			"dashboard":                           deployOnly,
			"license":                             deployOnly,
			"build":                               deployOnly,
			"layers":                              deployOnly,
			"outputs":                             "Serverless Dashboard outputs, not used by Gatehouse",
		},
	}
}

// decodeService reads the resolved document.
func decodeService(rep *report, file string, root Value, opts Options) *Service {
	d := &decoder{
		rep:    rep,
		opts:   opts,
		root:   root,
		svc:    &Service{File: file, Config: root, CORS: map[string]*CORS{}},
		funcs:  map[string]*Function{},
		events: map[string]Value{},
		res:    map[string]*Resource{},

		resPaths: map[string]string{},
		epPaths:  map[*Endpoint]string{},
		badAuth:  map[*Endpoint]bool{},
	}
	d.checkKeys(root, "", topLevelKeys(), unknownWarns)
	d.serviceName()
	d.provider()
	d.plugins()
	if v, ok := root.Get("custom"); ok && d.wantMap(v, "custom") && len(v.Map) > 0 {
		keys := make([]string, len(v.Map))
		for i, f := range v.Map {
			keys[i] = f.Key
		}
		rep.infof(v.Pos, "custom: %s kept for ${self:custom.…} variables; plugin settings in it are not used by Gatehouse", strings.Join(keys, ", "))
	}
	d.functions()
	if h, ok := d.path("provider", "httpApi"); ok {
		d.httpAPIProvider(h) // after functions: request authorizers name one
	}
	d.resources()
	d.endpoints()
	d.finishHTTPAPI()
	d.validate()
	return d.svc
}

func (d *decoder) serviceName() {
	v, ok := d.root.Get("service")
	if !ok {
		d.rep.errorf(Pos{Line: 1, Col: 1}, ErrInvalid, "service is missing: name the service (service: my-service)")
		return
	}
	if v.Kind == KindMap {
		// The Framework's old form, service: {name: x}.
		d.rep.warnf(v.Pos, "service: the object form is deprecated; write service: NAME")
		n, ok := v.Get("name")
		if !ok {
			d.rep.errorf(v.Pos, ErrInvalid, "service.name is missing")
			return
		}
		v = n
	}
	name, ok := d.nonEmpty(v, "service")
	if !ok {
		return
	}
	if !serviceNamePattern.MatchString(name) {
		d.rep.warnf(v.Pos, "service %q: the Serverless Framework wants a letter, then letters, digits and hyphens", name)
	}
	d.svc.Name = name
}

func (d *decoder) plugins() {
	v, ok := d.root.Get("plugins")
	if !ok || v.Kind == KindNull {
		return
	}
	if v.Kind == KindMap { // {localPath, modules: […]}
		v, _ = v.Get("modules")
	}
	names, _ := d.strList(v, "plugins", false)
	d.svc.Plugins = names
	if len(names) > 0 {
		d.rep.infof(v.Pos, "plugins: %s not loaded: Gatehouse runs no plugin code (serverless-offline's job is Gatehouse's own)", strings.Join(names, ", "))
	}
}

func providerKeys() keySet {
	info := map[string]string{}
	for _, k := range []string{
		"profile", "deploymentBucket", "deploymentPrefix", "deploymentMethod", "iam",
		"iamRoleStatements", "iamManagedPolicies", "role", "rolePermissionsBoundary", "cfnRole",
		"tags", "stackTags", "stackName", "stackPolicy", "stackParameters", "notificationArns",
		"disableRollback", "tracing", "logs", "logRetentionInDays", "logDataProtectionPolicy",
		"versionFunctions", "lambdaHashingVersion", "architecture", "vpc", "layers", "kmsKeyArn",
		"endpointType", "vpcEndpointIds", "usagePlan", "alb", "ecr", "eventBridge", "s3",
		"cloudFront", "websocketsApiName", "websocketsApiRouteSelectionExpression", "websockets",
		"runtimeManagement", "environmentFile", "timeoutInMillis", "sts", "deploymentRole",
		"ephemeralStorageSize",
	} {
		info[k] = deployOnly
	}
	return keySet{
		used: []string{"name", "runtime", "stage", "region", "environment", "timeout", "memorySize", "apiGateway", "apiName", "apiKeys", "httpApi"},
		info: info,
		warn: map[string]string{
			"resourcePolicy": "the API's resource policy is NOT enforced by Gatehouse: requests are not filtered by it",
		},
	}
}

func (d *decoder) provider() {
	p := &d.svc.Provider
	p.Timeout = 6 * time.Second // the Framework's default (provider.timeout)
	p.MemorySize = 1024         // likewise (provider.memorySize)
	p.APIGateway.MinimumCompressionSize = -1
	p.APIGateway.APIKeySourceType = "HEADER"
	v, ok := d.root.Get("provider")
	if !ok {
		d.rep.errorf(Pos{Line: 1, Col: 1}, ErrInvalid, "provider is missing: add provider: {name: aws, runtime: …}")
		return
	}
	if !d.wantMap(v, "provider") {
		return
	}
	p.Pos = v.Pos
	d.checkKeys(v, "provider", providerKeys(), unknownWarns)
	if n, ok := v.Get("name"); !ok {
		d.rep.errorf(v.Pos, ErrInvalid, "provider.name is missing: Gatehouse serves aws services (name: aws)")
	} else if s, ok := d.str(n, "provider.name"); ok {
		if s != "aws" {
			d.rep.errorf(n.Pos, ErrInvalid, "provider.name is %q: Gatehouse serves only aws services", s)
		}
		p.Name = s
	}
	if r, ok := v.Get("runtime"); ok {
		p.Runtime, _ = d.nonEmpty(r, "provider.runtime")
	}
	if s, ok := v.Get("stage"); ok {
		p.Stage, _ = d.nonEmpty(s, "provider.stage")
	}
	if r, ok := v.Get("region"); ok {
		p.Region, _ = d.nonEmpty(r, "provider.region")
	}
	if t, ok := v.Get("timeout"); ok {
		if n, ok := d.intRange(t, "provider.timeout", 1, 900, " seconds"); ok {
			p.Timeout = time.Duration(n) * time.Second
		}
	}
	if m, ok := v.Get("memorySize"); ok {
		p.MemorySize, _ = d.intRange(m, "provider.memorySize", 128, 10240, " MB")
	}
	if e, ok := v.Get("environment"); ok {
		p.Environment = d.environment(e, "provider.environment", nil)
	}
	if a, ok := v.Get("apiName"); ok {
		p.APIName, _ = d.nonEmpty(a, "provider.apiName")
	}
	if a, ok := v.Get("apiGateway"); ok && d.wantMap(a, "provider.apiGateway") {
		d.apiGateway(a)
	}
	if k, ok := v.Get("apiKeys"); ok {
		// Framework v1/v2 wrote provider.apiKeys; v3 moved it under apiGateway.
		d.rep.infof(k.Pos, "provider.apiKeys: deprecated by the Framework; write provider.apiGateway.apiKeys")
		d.apiKeys(k, "provider.apiKeys")
	}

	d.svc.Stage = firstOf(d.opts.Stage, p.Stage, "dev")
	d.svc.Region = firstOf(d.opts.Region, p.Region, "us-east-1")
	if !stageNamePattern.MatchString(d.svc.Stage) {
		d.rep.errorf(d.stagePos(), ErrInvalid, "stage %q: API Gateway stage names hold only letters, digits, - and _", d.svc.Stage)
	}
	if !regionPattern.MatchString(d.svc.Region) {
		d.rep.errorf(d.regionPos(), ErrInvalid, "region %q is not an AWS region name (us-east-1, eu-west-3…)", d.svc.Region)
	}
	if p.APIName == "" {
		p.APIName = d.svc.Stage + "-" + d.svc.Name // the Framework's naming.getApiGatewayName
	}
}

func (d *decoder) stagePos() Pos {
	if s, ok := d.path("provider", "stage"); ok && d.opts.Stage == "" {
		return s.Pos
	}
	return Pos{}
}

func (d *decoder) regionPos() Pos {
	if s, ok := d.path("provider", "region"); ok && d.opts.Region == "" {
		return s.Pos
	}
	return Pos{}
}

// path returns the value at keys in the document.
func (d *decoder) path(keys ...string) (Value, bool) {
	cur := d.root
	for _, k := range keys {
		var ok bool
		if cur, ok = child(cur, k); !ok {
			return Value{}, false
		}
	}
	return cur, true
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func apiGatewayKeys() keySet {
	return keySet{
		used:   []string{"binaryMediaTypes", "minimumCompressionSize", "apiKeys", "apiKeySourceType", "description"},
		silent: []string{"shouldStartNameWithService"},
		info: map[string]string{
			"metrics":                deployOnly,
			"usagePlan":              "usage plans (throttling and quotas) are not enforced by Gatehouse",
			"request":                "request schemas are not validated by Gatehouse",
			"websocketApiId":         deployOnly,
			"timeoutInMillis":        deployOnly,
			"disableDefaultEndpoint": "Gatehouse serves the API on --api-addr regardless",
		},
		warn: map[string]string{
			"resourcePolicy":        "the API's resource policy is NOT enforced by Gatehouse: requests are not filtered by it",
			"restApiId":             "an existing REST API cannot be shared here; Gatehouse serves this service's endpoints as their own API",
			"restApiRootResourceId": "an existing REST API cannot be shared here; Gatehouse serves this service's endpoints as their own API",
			"restApiResources":      "an existing REST API cannot be shared here; Gatehouse serves this service's endpoints as their own API",
		},
	}
}

var mediaTypePattern = regexp.MustCompile(`^[!#$%&'*+.^_|~0-9A-Za-z-]+/[!#$%&'*+.^_|~0-9A-Za-z-]+$`)

func (d *decoder) apiGateway(a Value) {
	g := &d.svc.Provider.APIGateway
	d.checkKeys(a, "provider.apiGateway", apiGatewayKeys(), unknownWarns)
	if v, ok := a.Get("binaryMediaTypes"); ok {
		types, _ := d.strList(v, "provider.apiGateway.binaryMediaTypes", false)
		for i, t := range types {
			if !mediaTypePattern.MatchString(t) {
				d.rep.errorf(v.List[i].Pos, ErrInvalid, "provider.apiGateway.binaryMediaTypes: %q is not a media type (type/subtype, * allowed)", t)
			}
		}
		g.BinaryMediaTypes = types
	}
	if v, ok := a.Get("minimumCompressionSize"); ok && v.Kind != KindNull {
		// API Gateway: "between 0 and 10485760 (10M) bytes".
		if n, ok := d.intRange(v, "provider.apiGateway.minimumCompressionSize", 0, 10485760, " bytes"); ok {
			g.MinimumCompressionSize = n
		}
	}
	if v, ok := a.Get("apiKeySourceType"); ok {
		if s, ok := d.str(v, "provider.apiGateway.apiKeySourceType"); ok {
			switch strings.ToUpper(s) {
			case "HEADER", "AUTHORIZER":
				g.APIKeySourceType = strings.ToUpper(s)
			default:
				d.rep.errorf(v.Pos, ErrInvalid, "provider.apiGateway.apiKeySourceType is %q; want HEADER or AUTHORIZER", s)
			}
		}
	}
	if v, ok := a.Get("description"); ok {
		g.Description, _ = d.str(v, "provider.apiGateway.description")
	}
	if v, ok := a.Get("apiKeys"); ok {
		d.apiKeys(v, "provider.apiGateway.apiKeys")
	}
}

// apiKeys reads the API keys, in the Framework's three forms: names, objects
// {name, value, description, customerId, enabled}, and lists grouped under a usage plan name
// (https://www.serverless.com/framework/docs/providers/aws/events/apigateway#setting-api-keys-for-your-rest-api).
func (d *decoder) apiKeys(v Value, path string) {
	if v.Kind == KindNull {
		return
	}
	if v.Kind != KindList {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a list, not %s", path, v.describe())
		return
	}
	for i, item := range v.List {
		p := index(path, i)
		if item.Kind == KindMap && len(item.Map) == 1 && item.Map[0].Value.Kind == KindList {
			plan := item.Map[0]
			for j, k := range plan.Value.List {
				d.apiKey(k, index(join(p, plan.Key), j), plan.Key)
			}
			continue
		}
		d.apiKey(item, p, "")
	}
}

func (d *decoder) apiKey(v Value, path, plan string) {
	k := APIKey{Enabled: true, UsagePlan: plan, Pos: v.Pos}
	switch v.Kind {
	case KindString:
		k.Name = v.Str
	case KindMap:
		d.checkKeys(v, path, keySet{used: []string{"name", "value", "description", "enabled"}, silent: []string{"customerId"}}, unknownWarns)
		if n, ok := v.Get("name"); ok {
			k.Name, _ = d.nonEmpty(n, join(path, "name"))
		}
		if val, ok := v.Get("value"); ok {
			if s, ok := d.str(val, join(path, "value")); ok {
				// API Gateway: "API Key value should be at least 20 characters".
				if len(s) < 20 || len(s) > 128 {
					d.rep.errorf(val.Pos, ErrInvalid, "%s: an API key value is 20 to 128 characters long", join(path, "value"))
				}
				k.Value = s
			}
		}
		if desc, ok := v.Get("description"); ok {
			k.Description, _ = d.str(desc, join(path, "description"))
		}
		if e, ok := v.Get("enabled"); ok {
			k.Enabled, _ = d.boolean(e, join(path, "enabled"))
		}
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a key name or {name, value}, not %s", path, v.describe())
		return
	}
	if strings.TrimSpace(k.Name) == "" {
		d.rep.errorf(v.Pos, ErrInvalid, "%s has no name", path)
		return
	}
	for _, other := range d.svc.Provider.APIGateway.APIKeys {
		if other.Name == k.Name {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: API key %q is listed twice (first at line %d)", path, k.Name, other.Pos.Line)
			return
		}
	}
	d.svc.Provider.APIGateway.APIKeys = append(d.svc.Provider.APIGateway.APIKeys, k)
}
