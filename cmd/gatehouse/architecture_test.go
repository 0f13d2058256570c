package main

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The import table of docs/architecture.md says who imports whom; this test keeps it true.
// On a difference it prints the table as it should read, ready to paste.
func TestArchitectureImportTable(t *testing.T) {
	const module = "github.com/gatehouse/gatehouse/"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	short := func(p string) string {
		return strings.TrimPrefix(strings.TrimPrefix(p, module), "internal/")
	}
	want := map[string]string{} // package -> its imports of this module, joined with ", "
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if strings.HasPrefix(f[0], module+"bench/") {
			continue // standalone benchmark programs, listed on their own row
		}
		var deps []string
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, module) {
				deps = append(deps, short(imp))
			}
		}
		slices.Sort(deps)
		want[short(f[0])] = strings.Join(deps, ", ")
	}

	doc, err := os.ReadFile("../../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Who imports whom")
	if !ok {
		t.Fatal("docs/architecture.md has no \"## Who imports whom\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| (`[^|]+) \\| ([^|]+) \\|$")
	got := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		deps := strings.TrimSpace(m[2])
		if deps == "nothing of this module" {
			deps = ""
		}
		for _, p := range strings.Split(m[1], ",") {
			got[strings.Trim(strings.TrimSpace(p), "`")] = deps
		}
	}
	same := len(got) == len(want)
	for p, deps := range want {
		if g, ok := got[p]; !ok || g != deps {
			same = false
		}
	}
	if same {
		return
	}
	var pkgs, leaves []string
	for p, deps := range want {
		if deps == "" {
			leaves = append(leaves, "`"+p+"`")
		} else {
			pkgs = append(pkgs, p)
		}
	}
	slices.Sort(pkgs)
	slices.Sort(leaves)
	var b strings.Builder
	b.WriteString("| package | imports |\n| --- | --- |\n")
	for _, p := range pkgs {
		b.WriteString("| `" + p + "` | " + want[p] + " |\n")
	}
	b.WriteString("| " + strings.Join(leaves, ", ") + " | nothing of this module |\n")
	t.Errorf("docs/architecture.md's import table differs from go list; it should read:\n\n%s", b.String())
}
