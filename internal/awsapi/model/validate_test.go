package model

import (
	"strings"
	"testing"
)

const (
	invalid        = "InvalidParameterException"
	serializationT = "SerializationException"
	userPatternC   = `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`
	poolPattern    = `Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`
)

type validateCase struct {
	name, op, body string
	typ, msg       string // typ "" means valid
}

func runValidate(t *testing.T, m *Model, cases []validateCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := m.Validate(tc.op, []byte(tc.body))
			if tc.typ == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want %s: %s, got nil", tc.typ, tc.msg)
			}
			if err.Type != tc.typ || err.Message != tc.msg || err.Status != 400 {
				t.Fatalf("got  %s (%d): %s\nwant %s: %s", err.Type, err.Status, err.Message, tc.typ, tc.msg)
			}
		})
	}
}

func TestValidateCognitoIDPConstraints(t *testing.T) {
	long := strings.Repeat("a", 129)
	runValidate(t, CognitoIDP(), []validateCase{
		{"valid sign-up", "SignUp", `{"ClientId":"abc","Username":"bob","Password":"Passw0rd!","UserAttributes":[{"Name":"email","Value":"b@example.com"}],"ClientMetadata":{"k":"v"}}`, "", ""},
		{"unknown members are ignored", "SignUp", `{"ClientId":"abc","Username":"bob","Nope":{"deep":[1,2,{"x":null}]},"clientid":1}`, "", ""},
		{"null is absent", "SignUp", `{"ClientId":"abc","Username":"bob","Password":null,"UserAttributes":null}`, "", ""},
		{"unknown operation is not validated", "NoSuchOperation", `{"x":1}`, "", ""},
		{"pattern, as AdminConfirmSignUp in anomalyco/guide#127", "AdminConfirmSignUp", `{"UserPoolId":"YOUR USER POOL ID","Username":"admin@example.com"}`, invalid,
			"1 validation error detected: Value 'YOUR USER POOL ID' at 'userPoolId' failed to satisfy constraint: " + poolPattern},
		{"leading space fails a whole-value match (aws-sdk-js#3344)", "ListGroups", `{"UserPoolId":" ap-northeast-1_xxx"}`, invalid,
			"1 validation error detected: Value ' ap-northeast-1_xxx' at 'userPoolId' failed to satisfy constraint: " + poolPattern},
		{"sensitive value left out; pattern before length", "SignUp", `{"ClientId":"abc","Username":""}`, invalid,
			"2 validation errors detected: Value at 'username' failed to satisfy constraint: " + userPatternC +
				"; Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"sensitive too long", "ForgotPassword", `{"ClientId":"abc","Username":"` + long + `"}`, invalid,
			"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"sensitive client id", "InitiateAuth", `{"ClientId":"a b","AuthFlow":"USER_PASSWORD_AUTH"}`, invalid,
			`1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+]+`},
		{"missing and invalid together, in model order", "AdminGetUser", `{"Username":"bob","UserPoolId":"bad"}`, invalid,
			"1 validation error detected: Value 'bad' at 'userPoolId' failed to satisfy constraint: " + poolPattern},
		{"number over the maximum, quoted", "ListUsers", `{"UserPoolId":"us-east-1_abc","Limit":61}`, invalid,
			"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60"},
		{"number under the minimum", "ListUserPools", `{"MaxResults":0}`, invalid,
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"fraction truncated like Coral", "ListUsers", `{"UserPoolId":"us-east-1_abc","Limit":60.9}`, "", ""},
		{"enum", "InitiateAuth", `{"ClientId":"abc","AuthFlow":"NOPE"}`, invalid,
			"1 validation error detected: Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: " +
				"[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]"},
		{"nested list of structures, 1-based .member", "AdminCreateUser",
			`{"UserPoolId":"us-east-1_abc","Username":"bob","UserAttributes":[{"Name":"email","Value":"x"},{"Value":"y"},{"Name":"` + strings.Repeat("n", 33) + `"}]}`, invalid,
			"2 validation errors detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null; " +
				"Value '" + strings.Repeat("n", 33) + "' at 'userAttributes.3.member.name' failed to satisfy constraint: Member must have length less than or equal to 32"},
		{"nested sensitive attribute value left out", "AdminCreateUser",
			`{"UserPoolId":"us-east-1_abc","Username":"bob","UserAttributes":[{"Name":"email","Value":"` + strings.Repeat("v", 2049) + `"}]}`, invalid,
			"1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 2048"},
		{"list of enums reported once at the list (media-insights-on-aws#199)", "CreateUserPoolClient",
			`{"UserPoolId":"us-east-1_abc","ClientName":"c","ExplicitAuthFlows":["ADMIN_USER_PASSWORD_AUTH","NOPE"]}`, invalid,
			"1 validation error detected: Value '[ADMIN_USER_PASSWORD_AUTH, NOPE]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: " +
				"[Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]]"},
		{"list of strings lists every member constraint (aws-cli#2941)", "UpdateUserPoolClient",
			`{"UserPoolId":"us-east-1_abc","ClientId":"abc","CallbackURLs":["https://ok.example","a b"]}`, invalid,
			"1 validation error detected: Value '[https://ok.example, a b]' at 'callbackURLs' failed to satisfy constraint: Member must satisfy constraint: " +
				"[Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+]"},
		{"list too long counts items", "UpdateUserPoolClient",
			`{"UserPoolId":"us-east-1_abc","ClientId":"abc","CallbackURLs":[` + strings.TrimSuffix(strings.Repeat(`"a",`, 101), ",") + `]}`, invalid,
			"1 validation error detected: Value '[" + strings.TrimSuffix(strings.Repeat("a, ", 101), ", ") + "]' at 'callbackURLs' failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"map keys", "CreateUserPool", `{"PoolName":"p","UserPoolTags":{"":"v","k":"w"}}`, invalid,
			"1 validation error detected: Value '{=v, k=w}' at 'userPoolTags' failed to satisfy constraint: Map keys must satisfy constraint: " +
				"[Member must have length less than or equal to 128, Member must have length greater than or equal to 1]"},
		{"sensitive map left out", "InitiateAuth", `{"ClientId":"abc","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"PASSWORD":"` + strings.Repeat("p", 131073) + `"}}`, invalid,
			"1 validation error detected: Value at 'authParameters' failed to satisfy constraint: Map value must satisfy constraint: " +
				"[Member must have length less than or equal to 131072, Member must have length greater than or equal to 0]"},
	})
}

