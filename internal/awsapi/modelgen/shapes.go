package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Member emptiness, as AWS sends it. The generated Go types follow two rules:
//
//   - A member is left out when it is empty ("" or nil; `omitempty`): AWS's answers leave out
//     what a resource does not have (AdminGetUser without MFAOptions, a client without
//     CallbackURLs, GetIdentityPoolRoles without RoleMappings: testdata/aws-examples/
//     cli-get-identity-pool-roles.json), and no AWS example shows an empty list of a
//     resource's configuration sent as [].
//   - A member AWS always sends has no omit option, and a generated MarshalJSON sends it as
//     [] or {} when it is nil. Those members are (a) the results of a listing: the paged
//     results of every paginated operation — the members botocore's paginators-1.json names
//     "result_key" (ListUsers' Users, ListGroups' Groups, ListUserPools' UserPools, …) — and
//     every list or map member of the output of an operation named List… or AdminList…
//     (ListIdentities' Identities, ListDevices' Devices, ListTagsForResource's Tags): AWS
//     answers an empty listing with {"Users": []}, never {}; and (b) the members in
//     alwaysSent, each shown by an example AWS publishes.
//
// The rule is the generator's, not the model's: Smithy has no trait for it. (Coral itself
// sends every list a service sets, empty or not; `omitzero`, which would send a non-nil empty
// slice, was not chosen because it would echo a request's empty configuration lists, which
// no AWS answer is known to do.)

// alwaysSent are members beyond the paged results that AWS sends when empty, keyed by
// "service:shape".
var alwaysSent = map[string][]string{
	// Cognito Identity API reference, CreateIdentityPool example: "IdentityPoolTags": {} for
	// a pool without tags (internal/identitypool/testdata/aws-examples/
	// apiref-create-identity-pool.json).
	"cognito-identity:IdentityPool": {"IdentityPoolTags"},
	// AWS CLI reference, delete-identities example: "UnprocessedIdentityIds": [] when every
	// identity was deleted (testdata/aws-examples/cli-delete-identities.json).
	"cognito-identity:DeleteIdentitiesResponse": {"UnprocessedIdentityIds"},
}

// maxLines is how long one generated file grows before the next one starts.
const maxLines = 2500

