package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed models are what modelgen makes of the botocore on this machine. CI machines
// have botocore too; the test skips where it is missing or a different version (regenerate
// with `go generate ./internal/awsapi/model` after a botocore update).
func TestCommittedModelsAreUpToDate(t *testing.T) {
	dir, version, err := botocore()
	if err != nil {
		t.Skipf("no botocore: %v", err)
	}
	for _, tc := range models {
		committed, err := os.ReadFile(filepath.Join("..", "model", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		var meta struct {
			Metadata struct{ Source string } `json:"metadata"`
		}
		if err := json.Unmarshal(committed, &meta); err != nil {
			t.Fatal(err)
		}
		if meta.Metadata.Source != "botocore "+version {
			t.Skipf("%s was generated from %s; this machine has botocore %s", tc.file, meta.Metadata.Source, version)
		}
		f, err := os.Open(filepath.Join(dir, "data", tc.spec, "service-2.json.gz"))
		if err != nil {
			t.Fatal(err)
		}
		pag, err := os.Open(filepath.Join(dir, "data", tc.spec, "paginators-1.json"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := generate(f, pag, tc.vex, "botocore "+version)
		f.Close()
		pag.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, committed) {
			t.Errorf("%s is stale: run go run ./internal/awsapi/modelgen -refresh", tc.file)
		}
	}
}

func gz(t *testing.T, s string) *bytes.Reader {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

func TestGenerateKeepsOnlyWhatValidationNeeds(t *testing.T) {
	src := `{"metadata":{"endpointPrefix":"svc","apiVersion":"2020-01-01","targetPrefix":"Svc","protocol":"json"},
"operations":{
 "Open":{"input":{"shape":"OpenRequest"},"output":{"shape":"Out"},"authtype":"none","documentation":"<p>doc</p>"},
 "List":{"output":{"shape":"ListOut"}},
 "Closed":{"input":{"shape":"ClosedRequest"}},
 "NoInput":{}},
"shapes":{
 "OpenRequest":{"type":"structure","required":["Z"],"members":{"Z":{"shape":"Name","documentation":"x"},"A":{"shape":"Names"},"M":{"shape":"Tags"}},"documentation":"<p>d</p>"},
 "ClosedRequest":{"type":"structure","members":{"N":{"shape":"Count"}}},
 "Name":{"type":"string","min":1,"max":8,"pattern":"[a-z]+","sensitive":true},
 "Names":{"type":"list","member":{"shape":"Name"},"max":3},
 "Tags":{"type":"map","key":{"shape":"Name"},"value":{"shape":"Kind"}},
 "Kind":{"type":"string","enum":["B","A"]},
 "Count":{"type":"integer","min":0,"max":60},
 "Out":{"type":"structure","members":{"Unused":{"shape":"Name"}}},
 "ListOut":{"type":"structure","members":{"Items":{"shape":"Names"},"Next":{"shape":"Name"}}},
 "Failure":{"type":"structure","members":{"M":{"shape":"Name"}},"exception":true},
 "Unreached":{"type":"string"}}}`
	pag := `{"pagination":{"List":{"input_token":"Next","output_token":"Next","result_key":"Items"}}}`
	got, err := generate(gz(t, src), strings.NewReader(pag), "V", "test")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"metadata":{"service":"svc","protocol":"json","apiVersion":"2020-01-01","targetPrefix":"Svc","validationException":"V","source":"test"},
"operations":{
"Closed":{"input":"ClosedRequest"},
"List":{"output":"ListOut","resultKeys":["Items"]},
"NoInput":{},
"Open":{"input":"OpenRequest","output":"Out","authtype":"none"}
},
"shapes":{
"ClosedRequest":{"type":"structure","members":[{"name":"N","shape":"Count"}]},
"Count":{"type":"integer","min":0,"max":60},
"Kind":{"type":"string","enum":["B","A"]},
"ListOut":{"type":"structure","members":[{"name":"Items","shape":"Names"},{"name":"Next","shape":"Name"}]},
"Name":{"type":"string","min":1,"max":8,"pattern":"[a-z]+","sensitive":true},
"Names":{"type":"list","member":"Name","max":3},
"OpenRequest":{"type":"structure","required":["Z"],"members":[{"name":"Z","shape":"Name"},{"name":"A","shape":"Names"},{"name":"M","shape":"Tags"}]},
"Out":{"type":"structure","members":[{"name":"Unused","shape":"Name"}]},
"Tags":{"type":"map","key":"Name","value":"Kind"}
}}
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestGenerateRejects(t *testing.T) {
	for name, src := range map[string]string{
		"rest protocol":  `{"metadata":{"protocol":"rest-json"},"operations":{},"shapes":{}}`,
		"bad result key": `{"metadata":{"protocol":"json"},"operations":{"List":{"output":{"shape":"Out"}}},"shapes":{"Out":{"type":"structure","members":{}}}}`,
		"missing shape":  `{"metadata":{"protocol":"json"},"operations":{"Op":{"input":{"shape":"Nope"}}},"shapes":{}}`,
		"fractional max": `{"metadata":{"protocol":"json"},"operations":{"Op":{"input":{"shape":"In"}}},"shapes":{"In":{"type":"structure","members":{"D":{"shape":"D"}}},"D":{"type":"double","max":1.5}}}`,
		"bad required":   `{"metadata":{"protocol":"json"},"operations":{"Op":{"input":{"shape":"In"}}},"shapes":{"In":{"type":"structure","required":["X"],"members":{}}}}`,
	} {
		pag := `{"pagination":{"List":{"result_key":"Items"}}}`
		if _, err := generate(gz(t, src), strings.NewReader(pag), "V", ""); err == nil {
			t.Errorf("%s: generated", name)
		}
	}
	if _, err := generate(strings.NewReader("not gzip"), nil, "V", ""); err == nil {
		t.Error("not gzip: generated")
	}
	if err := run("", "", "", ""); err == nil {
		t.Error("run without flags succeeded")
	}
}
