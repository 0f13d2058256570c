// Command modelgen is Gatehouse's one code generator for AWS's service models. It has two
// steps, each deterministic:
//
//  1. Extract (modelgen -refresh, or -in/-out for one model): from botocore's copy of an AWS
//     service model (service-2.json.gz and paginators-1.json) it writes the compact JSON that
//     package model embeds: every operation's input and output shape trees with types,
//     required members, lengths, ranges, patterns, enums and the sensitive trait, each
//     operation's authtype and its paginated result members. Documentation is dropped. This
//     step needs the installed botocore (found with python3: install the AWS CLI or
//     `pip install botocore`) and is run by hand when botocore is updated; the extracts are
//     committed, so nothing else needs botocore or python.
//
//  2. Go shapes (modelgen -go, run by `go generate ./...`): from a committed extract it writes
//     the Go types of every shape reachable from the model's operations, through go/format.
//     It reads only the committed extract, so `go generate ./...` gives the same bytes on
//     every machine (CI runs it and fails on any difference).
//
// Usage:
//
//	go run ./internal/awsapi/modelgen -refresh              # every model Gatehouse embeds
//	go run ./internal/awsapi/modelgen -in botocore:cognito-idp/2016-04-18 \
//	    -out model/cognito-idp.json -validation-exception InvalidParameterException
//	go run ../awsapi/modelgen -go -model ../awsapi/model/cognito-idp.json \
//	    -package userpool -out shapes_gen.go
//
// -in may name a model file (service-2.json.gz) or a botocore model as
// botocore:SERVICE/VERSION (e.g. botocore:cognito-idp/2016-04-18).
//
// The botocore model format is the JSON form of a Smithy model ("AWS JSON 1.1 protocol",
// smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html; "AWS query protocol",
// smithy.io/2.0/aws/protocols/aws-query-protocol.html; constraint traits:
// smithy.io/2.0/spec/constraint-traits.html).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// models are the extracts Gatehouse embeds (package model), with the error code each service
// answers a validation failure with: Cognito user pools InvalidParameterException (e.g.
// anomalyco/guide#127, aws/aws-sdk-js#3344); Cognito identity pools ValidationException
// (getmoto/moto#1979 "verified against AWS", aws-amplify/amplify-swift#2864 shows the
// headers); IAM and STS ValidationError (IAM API reference, Common Errors).
var models = []struct{ spec, file, vex string }{
	{"cognito-idp/2016-04-18", "cognito-idp.json", "InvalidParameterException"},
	{"cognito-identity/2014-06-30", "cognito-identity.json", "ValidationException"},
	{"iam/2010-05-08", "iam.json", "ValidationError"},
	{"sts/2011-06-15", "sts.json", "ValidationError"},
}

func main() {
	refresh := flag.Bool("refresh", false, "extract every embedded model from the installed botocore into -dir")
	dir := flag.String("dir", "internal/awsapi/model", "with -refresh: the directory of the extracts")
	in := flag.String("in", "", "botocore service-2.json.gz path, or botocore:SERVICE/VERSION")
	out := flag.String("out", "", "output path (default stdout)")
	vex := flag.String("validation-exception", "", "error code the service answers validation failures with (e.g. InvalidParameterException)")
	source := flag.String("source", "", "where the model came from, recorded in the output (default: the botocore version when -in is botocore:…)")
	goShapes := flag.Bool("go", false, "write the Go shapes of -model instead of extracting a model")
	modelPath := flag.String("model", "", "with -go: the extracted model (JSON) to read")
	pkg := flag.String("package", "", "with -go: the Go package name")
	flag.Parse()
	var err error
	switch {
	case *refresh:
		err = refreshAll(*dir)
	case *goShapes:
		err = runGo(*modelPath, *pkg, *out)
	default:
		err = run(*in, *out, *vex, *source)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
}

func refreshAll(dir string) error {
	for _, m := range models {
		if err := run("botocore:"+m.spec, filepath.Join(dir, m.file), m.vex, ""); err != nil {
			return err
		}
	}
	return nil
}

func run(in, out, vex, source string) error {
	if in == "" || vex == "" {
		return fmt.Errorf("-in and -validation-exception are required")
	}
	path, version, err := resolve(in)
	if err != nil {
		return err
	}
	if source == "" && version != "" {
		source = "botocore " + version
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open model: %w", err)
	}
	defer f.Close()
	// paginators-1.json sits beside service-2.json.gz in botocore; a model without
	// paginators has none.
	var pag *os.File
	if p, err := os.Open(filepath.Join(filepath.Dir(path), "paginators-1.json")); err == nil {
		defer p.Close()
		pag = p
	}
	var buf []byte
	if pag != nil {
		buf, err = generate(f, pag, vex, source)
	} else {
		buf, err = generate(f, nil, vex, source)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return write(out, buf)
}

func write(out string, buf []byte) error {
	if out == "" {
		_, err := os.Stdout.Write(buf)
		return err
	}
	if err := os.WriteFile(out, buf, 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
