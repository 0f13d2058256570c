package serverless

import "regexp"

// resources: the CloudFormation template fragment of the serverless.yml
// (https://www.serverless.com/framework/docs/providers/aws/guide/resources). Gatehouse keeps
// every resource as written, types the ones it creates, and compiles AWS::ApiGateway::Authorizer
// resources into Authorizers
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-authorizer.html).

var (
	// CloudFormation: "The logical ID must be alphanumeric (A-Za-z0-9) and unique within the
	// template."
	logicalIDPattern    = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	resourceTypePattern = regexp.MustCompile(`^([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@-]+)$`)
)

func resourcesKeys() keySet {
	return keySet{
		// Conditions and Mappings are evaluated by the stack package (internal/stack).
		used:   []string{"Resources", "Outputs", "Conditions", "Mappings"},
		silent: []string{"AWSTemplateFormatVersion", "Description", "Parameters", "Metadata"},
		warn: map[string]string{
			"Transform":  "transforms are not applied",
			"extensions": "extensions of the resources the Framework generates are not applied",
		},
	}
}

func resourceKeys() keySet {
	return keySet{
		used:   []string{"Type", "Properties", "DependsOn", "Condition", "DeletionPolicy"},
		silent: []string{"UpdateReplacePolicy", "Metadata", "UpdatePolicy", "CreationPolicy"},
	}
}

// resources reads resources (a map, or a list of maps the Framework merges).
func (d *decoder) resources() {
	v, ok := d.root.Get("resources")
	if !ok || v.Kind == KindNull {
		return
	}
	blocks := []Value{v}
	paths := []string{"resources"}
	if v.Kind == KindList {
		blocks, paths = nil, nil
		for i, b := range v.List {
			blocks = append(blocks, b)
			paths = append(paths, index("resources", i))
		}
	}
	outputs := map[string]Pos{}
	for i, b := range blocks {
		if !d.wantMap(b, paths[i]) {
			continue
		}
		d.checkKeys(b, paths[i], resourcesKeys(), unknownWarns)
		if rs, ok := b.Get("Resources"); ok && d.wantMap(rs, paths[i]+".Resources") {
			for _, f := range rs.Map {
				d.resource(f, paths[i]+".Resources")
			}
		}
		if os, ok := b.Get("Outputs"); ok && d.wantMap(os, paths[i]+".Outputs") {
			for _, f := range os.Map {
				if first, dup := outputs[f.Key]; dup {
					d.rep.errorf(f.KeyPos, ErrInvalid, "%s.Outputs.%s is defined twice (first at line %d)", paths[i], f.Key, first.Line)
					continue
				}
				outputs[f.Key] = f.KeyPos
				d.output(f, paths[i]+".Outputs")
			}
		}
	}
	// Authorizers last: they may name pools and functions anywhere in the file.
	for _, r := range d.svc.Resources {
		if r.Type == TypeAPIGatewayAuthorizer {
			r.Authorizer = d.authorizerResource(r, d.resPaths[r.LogicalID])
		}
	}
}

