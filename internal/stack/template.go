package stack

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/serverless"
)

// Template is a service's resources as the stack sees them: the ones Gatehouse creates, in
// dependency order, with every reference checked. Nothing in it refers to physical resources.
type Template struct {
	svc *serverless.Service
	// Stack is the stack's name, "{service}-{stage}", as the Serverless Framework names the
	// CloudFormation stack.
	Stack string
	// APIID is the id of the service's REST API (Ref ApiGatewayRestApi).
	APIID     string
	Region    string
	AccountID string

	nodes map[string]*node
	order []*node // dependencies first
	// responses are the AWS::ApiGateway::GatewayResponse resources, evaluated once the
	// resources they name exist.
	responses []*serverless.Resource
	// skipped are the resources of the file Gatehouse does not create: unknown types (warned
	// about) and resources whose Condition is false.
	skipped    map[string]string
	conditions map[string]bool
	mappings   serverless.Value
	// functions maps the Framework's logical IDs of the file's functions
	// ({Name}LambdaFunction) to their Lambda function names.
	functions map[string]string
	// Warnings start with file:line.
	Warnings []string
}

type node struct {
	r    *serverless.Resource
	def  *typeDef
	deps []string // logical IDs of created resources this one needs, sorted
}

// StackName is the name the Serverless Framework gives the service's CloudFormation stack.
func StackName(svc *serverless.Service) string { return svc.Name + "-" + svc.Stage }

// errAt is an error naming the file and position of a setting.
func errAt(file string, p serverless.Pos, format string, args ...any) error {
	return fmt.Errorf("%s:%d:%d: %s", file, p.Line, p.Col, fmt.Sprintf(format, args...))
}

// NewTemplate checks the service's resources and outputs: every Ref, Fn::GetAtt and
// Fn::Sub variable names a resource (or pseudo parameter) that exists and an attribute its
// type has, DependsOn names resources, Conditions evaluate, and there is no cycle. apiID is
// the REST API's id, region and account those of this Gatehouse.
func NewTemplate(svc *serverless.Service, apiID, region, account string) (*Template, error) {
	t := &Template{
		svc: svc, Stack: StackName(svc), APIID: apiID, Region: region, AccountID: account,
		nodes: map[string]*node{}, skipped: map[string]string{}, conditions: map[string]bool{},
		functions: map[string]string{},
	}
	for _, f := range svc.Functions {
		t.functions[frameworkFunctionID(f.Name)] = f.FunctionName
	}
	t.mappings = section(svc.Config, "Mappings")
	if err := t.evalConditions(); err != nil {
		return nil, err
	}
	for _, r := range svc.Resources {
		def := lookupType(r.Type)
		switch {
		case r.Type == serverless.TypeAPIGatewayAuthorizer:
			// Compiled into the gateway's authorizers by the serverless package.
			t.skipped[r.LogicalID] = r.Type + " (an authorizer of the REST API)"
			continue
		case r.Type == TypeGatewayResponse:
			if _, err := t.references(r.Properties, "resources.Resources."+r.LogicalID+".Properties"); err != nil {
				return nil, err
			}
			t.responses = append(t.responses, r)
			t.skipped[r.LogicalID] = r.Type + " (a setting of the REST API)"
			continue
		case def == nil:
			t.Warnings = append(t.Warnings, fmt.Sprintf("%s:%d: resources.Resources.%s: %s is not created by Gatehouse; the rest of the stack deploys",
				svc.File, r.Pos.Line, r.LogicalID, r.Type))
			t.skipped[r.LogicalID] = r.Type + ", which Gatehouse does not create"
			continue
		}
		if r.Condition != "" {
			on, ok := t.conditions[r.Condition]
			if !ok {
				return nil, errAt(svc.File, r.Pos, "resources.Resources.%s.Condition: no condition %s in resources.Conditions", r.LogicalID, r.Condition)
			}
			if !on {
				t.skipped[r.LogicalID] = "resource whose Condition " + r.Condition + " is false"
				continue
			}
		}
		t.nodes[r.LogicalID] = &node{r: r, def: def}
	}
	for _, n := range t.nodes {
		deps := map[string]bool{}
		for _, d := range n.r.DependsOn {
			if _, ok := t.nodes[d]; ok {
				deps[d] = true
				continue
			}
			if why, ok := t.skipped[d]; ok && strings.Contains(why, "Condition") {
				return nil, errAt(svc.File, n.r.Pos, "resources.Resources.%s.DependsOn: %s is a %s", n.r.LogicalID, d, why)
			}
			if _, ok := t.skipped[d]; ok {
				continue // an ordering hint towards a resource that is not created here
			}
			return nil, errAt(svc.File, n.r.Pos, "resources.Resources.%s.DependsOn: no resource %s in resources.Resources", n.r.LogicalID, d)
		}
		refs, err := t.references(n.r.Properties, "resources.Resources."+n.r.LogicalID+".Properties")
		if err != nil {
			return nil, err
		}
		for _, ref := range refs {
			deps[ref] = true
		}
		if err := t.checkRefTypes(n); err != nil {
			return nil, err
		}
		for d := range deps {
			n.deps = append(n.deps, d)
		}
		slices.Sort(n.deps)
	}
	for _, f := range svc.Functions {
		for name, v := range f.Environment {
			if !v.IsExpr() {
				continue
			}
			if _, err := t.references(v.Expr, "functions."+f.Name+".environment."+name); err != nil {
				return nil, err
			}
		}
	}
	for _, o := range svc.Outputs {
		if o.Condition != "" {
			on, ok := t.conditions[o.Condition]
			if !ok {
				return nil, errAt(svc.File, o.Pos, "resources.Outputs.%s.Condition: no condition %s in resources.Conditions", o.Name, o.Condition)
			}
			if !on {
				continue // not evaluated, as CloudFormation skips it
			}
		}
		if _, err := t.references(o.Value, "resources.Outputs."+o.Name+".Value"); err != nil {
			return nil, err
		}
		if !o.ExportName.IsZero() {
			if _, err := t.references(o.ExportName, "resources.Outputs."+o.Name+".Export.Name"); err != nil {
				return nil, err
			}
		}
	}
	return t, t.sort()
}