func TestValidateCognitoIdentity(t *testing.T) {
	runValidate(t, CognitoIdentity(), []validateCase{
		{"valid", "GetId", `{"IdentityPoolId":"us-east-1:0f0e0d0c-0b0a-4000-8000-000000000001","Logins":{"cognito-idp.us-east-1.amazonaws.com/us-east-1_abc":"tok"}}`, "", ""},
		{"identity pools answer ValidationException (amplify-swift#2864)", "GetId", `{"IdentityPoolId":"eu-west-1_abc"}`, "ValidationException",
			`1 validation error detected: Value 'eu-west-1_abc' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+:[0-9a-f-]+`},
		{"map value, all its constraints listed (aws-cdk#31795)", "CreateIdentityPool",
			`{"IdentityPoolName":"p","AllowUnauthenticatedIdentities":false,"SupportedLoginProviders":{"accounts.google.com":"id.apps.googleusercontent.com","graph.facebook.com":"1234 "}}`,
			"ValidationException",
			"1 validation error detected: Value '{accounts.google.com=id.apps.googleusercontent.com, graph.facebook.com=1234 }' at 'supportedLoginProviders' failed to satisfy constraint: " +
				`Map value must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\w.;_/-]+]`},
		{"sensitive map value left out", "GetId", `{"IdentityPoolId":"us-east-1:0f0e","Logins":{"a":""}}`, "ValidationException",
			"1 validation error detected: Value at 'logins' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 50000, Member must have length greater than or equal to 1]"},
		{"map of structures: key and .member in the path", "SetIdentityPoolRoles",
			`{"IdentityPoolId":"us-east-1:0f0e","Roles":{},"RoleMappings":{"p":{"Type":"Token","AmbiguousRoleResolution":"Nope"}}}`, "ValidationException",
			"1 validation error detected: Value 'Nope' at 'roleMappings.p.member.ambiguousRoleResolution' failed to satisfy constraint: Member must satisfy enum value set: [AuthenticatedRole, Deny]"},
	})
}

