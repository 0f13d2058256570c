package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
	"github.com/gatehouse/gatehouse/internal/store"
)

// call is one resource's create, update or delete.
type call struct {
	d   *Deployer
	t   *Template
	n   *node // nil when deleting a resource the file no longer names
	rec store.StackResource
	// dry checks the requests against the service models without calling anything.
	dry  bool
	warn func(format string, args ...any)
}

func (c *call) id() string { return c.rec.LogicalID }

// where is the position errors of this resource name.
func (c *call) where() string {
	if c.n == nil {
		return fmt.Sprintf("resource %s (%s)", c.rec.LogicalID, c.rec.Type)
	}
	return fmt.Sprintf("%s:%d: resources.Resources.%s", c.t.svc.File, c.n.r.Pos.Line, c.n.r.LogicalID)
}

// physicalName is the name CloudFormation would generate for an unnamed resource,
// "{stack}-{logicalID}-{suffix}" within max characters, but stable: the same stack and
// logical ID give the same name on every start.
func (c *call) physicalName(max int, sep string) string {
	suffix := strings.ToUpper(stableID(c.t.Stack+"/"+c.id(), 12))
	prefix := c.t.Stack + sep + c.id()
	if room := max - len(suffix) - len(sep); len(prefix) > room {
		prefix = prefix[:room]
	}
	return prefix + sep + suffix
}

// invoke validates body against the operation's model (the check the AWS endpoint makes
// before any handler runs), decodes it into the handler's input and calls the handler;
// in a dry run it stops after the check and returns nil.
func invoke[In, Out any](ctx context.Context, c *call, m *model.Model, op string, body map[string]any, fn func(context.Context, *In) (*Out, error)) (*Out, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", c.where(), op, err)
	}
	if m != nil {
		if aerr := m.Validate(op, raw); aerr != nil {
			return nil, fmt.Errorf("%s: %s: %s", c.where(), op, aerr.Message)
		}
	}
	in := new(In)
	if err := json.Unmarshal(raw, in); err != nil {
		return nil, fmt.Errorf("%s: %s: %v", c.where(), op, err)
	}
	if c.dry {
		return nil, nil
	}
	out, err := fn(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", c.where(), op, err)
	}
	return out, nil
}

// isNotFound reports an AWS "no such thing" error of the user-pool, identity-pool or IAM API.
func isNotFound(err error) bool {
	var ae *awsapi.Error
	if errors.As(err, &ae) {
		switch ae.Type {
		case "ResourceNotFoundException", "UserNotFoundException", "NoSuchEntity":
			return true
		}
	}
	return errors.Is(err, store.ErrNotFound)
}

// fields returns the JSON member names of the request struct of v.
func fields(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// pick copies the members of props that are in allowed; the others are warned about
// unless they are in quiet.
func (c *call) pick(props map[string]any, allowed []string, quiet ...string) map[string]any {
	out := map[string]any{}
	var ignored []string
	for k, v := range props {
		switch {
		case slices.Contains(allowed, k):
			out[k] = v
		case !slices.Contains(quiet, k):
			ignored = append(ignored, k)
		}
	}
	slices.Sort(ignored)
	for _, k := range ignored {
		c.warn("%s: property %s is not supported by Gatehouse and is ignored", c.where(), k)
	}
	return out
}

// only keeps the members of m named in allowed.
func only(m map[string]any, allowed []string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if slices.Contains(allowed, k) {
			out[k] = v
		}
	}
	return out
}

func strProp(props map[string]any, key string) string {
	s, _ := scalarText(props[key])
	return s
}

func strList(props map[string]any, key string) []string {
	var out []string
	switch v := props[key].(type) {
	case []any:
		for _, x := range v {
			if s, ok := scalarText(x); ok {
				out = append(out, s)
			}
		}
	case string:
		out = append(out, v)
	}
	return out
}

// document returns a policy document property as JSON text: CloudFormation takes a JSON
// object or its text.
func document(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any:
		b, err := json.Marshal(v)
		return string(b), err
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("a policy document is a JSON object, not %s", describe(v))
}

// changed returns the top-level properties whose values differ between the JSON of the
// last applied properties and now.
func changed(oldJSON string, now map[string]any) []string {
	var old map[string]any
	_ = json.Unmarshal([]byte(oldJSON), &old)
	nowRaw, _ := json.Marshal(now)
	var norm map[string]any
	_ = json.Unmarshal(nowRaw, &norm)
	var out []string
	for k, v := range norm {
		if !reflect.DeepEqual(v, old[k]) {
			out = append(out, k)
		}
	}
	for k := range old {
		if _, ok := norm[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// attrs are a resource's Ref ("") and Fn::GetAtt values.
type attrs = map[string]string

// typeDef is how the stack creates, updates and deletes one resource type.
type typeDef struct {
	// attrs are the Fn::GetAtt attribute names CloudFormation documents for the type.
	attrs []string
	// refTypes: properties that, given as Ref, must name a resource of that type.
	refTypes map[string]string
	// replace are the properties whose change CloudFormation answers with a replacement
	// ("Update requires: Replacement"); "*" is every property.
	replace []string
	// apply creates the resource (c.rec.PhysicalID == "") or updates it in place, returning
	// its Ref value and attributes; in a dry run it returns placeholders.
	apply func(ctx context.Context, c *call, props map[string]any) (attrs, error)
	// live adds attributes that are never stored (secrets), read from the service.
	live func(ctx context.Context, c *call) (attrs, error)
	// exists reports whether the recorded resource is still there.
	exists func(ctx context.Context, c *call) (bool, error)
	// remove deletes the recorded resource.
	remove func(ctx context.Context, c *call) error
	// deleteRank orders the deletion of resources the file no longer names: lower first.
	deleteRank int
}

// needsReplacement reports whether the change of props is a replacement for def.
func (def *typeDef) needsReplacement(props []string) bool {
	for _, p := range props {
		if slices.Contains(def.replace, "*") || slices.Contains(def.replace, p) {
			return true
		}
	}
	return false
}
