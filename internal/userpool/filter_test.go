package userpool

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

func TestParseFilter(t *testing.T) {
	const parseErr = "Error while parsing filter."
	tests := []struct {
		in      string
		want    *store.UserFilter
		wantErr string
	}{
		{in: "", want: nil},
		{in: "   ", want: nil},
		{in: `email = "a@example.com"`, want: &store.UserFilter{Attribute: "email", Value: "a@example.com"}},
		{in: `email="a@example.com"`, want: &store.UserFilter{Attribute: "email", Value: "a@example.com"}},
		{in: `  given_name ^= "Jo"  `, want: &store.UserFilter{Attribute: "given_name", Value: "Jo", Prefix: true}},
		{in: `given_name^="Jo"`, want: &store.UserFilter{Attribute: "given_name", Value: "Jo", Prefix: true}},
		{in: `family_name = "Re\"ddy"`, want: &store.UserFilter{Attribute: "family_name", Value: `Re"ddy`}},
		{in: `name = "back\\slash"`, want: &store.UserFilter{Attribute: "name", Value: `back\slash`}},
		{in: `name = ""`, want: &store.UserFilter{Attribute: "name", Value: ""}},
		{in: `name = "with = and ^= inside"`, want: &store.UserFilter{Attribute: "name", Value: "with = and ^= inside"}},
		{in: `username = "Bob"`, want: &store.UserFilter{Attribute: "username", Value: "Bob"}},
		{in: `cognito:user_status = "unconfirmed"`, want: &store.UserFilter{Attribute: "cognito:user_status", Value: "UNCONFIRMED"}},
		{in: "cognito:user_status=\"\x8b\xe6confirmed\"", want: &store.UserFilter{Attribute: "cognito:user_status", Value: "\x8b\xe6CONFIRMED"}},
		{in: `status = "Enabled"`, want: &store.UserFilter{Attribute: "status", Value: "Enabled"}},
		{in: `sub = "5f1b"`, want: &store.UserFilter{Attribute: "sub", Value: "5f1b"}},
		{in: `phone_number ^= "+1"`, want: &store.UserFilter{Attribute: "phone_number", Value: "+1", Prefix: true}},
		{in: `preferred_username = "ü"`, want: &store.UserFilter{Attribute: "preferred_username", Value: "ü"}},

		{in: `email = a@example.com`, wantErr: parseErr},
		{in: `email = 'a@example.com'`, wantErr: parseErr},
		{in: `email = "a@example.com`, wantErr: parseErr},
		{in: `email = "a\"`, wantErr: parseErr},
		{in: `email = "x\`, wantErr: parseErr},
		{in: `email == "x"`, wantErr: parseErr},
		{in: `email != "x"`, wantErr: parseErr},
		{in: `email ~= "x"`, wantErr: parseErr},
		{in: `email "x"`, wantErr: parseErr},
		{in: `= "x"`, wantErr: parseErr},
		{in: `email = "x" and name = "y"`, wantErr: parseErr},
		{in: `email = "x" junk`, wantErr: parseErr},
		{in: `foo`, wantErr: parseErr},
		{in: `email`, wantErr: parseErr},
		{in: `email =`, wantErr: parseErr},
		{in: strings.Repeat("a", maxFilterLength+1), wantErr: parseErr},

		{in: `custom:team = "x"`, wantErr: "Invalid search attribute: custom:team"},
		{in: `address = "x"`, wantErr: "Invalid search attribute: address"},
		{in: `Email = "x"`, wantErr: "Invalid search attribute: Email"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseFilter(tt.in)
			if tt.wantErr != "" {
				var ae *awsapi.Error
				if !errors.As(err, &ae) || ae.Type != "InvalidParameterException" || ae.Message != tt.wantErr {
					t.Fatalf("parseFilter(%q) error = %v, want InvalidParameterException %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseFilter(%q): %v", tt.in, err)
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Fatalf("parseFilter(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzParseFilter checks that the parser never panics, answers only AWS errors, and that what
// it accepts is a searchable attribute whose value round-trips through quoting.
func FuzzParseFilter(f *testing.F) {
	for _, seed := range []string{
		``, `email = "a@b.c"`, `given_name ^= "Jo"`, `family_name = "Re\"ddy"`, `name = "\\"`,
		`cognito:user_status = "confirmed"`, `x`, `"`, `email = "`, `email = "\`, `^=`, `a ^= "b" c`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := parseFilter(in)
		if err != nil {
			var ae *awsapi.Error
			if !errors.As(err, &ae) || ae.Type != "InvalidParameterException" {
				t.Fatalf("parseFilter(%q) returned a non-AWS error %v", in, err)
			}
			return
		}
		if got == nil {
			if strings.TrimSpace(in) != "" {
				t.Fatalf("parseFilter(%q) = nil for a non-blank filter", in)
			}
			return
		}
		if !isFilterAttribute(got.Attribute) {
			t.Fatalf("parseFilter(%q) accepted attribute %q", in, got.Attribute)
		}
		if len(got.Value) > len(in) {
			t.Fatalf("parseFilter(%q) value longer than input", in)
		}
		if got.Attribute == "cognito:user_status" {
			return // value is upper-cased
		}
		op := " = "
		if got.Prefix {
			op = " ^= "
		}
		quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(got.Value)
		requoted := got.Attribute + op + `"` + quoted + `"`
		if len(requoted) > maxFilterLength {
			return
		}
		again, err := parseFilter(requoted)
		if err != nil || again == nil || *again != *got {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", in, again, err, got)
		}
	})
}