func TestValidateSerialization(t *testing.T) {
	m := CognitoIDP()
	runValidate(t, m, []validateCase{
		{"number for a string", "SignUp", `{"ClientId":1}`, serializationT, "NUMBER_VALUE can not be converted to a String"},
		{"fraction for a string", "SignUp", `{"ClientId":1.5}`, serializationT, "NUMBER_VALUE can not be converted to a String"},
		{"true for a string", "SignUp", `{"ClientId":true}`, serializationT, "TRUE_VALUE can not be converted to a String"},
		{"false for a string", "SignUp", `{"ClientId":false}`, serializationT, "FALSE_VALUE can not be converted to a String"},
		{"object for a string", "SignUp", `{"ClientId":{"a":1}}`, serializationT, "Start of structure or map found where not expected."},
		{"array for a string", "SignUp", `{"ClientId":["x"]}`, serializationT, "Start of list found where not expected"},
		{"string for an integer", "ListUsers", `{"UserPoolId":"us-east-1_abc","Limit":"1"}`, serializationT, "STRING_VALUE can not be converted to an Integer"},
		{"true for an integer", "ListUsers", `{"UserPoolId":"us-east-1_abc","Limit":true}`, serializationT, "TRUE_VALUE can not be converted to an Integer"},
		{"integer out of range", "ListUsers", `{"UserPoolId":"us-east-1_abc","Limit":4294967296}`, serializationT, "NUMBER_VALUE can not be converted to an Integer"},
		{"string for a list", "SignUp", `{"UserAttributes":"x"}`, serializationT, "Expected list or null"},
		{"object for a list", "SignUp", `{"UserAttributes":{}}`, serializationT, "Start of structure or map found where not expected."},
		{"array in a list of structures", "SignUp", `{"UserAttributes":[[]]}`, serializationT, "Start of list found where not expected"},
		{"string for a structure", "SignUp", `{"AnalyticsMetadata":"x"}`, serializationT, "Expected null"},
		{"array for a structure", "SignUp", `{"AnalyticsMetadata":[]}`, serializationT, "Start of list found where not expected"},
		{"array for a map", "SignUp", `{"ClientMetadata":[]}`, serializationT, "Start of list found where not expected"},
		{"string for a map", "SignUp", `{"ClientMetadata":"x"}`, serializationT, "Expected map or null"},
		{"number as a map value", "SignUp", `{"ClientMetadata":{"k":1}}`, serializationT, "NUMBER_VALUE can not be converted to a String"},
		{"string for a boolean", "AdminSetUserPassword", `{"Permanent":"true"}`, serializationT, "STRING_VALUE can not be converted to a Boolean"},
		{"type errors win over constraint errors", "SignUp", `{"Username":"","ClientId":7}`, serializationT, "NUMBER_VALUE can not be converted to a String"},
		{"top-level array", "SignUp", `[]`, serializationT, "Start of list found where not expected"},
		{"top-level string", "SignUp", `"x"`, serializationT, ""},
		{"top-level null", "SignUp", `null`, serializationT, ""},
		{"malformed", "SignUp", `{"ClientId":`, serializationT, msgMalformed},
		{"trailing data", "SignUp", `{"ClientId":"a","Username":"b"} {}`, serializationT, msgMalformed},
		{"empty", "SignUp", ``, serializationT, msgMalformed},
	})
}

func TestValidateCountsBeyondTheCap(t *testing.T) {
	m := CognitoIDP()
	var items []string
	for range 12 {
		items = append(items, `{}`)
	}
	body := `{"UserPoolId":"us-east-1_abc","Username":"bob","UserAttributes":[` + strings.Join(items, ",") + `]}`
	err := m.Validate("AdminCreateUser", []byte(body))
	if err == nil || !strings.HasPrefix(err.Message, "12 validation errors detected: ") {
		t.Fatalf("got %v", err)
	}
	if n := strings.Count(err.Message, "failed to satisfy constraint"); n != maxReported {
		t.Fatalf("%d messages listed, want %d", n, maxReported)
	}
	if !strings.HasSuffix(err.Message, "'userAttributes.10.member.name' failed to satisfy constraint: Member must not be null") {
		t.Fatalf("last listed: %s", err.Message)
	}
}

func TestValidateEchoIsBounded(t *testing.T) {
	m := CognitoIDP()
	big := strings.Repeat("é", 100_000)
	err := m.Validate("ListGroups", []byte(`{"UserPoolId":"`+big+`"}`))
	if err == nil {
		t.Fatal("want an error")
	}
	if len(err.Message) > 3*maxRendered {
		t.Fatalf("message is %d bytes", len(err.Message))
	}
	if !strings.Contains(err.Message, "é...' at 'userPoolId'") {
		t.Fatalf("value not cut at a character boundary: %.80s", err.Message)
	}
}

