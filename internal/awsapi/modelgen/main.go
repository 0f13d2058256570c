// Command modelgen extracts from an AWS service model (botocore's service-2.json.gz) what
// request validation needs — every operation's input shape tree with types, required members,
// lengths, ranges, patterns, enums and the sensitive trait, plus each operation's authtype — and
// writes it as the compact JSON that package model embeds. Documentation is dropped.
//
// Usage:
//
//	go run ./internal/awsapi/modelgen -in PATH/service-2.json.gz -out model/cognito-idp.json \
//	    -validation-exception InvalidParameterException
//
// -in may also name a botocore model as botocore:SERVICE/VERSION (e.g.
// botocore:cognito-idp/2016-04-18); the installed botocore is then found with python3.
//
// The botocore model format is the JSON form of a Smithy model ("AWS JSON 1.1 protocol",
// smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html; constraint traits:
// smithy.io/2.0/spec/constraint-traits.html).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("in", "", "botocore service-2.json.gz path, or botocore:SERVICE/VERSION")
	out := flag.String("out", "", "output JSON path (default stdout)")
	vex := flag.String("validation-exception", "", "error code the service answers validation failures with (e.g. InvalidParameterException)")
	source := flag.String("source", "", "where the model came from, recorded in the output (default: the botocore version when -in is botocore:…)")
	flag.Parse()
	if err := run(*in, *out, *vex, *source); err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
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
	buf, err := generate(f, vex, source)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if out == "" {
		_, err = os.Stdout.Write(buf)
		return err
	}
	if err := os.WriteFile(out, buf, 0o644); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
