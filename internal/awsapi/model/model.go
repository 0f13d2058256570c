package model

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

//go:embed cognito-idp.json cognito-identity.json iam.json sts.json
var files embed.FS

// Model is one service's operations and their input shapes, with patterns compiled.
type Model struct {
	service        string
	targetPrefix   string
	apiVersion     string
	validationType string
	ops            map[string]operation
	shapes         map[string]*shape
	skipped        []string
}

type operation struct {
	input  *shape // nil when the operation takes no input
	output string // the output shape's name; "" when the operation answers nothing
	public bool
}

// Load returns the embedded model of a service by its endpoint prefix: "cognito-idp",
// "cognito-identity", "iam" or "sts". Each call compiles a new Model; keep the one you build.
func Load(service string) (*Model, error) {
	data, err := files.ReadFile(service + ".json")
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", service, err)
	}
	return Parse(data)
}

// Parse compiles a model in the format modelgen writes.
func Parse(data []byte) (*Model, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if f.Metadata.ValidationException == "" {
		return nil, fmt.Errorf("model %s: no validationException", f.Metadata.Service)
	}
	shapes, skipped, err := link(f.Shapes)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", f.Metadata.Service, err)
	}
	m := &Model{
		service:        f.Metadata.Service,
		targetPrefix:   f.Metadata.TargetPrefix,
		apiVersion:     f.Metadata.APIVersion,
		validationType: f.Metadata.ValidationException,
		ops:            make(map[string]operation, len(f.Operations)),
		shapes:         shapes,
		skipped:        skipped,
	}
	for name, op := range f.Operations {
		o := operation{public: op.AuthType == "none", output: op.Output}
		if op.Input != "" {
			o.input = shapes[op.Input]
			if o.input == nil || o.input.kind != kindStructure {
				return nil, fmt.Errorf("model %s: operation %s: input %s is not a structure", m.service, name, op.Input)
			}
		}
		m.ops[name] = o
	}
	return m, nil
}

var (
	cognitoIDP      = sync.OnceValues(func() (*Model, error) { return Load("cognito-idp") })
	cognitoIdentity = sync.OnceValues(func() (*Model, error) { return Load("cognito-identity") })
	iamModel        = sync.OnceValues(func() (*Model, error) { return Load("iam") })
	stsModel        = sync.OnceValues(func() (*Model, error) { return Load("sts") })
)

// CognitoIDP returns the Amazon Cognito user pools model (target prefix
// AWSCognitoIdentityProviderService), built once and shared. The embedded model is tested, so
// failing to build it is a build defect: it panics.
func CognitoIDP() *Model { return must(cognitoIDP()) }

// CognitoIdentity returns the Amazon Cognito identity pools model (target prefix
// AWSCognitoIdentityService), built once and shared; it panics like CognitoIDP.
func CognitoIdentity() *Model { return must(cognitoIdentity()) }

// IAM returns the IAM model (query protocol, version 2010-05-08; validation failures are
// ValidationError), built once and shared; it panics like CognitoIDP.
func IAM() *Model { return must(iamModel()) }

// STS returns the STS model (query protocol, version 2011-06-15), built once and shared; it
// panics like CognitoIDP.
func STS() *Model { return must(stsModel()) }

func must(m *Model, err error) *Model {
	if err != nil {
		panic(err)
	}
	return m
}

// Service is the model's endpoint prefix, e.g. "cognito-idp".
func (m *Model) Service() string { return m.service }

// TargetPrefix is the X-Amz-Target prefix, e.g. "AWSCognitoIdentityProviderService".
func (m *Model) TargetPrefix() string { return m.targetPrefix }

// APIVersion is the model's API version, e.g. "2016-04-18".
func (m *Model) APIVersion() string { return m.apiVersion }

// Has reports whether the service has the operation.
func (m *Model) Has(operation string) bool {
	_, ok := m.ops[operation]
	return ok
}

// Public reports whether AWS calls the operation without IAM credentials: the model marks it
// "authtype": "none" (SignUp, InitiateAuth, GetId, …). Unknown operations are not public.
func (m *Model) Public(operation string) bool { return m.ops[operation].public }

// Operations lists the model's operation names, sorted.
func (m *Model) Operations() []string {
	names := make([]string, 0, len(m.ops))
	for n := range m.ops {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Output names the operation's output shape ("" when it answers nothing or is unknown).
func (m *Model) Output(operation string) string { return m.ops[operation].output }

// Members lists a structure shape's member names in model order; nil for a shape that is
// not a structure of the model.
func (m *Model) Members(shape string) []string {
	s := m.shapes[shape]
	if s == nil || s.kind != kindStructure {
		return nil
	}
	names := make([]string, len(s.members))
	for i, mem := range s.members {
		names[i] = mem.name
	}
	return names
}

// Required lists the operation's required top-level input members (wire names such as
// "UserPoolId") in model order.
func (m *Model) Required(operation string) []string {
	in := m.ops[operation].input
	if in == nil {
		return nil
	}
	var names []string
	for _, mem := range in.members {
		if mem.required {
			names = append(names, mem.name)
		}
	}
	return names
}

// SkippedPatterns lists the model's patterns that RE2 cannot express and that are therefore
// not checked (none in the embedded Cognito models).
func (m *Model) SkippedPatterns() []string { return slices.Clone(m.skipped) }

// Validate checks an operation's JSON input against the model. It returns nil for a valid
// input or an operation the model does not know, a SerializationException for a body or
// member of the wrong JSON type, or the service's validation error (InvalidParameterException
// for user pools, ValidationException for identity pools) listing every constraint failure.
func (m *Model) Validate(operation string, input []byte) *awsapi.Error {
	op, ok := m.ops[operation]
	if !ok {
		return nil
	}
	root, serr := decode(input, op.input)
	if serr != nil {
		return serr
	}
	if op.input == nil {
		return nil
	}
	var c checker
	c.structure(op.input, root, "", false, 0)
	return c.result(m.validationType)
}

var _ awsapi.Validator = (*Model)(nil)