func (d *decoder) resource(f Field, path string) {
	p := join(path, f.Key)
	if !logicalIDPattern.MatchString(f.Key) {
		d.rep.errorf(f.KeyPos, ErrInvalid, "%s: logical IDs hold only letters and digits", p)
		return
	}
	if first := d.res[f.Key]; first != nil {
		d.rep.errorf(f.KeyPos, ErrInvalid, "%s is defined twice (first at line %d)", p, first.Pos.Line)
		return
	}
	v := f.Value
	if v.Kind != KindMap {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a map with a Type, not %s", p, v.describe())
		return
	}
	d.checkKeys(v, p, resourceKeys(), unknownWarns)
	r := &Resource{LogicalID: f.Key, Pos: f.KeyPos}
	t, ok := v.Get("Type")
	if !ok {
		d.rep.errorf(v.Pos, ErrInvalid, "%s.Type is missing", p)
		return
	}
	if r.Type, ok = d.str(t, p+".Type"); !ok {
		return
	}
	if !resourceTypePattern.MatchString(r.Type) {
		d.rep.errorf(t.Pos, ErrInvalid, "%s.Type %q is not a CloudFormation resource type (Service::Area::Name)", p, r.Type)
		return
	}
	r.Supported = supportedResourceType(r.Type)
	if props, ok := v.Get("Properties"); ok {
		if props.Kind != KindNull && !d.wantMap(props, p+".Properties") {
			return
		}
		r.Properties = props
	}
	if dep, ok := v.Get("DependsOn"); ok {
		r.DependsOn, _ = d.strList(dep, p+".DependsOn", true)
	}
	if c, ok := v.Get("Condition"); ok {
		r.Condition, _ = d.str(c, p+".Condition")
	}
	r.DeletionPolicy = "Delete"
	if dp, ok := v.Get("DeletionPolicy"); ok {
		// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
		if s, ok := d.str(dp, p+".DeletionPolicy"); ok {
			switch s {
			case "Delete", "Retain", "RetainExceptOnCreate", "Snapshot":
				r.DeletionPolicy = s
			default:
				d.rep.errorf(dp.Pos, ErrInvalid, "%s.DeletionPolicy %q: want Delete, Retain, RetainExceptOnCreate or Snapshot", p, s)
			}
		}
	}
	// A type Gatehouse does not create is warned about once, by the stack package that
	// deploys the rest (internal/stack).
	d.res[r.LogicalID] = r
	d.resPaths[r.LogicalID] = p
	d.svc.Resources = append(d.svc.Resources, r)
}

func (d *decoder) output(f Field, path string) {
	p := join(path, f.Key)
	if !logicalIDPattern.MatchString(f.Key) {
		d.rep.errorf(f.KeyPos, ErrInvalid, "%s: output names hold only letters and digits", p)
		return
	}
	v := f.Value
	if v.Kind != KindMap {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a map with a Value, not %s", p, v.describe())
		return
	}
	d.checkKeys(v, p, keySet{used: []string{"Value", "Description", "Export", "Condition"}}, unknownWarns)
	o := &Output{Name: f.Key, Pos: f.KeyPos}
	val, ok := v.Get("Value")
	if !ok {
		d.rep.errorf(v.Pos, ErrInvalid, "%s.Value is missing", p)
		return
	}
	o.Value = val
	if desc, ok := v.Get("Description"); ok {
		o.Description, _ = d.str(desc, p+".Description")
	}
	if e, ok := v.Get("Export"); ok && d.wantMap(e, p+".Export") {
		d.checkKeys(e, p+".Export", keySet{used: []string{"Name"}}, unknownWarns)
		if n, ok := e.Get("Name"); ok {
			o.ExportName = n
		} else {
			d.rep.errorf(e.Pos, ErrInvalid, "%s.Export.Name is missing", p)
		}
	}
	if c, ok := v.Get("Condition"); ok {
		o.Condition, _ = d.str(c, p+".Condition")
	}
	d.svc.Outputs = append(d.svc.Outputs, o)
}

func authorizerResourceKeys() keySet {
	return keySet{
		// RolesFromGroups is Gatehouse's, for COGNITO_GROUP_POLICY.
		used: []string{"Name", "Type", "ProviderARNs", "IdentitySource", "IdentityValidationExpression", "AuthorizerResultTtlInSeconds", "AuthorizerUri", "RolesFromGroups"},
		// RestApiId names the API (this service's); AuthType is documentation only;
		// AuthorizerCredentials is the role API Gateway would assume to invoke the function.
		silent: []string{"RestApiId", "AuthType", "AuthorizerCredentials"},
	}
}

