package model

import (
	"regexp"
	"testing"
)

var validationMessage = regexp.MustCompile(`(?s)^(1 validation error|[0-9]+ validation errors) detected: Value( null| '.*')? at '[^']*' failed to satisfy constraint: `)

// FuzzValidate: any bytes for any operation give nil, a SerializationException, or the
// service's validation error in Coral's form; never a panic.
func FuzzValidate(f *testing.F) {
	m := CognitoIDP()
	ops := m.Operations()
	for _, seed := range []string{
		`{}`, `{"ClientId":"abc","Username":"bob"}`, `{"UserAttributes":[{"Name":"a"},{}],"ClientMetadata":{"":"x"}}`,
		`{"Limit":1e400}`, `{"Limit":-1.5}`, `[]`, `null`, `{"a":`, `{"UserPoolId":"\u0000\ud800"}`,
		`{"CallbackURLs":["a b",null,""]}`, `{"AuthParameters":{"k":null}}`,
	} {
		for _, op := range []uint8{0, 7, 42, 99} {
			f.Add(op, []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		name := ops[int(op)%len(ops)]
		err := m.Validate(name, body)
		if err == nil {
			return
		}
		switch err.Type {
		case "SerializationException":
		case "InvalidParameterException":
			if !validationMessage.MatchString(err.Message) {
				t.Fatalf("%s: malformed message %q", name, err.Message)
			}
		default:
			t.Fatalf("%s: unexpected error type %s", name, err.Type)
		}
		if err.Status != 400 {
			t.Fatalf("status %d", err.Status)
		}
	})
}