// runGo writes the Go shapes of the extracted model at modelPath into out (and, past
// maxLines, into out's numbered siblings: shapes_gen.go, shapes2_gen.go, …).
func runGo(modelPath, pkg, out string) error {
	if modelPath == "" || pkg == "" || out == "" || !strings.HasSuffix(out, "_gen.go") {
		return fmt.Errorf("-go needs -model, -package and -out NAME_gen.go")
	}
	data, err := os.ReadFile(modelPath)
	if err != nil {
		return fmt.Errorf("read model: %w", err)
	}
	files, err := goShapes(data, pkg, filepath.Base(modelPath))
	if err != nil {
		return fmt.Errorf("%s: %w", modelPath, err)
	}
	names := chunkNames(out, len(files))
	for i, src := range files {
		if err := write(names[i], src); err != nil {
			return err
		}
	}
	// A file of an earlier, longer generation is removed, so nothing stale stays behind.
	stale, err := filepath.Glob(strings.TrimSuffix(out, "_gen.go") + "*_gen.go")
	if err != nil {
		return err
	}
	chunk := regexp.MustCompile(`^` + regexp.QuoteMeta(strings.TrimSuffix(filepath.Base(out), "_gen.go")) + `[0-9]+_gen\.go$`)
	for _, f := range stale {
		if chunk.MatchString(filepath.Base(f)) && !slices.Contains(names, f) {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func chunkNames(out string, n int) []string {
	names := []string{out}
	for i := 2; i <= n; i++ {
		names = append(names, strings.TrimSuffix(out, "_gen.go")+strconv.Itoa(i)+"_gen.go")
	}
	return names
}

// goShapes returns the formatted Go source files of every structure shape in the model.
func goShapes(data []byte, pkg, from string) ([][]byte, error) {
	var m output
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	always := map[string]map[string]bool{}
	mark := func(shape, member string) {
		if always[shape] == nil {
			always[shape] = map[string]bool{}
		}
		always[shape][member] = true
	}
	for name, op := range m.Operations {
		for _, k := range op.ResultKeys {
			if op.Output == "" {
				return nil, fmt.Errorf("operation %s: result keys without an output", name)
			}
			mark(op.Output, k)
		}
		if out := m.Shapes[op.Output]; out != nil && (strings.HasPrefix(name, "List") || strings.HasPrefix(name, "AdminList")) {
			for _, mem := range out.Members {
				if s := m.Shapes[mem.Shape]; s != nil && (s.Type == "list" || s.Type == "map") {
					mark(op.Output, mem.Name)
				}
			}
		}
	}
	for key, members := range alwaysSent {
		svc, shape, _ := strings.Cut(key, ":")
		if svc != m.Metadata.Service {
			continue
		}
		if m.Shapes[shape] == nil {
			return nil, fmt.Errorf("alwaysSent: no shape %s", shape)
		}
		for _, mem := range members {
			mark(shape, mem)
		}
	}
	g := &gen{shapes: m.Shapes, always: always}
	names := make([]string, 0, len(m.Shapes))
	for n, s := range m.Shapes {
		if s.Type == "structure" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	header := fmt.Sprintf("// Code generated by modelgen from %s (AWS's %s %s model, %s); DO NOT EDIT.\n\n"+
		"// Member emptiness follows the rule documented in internal/awsapi/modelgen/shapes.go: an\n"+
		"// empty member is left out, except the members AWS always sends (listing results), which a\n"+
		"// MarshalJSON sends as [] or {} when nil.\n\n",
		from, m.Metadata.Service, m.Metadata.APIVersion, m.Metadata.Source)
	var files [][]byte
	var body bytes.Buffer
	imports := map[string]bool{}
	flush := func() error {
		var f bytes.Buffer
		f.WriteString(header)
		fmt.Fprintf(&f, "package %s\n\n", pkg)
		if len(imports) > 0 {
			f.WriteString("import (\n")
			for _, imp := range slices.Sorted(func(yield func(string) bool) {
				for k := range imports {
					if !yield(k) {
						return
					}
				}
			}) {
				fmt.Fprintf(&f, "\t%q\n", imp)
			}
			f.WriteString(")\n\n")
		}
		f.Write(body.Bytes())
		src, err := format.Source(f.Bytes())
		if err != nil {
			return fmt.Errorf("format generated code: %w", err)
		}
		files = append(files, src)
		body.Reset()
		clear(imports)
		return nil
	}
	for _, n := range names {
		code, imps, err := g.structure(n)
		if err != nil {
			return nil, err
		}
		if body.Len() > 0 && bytes.Count(body.Bytes(), []byte("\n"))+bytes.Count(code, []byte("\n")) > maxLines {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		body.Write(code)
		for _, i := range imps {
			imports[i] = true
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return files, nil
}

type gen struct {
	shapes map[string]*outShape
	always map[string]map[string]bool
}

// structure returns the Go declaration of one structure shape and the imports it needs.
func (g *gen) structure(name string) ([]byte, []string, error) {
	s := g.shapes[name]
	var b bytes.Buffer
	var imports []string
	fmt.Fprintf(&b, "// %s is AWS's %s shape.\ntype %s struct {\n", name, name, name)
	var fill []string // always-sent members, for MarshalJSON
	for _, m := range s.Members {
		typ, imp, err := g.goType(m.Shape)
		if err != nil {
			return nil, nil, fmt.Errorf("shape %s member %s: %w", name, m.Name, err)
		}
		if imp != "" {
			imports = append(imports, imp)
		}
		opt := ",omitempty"
		if g.always[name][m.Name] {
			if k := g.shapes[m.Shape].Type; k != "list" && k != "map" {
				return nil, nil, fmt.Errorf("shape %s: always-sent member %s is not a list or map", name, m.Name)
			}
			opt = ""
			fill = append(fill, fmt.Sprintf("\tif v.%s == nil {\n\t\tv.%s = %s{}\n\t}\n", field(m.Name), field(m.Name), typ))
		}
		fmt.Fprintf(&b, "\t%s %s `json:\"%s%s\"`\n", field(m.Name), typ, m.Name, opt)
	}
	b.WriteString("}\n\n")
	if len(fill) > 0 {
		imports = append(imports, "encoding/json")
		fmt.Fprintf(&b, "// MarshalJSON sends the members AWS always sends as [] or {} when they are nil.\n")
		fmt.Fprintf(&b, "func (v %s) MarshalJSON() ([]byte, error) {\n\ttype plain %s\n%s\treturn json.Marshal(plain(v))\n}\n\n",
			name, name, strings.Join(fill, ""))
	}
	return b.Bytes(), imports, nil
}

// goType is a member's Go type, and the import it needs ("" for none).
func (g *gen) goType(shape string) (string, string, error) {
	s := g.shapes[shape]
	if s == nil {
		return "", "", fmt.Errorf("unknown shape %s", shape)
	}
	switch s.Type {
	case "string":
		return "string", "", nil
	case "boolean":
		return "*bool", "", nil
	case "integer", "long", "byte", "short", "bigInteger":
		return "*int64", "", nil
	case "double", "float", "bigDecimal":
		return "*float64", "", nil
	case "timestamp":
		return "*awsapi.Time", "github.com/gatehouse/gatehouse/internal/awsapi", nil
	case "blob":
		return "[]byte", "", nil
	case "document":
		return "json.RawMessage", "encoding/json", nil
	case "structure":
		return "*" + shape, "", nil
	case "list":
		elem, imp, err := g.goType(s.Member)
		if err != nil {
			return "", "", err
		}
		if g.shapes[s.Member].Type == "structure" {
			elem = strings.TrimPrefix(elem, "*")
		}
		return "[]" + elem, imp, nil
	case "map":
		val, imp, err := g.goType(s.Value)
		if err != nil {
			return "", "", err
		}
		return "map[string]" + val, imp, nil
	}
	return "", "", fmt.Errorf("shape %s: type %q has no Go type", shape, s.Type)
}

// field is the Go field name of a member: its wire name with the first letter upper-cased.
func field(name string) string {
	return strings.ToUpper(name[:1]) + name[1:]
}