func TestModelMetadata(t *testing.T) {
	idp, id := CognitoIDP(), CognitoIdentity()
	if idp != CognitoIDP() {
		t.Error("CognitoIDP builds more than once")
	}
	if idp.TargetPrefix() != "AWSCognitoIdentityProviderService" || idp.Service() != "cognito-idp" || idp.APIVersion() != "2016-04-18" {
		t.Errorf("cognito-idp metadata: %s %s %s", idp.TargetPrefix(), idp.Service(), idp.APIVersion())
	}
	if id.TargetPrefix() != "AWSCognitoIdentityService" || id.Service() != "cognito-identity" {
		t.Errorf("cognito-identity metadata: %s %s", id.TargetPrefix(), id.Service())
	}
	for op, public := range map[string]bool{
		"SignUp": true, "InitiateAuth": true, "RespondToAuthChallenge": true, "ConfirmSignUp": true,
		"GetUser": true, "AdminInitiateAuth": false, "CreateUserPool": false, "AdminCreateUser": false,
		"NoSuchOperation": false,
	} {
		if idp.Public(op) != public {
			t.Errorf("cognito-idp Public(%s) = %v", op, !public)
		}
	}
	for op, public := range map[string]bool{
		"GetId": true, "GetCredentialsForIdentity": true, "GetOpenIdToken": true, "UnlinkIdentity": true,
		"GetOpenIdTokenForDeveloperIdentity": false, "CreateIdentityPool": false,
	} {
		if id.Public(op) != public {
			t.Errorf("cognito-identity Public(%s) = %v", op, !public)
		}
	}
	if !idp.Has("SignUp") || idp.Has("GetId") || len(idp.Operations()) < 100 {
		t.Errorf("operations: %d", len(idp.Operations()))
	}
	if got := idp.Required("SignUp"); strings.Join(got, ",") != "ClientId,Username" {
		t.Errorf("Required(SignUp) = %v", got)
	}
	if _, err := Load("nope"); err == nil {
		t.Error("Load(nope) succeeded")
	}
}

func TestParseRejectsBrokenModels(t *testing.T) {
	for name, data := range map[string]string{
		"not json":            `{`,
		"no validation error": `{"metadata":{"service":"x"},"operations":{},"shapes":{}}`,
		"unknown shape":       `{"metadata":{"service":"x","validationException":"V"},"operations":{"Op":{"input":"In"}},"shapes":{"In":{"type":"structure","members":[{"name":"A","shape":"Missing"}]}}}`,
		"unknown type":        `{"metadata":{"service":"x","validationException":"V"},"operations":{},"shapes":{"S":{"type":"weird"}}}`,
		"input not structure": `{"metadata":{"service":"x","validationException":"V"},"operations":{"Op":{"input":"S"}},"shapes":{"S":{"type":"string"}}}`,
	} {
		if _, err := Parse([]byte(data)); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

// A recursive model links into a cycle; decoding and checking stop at maxDepth.
func TestRecursiveModelIsBounded(t *testing.T) {
	m, err := Parse([]byte(`{"metadata":{"service":"x","validationException":"V"},
"operations":{"Op":{"input":"Node"}},
"shapes":{"Node":{"type":"structure","required":["Name"],"members":[{"name":"Name","shape":"S"},{"name":"Next","shape":"Node"},{"name":"Doc","shape":"D"}]},
"S":{"type":"string","min":1},"D":{"type":"document"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat(`{"Name":"a","Next":`, 200) + `{}` + strings.Repeat(`}`, 200)
	if err := m.Validate("Op", []byte(deep)); err != nil {
		t.Fatalf("deep input beyond the bound: %v", err)
	}
	shallow := `{"Name":"a","Doc":{"any":[1,{"thing":true}]},"Next":{"Next":{"Name":""}}}`
	want := "2 validation errors detected: Value null at 'next.name' failed to satisfy constraint: Member must not be null; " +
		"Value '' at 'next.next.name' failed to satisfy constraint: Member must have length greater than or equal to 1"
	if err := m.Validate("Op", []byte(shallow)); err == nil || err.Message != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}