// sort orders the created resources dependencies first (file order among equals) and
// reports a cycle with the chain it found.
func (t *Template) sort() error {
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	var visit func(id string) error
	visit = func(id string) error {
		switch color[id] {
		case grey:
			i := slices.Index(stack, id)
			chain := append(slices.Clone(stack[i:]), id)
			n := t.nodes[id]
			return errAt(t.svc.File, n.r.Pos, "resources.Resources.%s: circular dependency between resources: %s", id, strings.Join(chain, " -> "))
		case black:
			return nil
		}
		color[id] = grey
		stack = append(stack, id)
		for _, d := range t.nodes[id].deps {
			if err := visit(d); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		t.order = append(t.order, t.nodes[id])
		return nil
	}
	for _, r := range t.svc.Resources {
		if _, ok := t.nodes[r.LogicalID]; ok {
			if err := visit(r.LogicalID); err != nil {
				return err
			}
		}
	}
	return nil
}

// Resources returns the logical IDs of the resources Gatehouse creates, in creation order.
func (t *Template) Resources() []string {
	out := make([]string, len(t.order))
	for i, n := range t.order {
		out[i] = n.r.LogicalID
	}
	return out
}

// pseudo parameters
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
func (t *Template) pseudo(name string) (string, bool) {
	switch name {
	case "AWS::Region":
		return t.Region, true
	case "AWS::AccountId":
		return t.AccountID, true
	case "AWS::Partition":
		return "aws", true
	case "AWS::URLSuffix":
		return "amazonaws.com", true
	case "AWS::StackName":
		return t.Stack, true
	case "AWS::StackId":
		return "arn:aws:cloudformation:" + t.Region + ":" + t.AccountID + ":stack/" + t.Stack + "/" + stableUUID(t.Stack), true
	}
	return "", false
}

// frameworkFunctionID is the logical ID the Serverless Framework gives a function's
// AWS::Lambda::Function (lib/plugins/aws/lib/naming.js, getLambdaLogicalId:
// normalizeName(functionName) + "LambdaFunction", "-" spelled Dash and "_" Underscore).
func frameworkFunctionID(name string) string {
	n := strings.NewReplacer("-", "Dash", "_", "Underscore").Replace(name)
	if n == "" {
		return "LambdaFunction"
	}
	return strings.ToUpper(n[:1]) + n[1:] + "LambdaFunction"
}

// frameworkRestAPI is the logical ID of the REST API the Framework generates.
const frameworkRestAPI = "ApiGatewayRestApi"

// refTarget checks that Ref of name is possible; GetAtt when attr != "".
func (t *Template) refTarget(name, attr string, pos serverless.Pos, where string) (dep string, err error) {
	file := t.svc.File
	if attr == "" {
		if name == "AWS::NoValue" || name == "AWS::NotificationARNs" {
			return "", nil
		}
		if _, ok := t.pseudo(name); ok {
			return "", nil
		}
		if strings.HasPrefix(name, "AWS::") {
			return "", errAt(file, pos, "%s: unknown pseudo parameter %s", where, name)
		}
	}
	if n, ok := t.nodes[name]; ok {
		if attr != "" && !slices.Contains(n.def.attrs, attr) {
			return "", errAt(file, pos, "%s: %s (%s) has no attribute %s for Fn::GetAtt; it has %s", where, name, n.r.Type, attr, attrList(n.def.attrs))
		}
		return name, nil
	}
	if name == frameworkRestAPI {
		if attr != "" && attr != "RootResourceId" {
			return "", errAt(file, pos, "%s: %s (AWS::ApiGateway::RestApi) has no attribute %s for Fn::GetAtt; it has RootResourceId", where, name, attr)
		}
		return "", nil
	}
	if _, ok := t.functions[name]; ok {
		if attr != "" && attr != "Arn" {
			return "", errAt(file, pos, "%s: %s (AWS::Lambda::Function) has no attribute %s for Fn::GetAtt; Gatehouse knows Arn", where, name, attr)
		}
		return "", nil
	}
	if why, ok := t.skipped[name]; ok {
		return "", errAt(file, pos, "%s: %s is a %s, so it has no value here", where, name, why)
	}
	return "", errAt(file, pos, "%s: no resource %s in resources.Resources", where, name)
}

func attrList(attrs []string) string {
	if len(attrs) == 0 {
		return "none"
	}
	return strings.Join(attrs, ", ")
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// references checks every intrinsic function under v and returns the created resources it
// refers to.
func (t *Template) references(v serverless.Value, where string) ([]string, error) {
	var out []string
	add := func(dep string) {
		if dep != "" && !slices.Contains(out, dep) {
			out = append(out, dep)
		}
	}
	var walk func(v serverless.Value, where string, depth int) error
	walk = func(v serverless.Value, where string, depth int) error {
		if depth > 64 {
			return errAt(t.svc.File, v.Pos, "%s: nested too deeply", where)
		}
		name, arg, ok := v.Intrinsic()
		if !ok {
			for i, c := range v.List {
				if err := walk(c, fmt.Sprintf("%s[%d]", where, i), depth+1); err != nil {
					return err
				}
			}
			for _, f := range v.Map {
				if err := walk(f.Value, where+"."+f.Key, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		switch name {
		case "Ref":
			if arg.Kind != serverless.KindString {
				return errAt(t.svc.File, arg.Pos, "%s: Ref takes a logical ID, not %s", where, arg.Kind)
			}
			dep, err := t.refTarget(arg.Str, "", arg.Pos, where)
			add(dep)
			return err
		case "Fn::GetAtt":
			res, attr, err := getAttArgs(t.svc.File, arg, where)
			if err != nil {
				return err
			}
			dep, err := t.refTarget(res, attr, arg.Pos, where)
			add(dep)
			return err
		case "Fn::Sub":
			tmpl, vars := arg, serverless.Value{}
			if arg.Kind == serverless.KindList {
				if len(arg.List) != 2 || arg.List[0].Kind != serverless.KindString || arg.List[1].Kind != serverless.KindMap {
					return errAt(t.svc.File, arg.Pos, "%s: Fn::Sub takes a string, or a list of a string and a map of variables", where)
				}
				tmpl, vars = arg.List[0], arg.List[1]
				if err := walk(vars, where+".Fn::Sub", depth+1); err != nil {
					return err
				}
			} else if arg.Kind != serverless.KindString {
				return errAt(t.svc.File, arg.Pos, "%s: Fn::Sub takes a string, or a list of a string and a map of variables", where)
			}
			for _, m := range subVar.FindAllStringSubmatch(tmpl.Str, -1) {
				ref := m[1]
				if strings.HasPrefix(ref, "!") {
					continue // ${!Literal}
				}
				if _, ok := vars.Get(ref); ok {
					continue
				}
				res, attr, _ := strings.Cut(ref, ".")
				dep, err := t.refTarget(res, attr, tmpl.Pos, where)
				if err != nil {
					return err
				}
				add(dep)
			}
			return nil
		case "Fn::If":
			if arg.Kind != serverless.KindList || len(arg.List) != 3 || arg.List[0].Kind != serverless.KindString {
				return errAt(t.svc.File, arg.Pos, "%s: Fn::If takes [condition name, value if true, value if false]", where)
			}
			if _, ok := t.conditions[arg.List[0].Str]; !ok {
				return errAt(t.svc.File, arg.List[0].Pos, "%s: no condition %s in resources.Conditions", where, arg.List[0].Str)
			}
			if err := walk(arg.List[1], where, depth+1); err != nil {
				return err
			}
			return walk(arg.List[2], where, depth+1)
		case "Fn::Join", "Fn::Select", "Fn::Split", "Fn::Base64", "Fn::ToJsonString", "Fn::Length",
			"Fn::FindInMap", "Fn::GetAZs", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
			return walk(arg, where, depth+1)
		}
		return errAt(t.svc.File, v.Pos, "%s: %s is not supported by Gatehouse", where, name)
	}
	err := walk(v, where, 0)
	return out, err
}

// getAttArgs reads Fn::GetAtt's [Resource, Attribute] or "Resource.Attribute".
func getAttArgs(file string, arg serverless.Value, where string) (string, string, error) {
	switch {
	case arg.Kind == serverless.KindString:
		if res, attr, ok := strings.Cut(arg.Str, "."); ok && res != "" && attr != "" {
			return res, attr, nil
		}
	case arg.Kind == serverless.KindList && len(arg.List) == 2 &&
		arg.List[0].Kind == serverless.KindString && arg.List[1].Kind == serverless.KindString:
		return arg.List[0].Str, arg.List[1].Str, nil
	}
	return "", "", errAt(file, arg.Pos, "%s: Fn::GetAtt takes [LogicalId, Attribute] or LogicalId.Attribute", where)
}

// checkRefTypes checks the properties that name another resource of the stack by Ref name
// one of the right type: an app client's UserPoolId must be a user pool, …
func (t *Template) checkRefTypes(n *node) error {
	for prop, want := range n.def.refTypes {
		v, ok := n.r.Properties.Get(prop)
		if !ok {
			continue
		}
		name, arg, ok := v.Intrinsic()
		if !ok || name != "Ref" || arg.Kind != serverless.KindString {
			continue
		}
		target, ok := t.nodes[arg.Str]
		if !ok || target.r.Type == want {
			continue
		}
		return errAt(t.svc.File, arg.Pos, "resources.Resources.%s.Properties.%s: Ref %s is a %s; %s needs a %s",
			n.r.LogicalID, prop, arg.Str, target.r.Type, prop, want)
	}
	return nil
}

// section returns resources.<name> of the resolved document (merging the list form).
func section(config serverless.Value, name string) serverless.Value {
	res, ok := config.Get("resources")
	if !ok {
		return serverless.Value{}
	}
	if res.Kind == serverless.KindList {
		for _, b := range res.List {
			if v, ok := b.Get(name); ok {
				return v
			}
		}
		return serverless.Value{}
	}
	v, _ := res.Get(name)
	return v
}