// authorizerResource compiles an AWS::ApiGateway::Authorizer resource.
func (d *decoder) authorizerResource(r *Resource, path string) *Authorizer {
	props := r.Properties
	p := path + ".Properties"
	if props.Kind != KindMap {
		d.rep.errorf(r.Pos, ErrInvalid, "%s is missing: an authorizer needs at least Name and Type", p)
		return nil
	}
	before := len(d.rep.errs)
	d.checkKeys(props, p, authorizerResourceKeys(), unknownFails)
	a := &Authorizer{Pos: r.Pos, ResultTTL: DefaultAuthorizerTTL, ResourceID: r.LogicalID}
	if n, ok := props.Get("Name"); ok {
		a.Name, _ = d.nonEmpty(n, p+".Name")
	} else {
		d.rep.errorf(props.Pos, ErrInvalid, "%s.Name is missing", p)
	}
	t, ok := props.Get("Type")
	if !ok {
		d.rep.errorf(props.Pos, ErrInvalid, "%s.Type is missing: TOKEN, REQUEST, COGNITO_USER_POOLS or COGNITO_GROUP_POLICY", p)
		return nil
	}
	typ, ok := d.authorizerType(t, p+".Type")
	if !ok {
		return nil
	}
	if typ == "AWS_IAM" || typ == "CUSTOM" {
		d.rep.errorf(t.Pos, ErrInvalid, "%s.Type %s is not an authorizer type; want TOKEN, REQUEST, COGNITO_USER_POOLS or COGNITO_GROUP_POLICY", p, typ)
		return nil
	}
	a.Type = AuthorizerType(typ)
	if ttl, ok := props.Get("AuthorizerResultTtlInSeconds"); ok {
		a.ResultTTL = d.ttl(ttl, p+".AuthorizerResultTtlInSeconds")
	}
	arns, hasARNs := props.Get("ProviderARNs")
	uri, hasURI := props.Get("AuthorizerUri")
	if isPoolType(a.Type) {
		if hasURI {
			d.rep.errorf(uri.Pos, ErrInvalid, "%s.AuthorizerUri has no effect on a %s authorizer; remove it", p, a.Type)
		}
		switch {
		case !hasARNs:
			d.rep.errorf(props.Pos, ErrInvalid, "%s.ProviderARNs is missing: list the user pools whose tokens are accepted", p)
		case arns.Kind != KindList || len(arns.List) == 0:
			d.rep.errorf(arns.Pos, ErrInvalid, "%s.ProviderARNs must be a non-empty list of user pool ARNs", p)
		case len(arns.List) > 1000:
			// API Gateway: an authorizer names up to 1,000 user pools.
			d.rep.errorf(arns.Pos, ErrInvalid, "%s.ProviderARNs lists %d pools; API Gateway allows 1000", p, len(arns.List))
		default:
			for i, item := range arns.List {
				arn, ref, ok := d.poolARN(item, index(p+".ProviderARNs", i))
				if ok && arn != "" {
					a.PoolARNs = append(a.PoolARNs, arn)
				}
				if ok && ref != "" {
					a.PoolRefs = append(a.PoolRefs, ref)
				}
			}
		}
	} else {
		if hasARNs {
			d.rep.errorf(arns.Pos, ErrInvalid, "%s.ProviderARNs has no effect on a %s authorizer; remove it", p, a.Type)
		}
		if !hasURI {
			d.rep.errorf(props.Pos, ErrInvalid, "%s.AuthorizerUri is missing: a %s authorizer invokes a function", p, a.Type)
		} else if fn, ok := d.lambdaTarget(uri, p+".AuthorizerUri"); ok {
			a.FunctionName = fn
			if f := d.funcs[fn]; f != nil && f.Handler == "" {
				d.rep.errorf(uri.Pos, ErrInvalid, "%s.AuthorizerUri: authorizer function %s has no handler", p, fn)
			}
		}
	}
	is, hasIS := props.Get("IdentitySource")
	a.IdentitySource = d.identitySource(is, hasIS, a.Type, a.ResultTTL, p+".IdentitySource", true, props.Pos)
	if re, ok := props.Get("IdentityValidationExpression"); ok {
		d.validationExpression(a, re, p+".IdentityValidationExpression")
	}
	if g, ok := props.Get("RolesFromGroups"); ok {
		a.RolesFromGroups = d.rolesFromGroups(g, p+".RolesFromGroups", a.Type)
	}
	if len(d.rep.errs) != before {
		return nil
	}
	return a
}
