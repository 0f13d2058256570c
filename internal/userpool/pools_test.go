package userpool

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
)

// poolTestClock is a settable clock.
type poolTestClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *poolTestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *poolTestClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// poolTestEnv is a Service on a real SQLite store, master key and token issuer.
type poolTestEnv struct {
	svc    *Service
	store  *sqlstore.Store
	tokens *token.Issuer
	clock  *poolTestClock
	ctx    context.Context
}

func newPoolTestEnv(t *testing.T) *poolTestEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("sqlstore.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	mk, err := masterkey.Load(t.TempDir())
	if err != nil {
		t.Fatalf("masterkey.Load: %v", err)
	}
	clock := &poolTestClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	iss, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: "http://127.0.0.1:9229", Now: clock.Now, Rand: rand.Reader})
	if err != nil {
		t.Fatalf("token.NewIssuer: %v", err)
	}
	svc, err := New(Config{Store: st, Tokens: iss, Master: mk, Region: "us-east-1", Account: "000000000000", Now: clock.Now})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &poolTestEnv{svc: svc, store: st, tokens: iss, clock: clock, ctx: ctx}
}

func (e *poolTestEnv) createPool(t *testing.T, in *CreateUserPoolRequest) *UserPoolType {
	t.Helper()
	if in.PoolName == "" {
		in.PoolName = "test-pool"
	}
	out, err := e.svc.CreateUserPool(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	return out.UserPool
}

func (e *poolTestEnv) describePool(t *testing.T, id string) *UserPoolType {
	t.Helper()
	out, err := e.svc.DescribeUserPool(e.ctx, &DescribeUserPoolRequest{UserPoolId: id})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	return out.UserPool
}

// wantAWSError checks that err is the client-visible AWS error typ with message msg.
func wantAWSError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ae *awsapi.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s %q", err, typ, msg)
	}
	if ae.Type != typ || ae.Message != msg {
		t.Fatalf("error = %s %q, want %s %q", ae.Type, ae.Message, typ, msg)
	}
}

func TestCreateUserPoolDescribeDefaults(t *testing.T) {
	e := newPoolTestEnv(t)
	created := e.createPool(t, &CreateUserPoolRequest{PoolName: "defaults"})
	if !regexp.MustCompile(`^us-east-1_[A-Za-z0-9]{9}$`).MatchString(created.Id) {
		t.Fatalf("pool id %q does not look like a Cognito pool id", created.Id)
	}
	if jwks, err := e.tokens.JWKS(e.ctx, created.Id); err != nil || strings.Count(string(jwks), `"kid"`) != 2 {
		t.Fatalf("the new pool's JWKS = %s (%v), want its two keys", jwks, err)
	}
	if keys, err := e.store.ListSigningKeys(e.ctx, created.Id); err != nil || len(keys) != 2 {
		t.Fatalf("signing keys = %d (%v), want 2 (id and access)", len(keys), err)
	}

	up := e.describePool(t, created.Id)
	if up.Name != "defaults" || up.Arn != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+created.Id {
		t.Errorf("name/arn = %q %q", up.Name, up.Arn)
	}
	if up.CreationDate == nil || !up.CreationDate.Equal(e.clock.Now()) || up.LastModifiedDate == nil {
		t.Errorf("dates = %v %v", up.CreationDate, up.LastModifiedDate)
	}
	if up.EstimatedNumberOfUsers == nil || *up.EstimatedNumberOfUsers != 0 {
		t.Errorf("EstimatedNumberOfUsers = %v", up.EstimatedNumberOfUsers)
	}
	pp := up.Policies.PasswordPolicy
	if *pp.MinimumLength != 8 || !*pp.RequireUppercase || !*pp.RequireLowercase || !*pp.RequireNumbers ||
		!*pp.RequireSymbols || *pp.TemporaryPasswordValidityDays != 7 {
		t.Errorf("password policy = %+v", pp)
	}
	if got := up.Policies.SignInPolicy.AllowedFirstAuthFactors; len(got) != 1 || got[0] != "PASSWORD" {
		t.Errorf("AllowedFirstAuthFactors = %v", got)
	}
	checks := map[string][2]string{
		"MfaConfiguration":         {up.MfaConfiguration, "OFF"},
		"DeletionProtection":       {up.DeletionProtection, "INACTIVE"},
		"UserPoolTier":             {up.UserPoolTier, "ESSENTIALS"},
		"DefaultEmailOption":       {up.VerificationMessageTemplate.DefaultEmailOption, "CONFIRM_WITH_CODE"},
		"EmailSendingAccount":      {up.EmailConfiguration.EmailSendingAccount, "COGNITO_DEFAULT"},
		"EmailVerificationSubject": {up.EmailVerificationSubject, "Your verification code"},
		"InviteSMS": {up.AdminCreateUserConfig.InviteMessageTemplate.SMSMessage,
			"Your username is {username} and temporary password is {####}. "},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	acu := up.AdminCreateUserConfig
	if *acu.AllowAdminCreateUserOnly || *acu.UnusedAccountValidityDays != 7 {
		t.Errorf("AdminCreateUserConfig = %+v", acu)
	}
	if up.UsernameConfiguration != nil {
		t.Errorf("UsernameConfiguration = %+v, want none when not given", up.UsernameConfiguration)
	}
	if up.AccountRecoverySetting != nil {
		// AWS does not invent one: the legacy behaviour applies (recoveryTarget).
		t.Errorf("AccountRecoverySetting = %+v, want none when not given", up.AccountRecoverySetting)
	}

	var names []string
	for _, a := range up.SchemaAttributes {
		names = append(names, a.Name)
	}
	want := "sub name given_name family_name middle_name nickname preferred_username profile picture " +
		"website email email_verified gender birthdate zoneinfo locale phone_number phone_number_verified " +
		"address updated_at identities"
	if strings.Join(names, " ") != want {
		t.Fatalf("schema = %v", names)
	}
	// The JSON DescribeUserPool answers, for a few attributes, as AWS shows them.
	wantJSON := map[string]string{
		"sub":            `{"Name":"sub","AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":false,"Required":true,"StringAttributeConstraints":{"MinLength":"1","MaxLength":"2048"}}`,
		"email_verified": `{"Name":"email_verified","AttributeDataType":"Boolean","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false}`,
		"birthdate":      `{"Name":"birthdate","AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false,"StringAttributeConstraints":{"MinLength":"10","MaxLength":"10"}}`,
		"updated_at":     `{"Name":"updated_at","AttributeDataType":"Number","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false,"NumberAttributeConstraints":{"MinValue":"0"}}`,
		"identities":     `{"Name":"identities","AttributeDataType":"String","DeveloperOnlyAttribute":false,"Mutable":true,"Required":false,"StringAttributeConstraints":{}}`,
	}
	for _, a := range up.SchemaAttributes {
		if w, ok := wantJSON[a.Name]; ok {
			b, _ := json.Marshal(a)
			if string(b) != w {
				t.Errorf("%s =\n %s\nwant\n %s", a.Name, b, w)
			}
		}
	}
}

func TestCreateUserPoolSchema(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{
		UsernameAttributes:    []string{"email"},
		UsernameConfiguration: &UsernameConfigurationType{CaseSensitive: ptr(false)},
		Schema: []SchemaAttributeType{
			{Name: "email", AttributeDataType: "String", Required: ptr(true), Mutable: ptr(true)},
			{Name: "team", AttributeDataType: "String", StringAttributeConstraints: &StringAttributeConstraintsType{MinLength: "1", MaxLength: "256"}},
			{Name: "level", AttributeDataType: "Number", Mutable: ptr(false)},
			{Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: ptr(true)},
		},
	})
	p, err := e.svc.loadPool(e.ctx, up.Id)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := p.schemaAttribute("email"); !ok || !*a.Required {
		t.Errorf("email = %+v %v, want required", a, ok)
	}
	if a, ok := p.schemaAttribute("custom:team"); !ok || a.StringAttributeConstraints.MaxLength != "256" || !*a.Mutable {
		t.Errorf("custom:team = %+v %v", a, ok)
	}
	if a, ok := p.schemaAttribute("custom:level"); !ok || a.AttributeDataType != "Number" || *a.Mutable {
		t.Errorf("custom:level = %+v %v", a, ok)
	}
	for _, name := range []string{"dev:custom:secret", "custom:secret"} {
		if a, ok := p.schemaAttribute(name); !ok || a.Name != "dev:custom:secret" || !*a.DeveloperOnlyAttribute {
			t.Errorf("%s = %+v %v", name, a, ok)
		}
	}
	if _, ok := p.schemaAttribute("custom:nope"); ok {
		t.Error("custom:nope found")
	}
	if p.caseSensitive() {
		t.Error("UsernameConfiguration not kept")
	}
	// A custom String attribute without constraints shows empty ones.
	b, _ := json.Marshal(e.describePool(t, up.Id).SchemaAttributes)
	if !strings.Contains(string(b), `{"Name":"dev:custom:secret","AttributeDataType":"String","DeveloperOnlyAttribute":true,"Mutable":true,"Required":false,"StringAttributeConstraints":{}}`) {
		t.Errorf("schema JSON = %s", b)
	}
}

func TestCreateUserPoolValidation(t *testing.T) {
	e := newPoolTestEnv(t)
	const ipe = "InvalidParameterException"
	for _, tc := range []struct {
		name string
		in   CreateUserPoolRequest
		msg  string
	}{
		{"username and alias attributes",
			CreateUserPoolRequest{UsernameAttributes: []string{"email"}, AliasAttributes: []string{"phone_number"}},
			"Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."},
		{"alias value",
			CreateUserPoolRequest{AliasAttributes: []string{"nickname"}},
			"1 validation error detected: Value '[nickname]' at 'aliasAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email, preferred_username]]"},
		{"auto-verified value",
			CreateUserPoolRequest{AutoVerifiedAttributes: []string{"name"}},
			"1 validation error detected: Value '[name]' at 'autoVerifiedAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email]]"},
		{"password too short",
			CreateUserPoolRequest{Policies: &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{MinimumLength: ptr(int64(5))}}},
			"1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6"},
		{"password too long",
			CreateUserPoolRequest{Policies: &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{MinimumLength: ptr(int64(100))}}},
			"1 validation error detected: Value '100' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value less than or equal to 99"},
		{"temporary password days",
			CreateUserPoolRequest{Policies: &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{TemporaryPasswordValidityDays: ptr(int64(366))}}},
			"1 validation error detected: Value '366' at 'policies.passwordPolicy.temporaryPasswordValidityDays' failed to satisfy constraint: Member must have value less than or equal to 365"},
		{"temporary and unused days",
			CreateUserPoolRequest{
				Policies:              &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{TemporaryPasswordValidityDays: ptr(int64(3))}},
				AdminCreateUserConfig: &AdminCreateUserConfigType{UnusedAccountValidityDays: ptr(int64(3))}},
			"Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays"},
		{"required custom attribute",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String", Required: ptr(true)}}},
			"Required custom attributes are not supported currently."},
		{"custom attribute without type",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "team"}}},
			"Invalid AttributeDataType input, consider using the provided AttributeDataType enum."},
		{"duplicate custom attribute",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String"}, {Name: "team", AttributeDataType: "Number"}}},
			"custom:team: Existing attribute already has name custom:team."},
		{"standard attribute type change",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "email", AttributeDataType: "Number"}}},
			"You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"},
		{"min above max",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String", StringAttributeConstraints: &StringAttributeConstraintsType{MinLength: "9", MaxLength: "3"}}}},
			"user.custom:team: Max length cannot be less than min length."},
		{"string too long",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String", StringAttributeConstraints: &StringAttributeConstraintsType{MaxLength: "4096"}}}},
			"user.custom:team: String attributes cannot have a length of more than 2048"},
		{"bad number bound",
			CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "level", AttributeDataType: "Number", NumberAttributeConstraints: &NumberAttributeConstraintsType{MinValue: "x"}}}},
			"Invalid NumberAttributeConstraints for schema attribute custom:level"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.PoolName = "bad"
			_, err := e.svc.CreateUserPool(e.ctx, &in)
			wantAWSError(t, err, ipe, tc.msg)
		})
	}
	if pools, _ := e.store.ListUserPools(e.ctx, store.Page{}); len(pools) != 0 {
		t.Fatalf("%d pools stored after refused creations", len(pools))
	}
}

func TestUpdateUserPoolResetsOmittedSettings(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{
		PoolName:               "before",
		DeletionProtection:     "ACTIVE",
		MfaConfiguration:       "OPTIONAL",
		AutoVerifiedAttributes: []string{"email"},
		UsernameAttributes:     []string{"email"},
		UsernameConfiguration:  &UsernameConfigurationType{CaseSensitive: ptr(false)},
		UserPoolTier:           "PLUS",
		UserPoolTags:           map[string]string{"team": "auth"},
		Policies: &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{
			MinimumLength: ptr(int64(12)), RequireSymbols: ptr(false), TemporaryPasswordValidityDays: ptr(int64(3)),
		}},
		AdminCreateUserConfig: &AdminCreateUserConfigType{AllowAdminCreateUserOnly: ptr(true)},
		Schema:                []SchemaAttributeType{{Name: "team", AttributeDataType: "String"}},
	})
	before := e.describePool(t, up.Id)
	if before.DeletionProtection != "ACTIVE" || *before.Policies.PasswordPolicy.TemporaryPasswordValidityDays != 3 ||
		*before.AdminCreateUserConfig.UnusedAccountValidityDays != 3 || before.UserPoolTags["team"] != "auth" {
		t.Fatalf("pool not created as asked: %+v", before)
	}

	e.clock.Advance(time.Minute)
	_, err := e.svc.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{
		UserPoolId: up.Id,
		Policies:   &UserPoolPolicyType{PasswordPolicy: &PasswordPolicyType{MinimumLength: ptr(int64(10))}},
	})
	if err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	after := e.describePool(t, up.Id)
	pp := after.Policies.PasswordPolicy
	if *pp.MinimumLength != 10 || *pp.RequireUppercase || *pp.RequireSymbols || *pp.TemporaryPasswordValidityDays != 7 {
		t.Errorf("password policy = %+v, want length 10, classes off, 7 days", pp)
	}
	if after.DeletionProtection != "INACTIVE" || after.MfaConfiguration != "OFF" || len(after.AutoVerifiedAttributes) != 0 ||
		*after.AdminCreateUserConfig.AllowAdminCreateUserOnly || len(after.UserPoolTags) != 0 {
		t.Errorf("omitted settings not reset: protection %s mfa %s autoverified %v adminonly %v tags %v",
			after.DeletionProtection, after.MfaConfiguration, after.AutoVerifiedAttributes,
			*after.AdminCreateUserConfig.AllowAdminCreateUserOnly, after.UserPoolTags)
	}
	// Kept: the name (none given), the tier (the API reference's exception), and what only
	// CreateUserPool sets.
	if after.Name != "before" || after.UserPoolTier != "PLUS" || len(after.UsernameAttributes) != 1 ||
		after.UsernameConfiguration == nil || len(after.SchemaAttributes) != len(before.SchemaAttributes) {
		t.Errorf("kept settings changed: name %q tier %s username attrs %v config %v schema %d",
			after.Name, after.UserPoolTier, after.UsernameAttributes, after.UsernameConfiguration, len(after.SchemaAttributes))
	}
	if !after.CreationDate.Equal(before.CreationDate.Time) || !after.LastModifiedDate.Equal(e.clock.Now()) {
		t.Errorf("dates = %v %v", after.CreationDate, after.LastModifiedDate)
	}

	if _, err := e.svc.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: up.Id, PoolName: "after", UserPoolTier: "LITE"}); err != nil {
		t.Fatal(err)
	}
	if got := e.describePool(t, up.Id); got.Name != "after" || got.UserPoolTier != "LITE" {
		t.Errorf("name/tier = %q %q", got.Name, got.UserPoolTier)
	}

	_, err = e.svc.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: "us-east-1_nothere00"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
}

func TestListUserPoolsPagination(t *testing.T) {
	e := newPoolTestEnv(t)
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.createPool(t, &CreateUserPoolRequest{}).Id)
	}
	sort.Strings(ids)

	var got []string
	next := ""
	pages := 0
	for {
		out, err := e.svc.ListUserPools(e.ctx, &ListUserPoolsRequest{MaxResults: ptr(int64(2)), NextToken: next})
		if err != nil {
			t.Fatalf("ListUserPools: %v", err)
		}
		pages++
		if len(out.UserPools) > 2 {
			t.Fatalf("page of %d pools", len(out.UserPools))
		}
		for _, d := range out.UserPools {
			if d.Name != "test-pool" || d.CreationDate == nil || d.LambdaConfig == nil {
				t.Errorf("description = %+v", d)
			}
			got = append(got, d.Id)
		}
		if out.NextToken == "" {
			break
		}
		if strings.Contains(out.NextToken, "us-east-1") {
			t.Errorf("NextToken %q is not opaque", out.NextToken)
		}
		next = out.NextToken
	}
	if pages != 3 || strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Fatalf("pages %d, listed %v, want %v", pages, got, ids)
	}

	out, err := e.svc.ListUserPools(e.ctx, &ListUserPoolsRequest{MaxResults: ptr(int64(60))})
	if err != nil || len(out.UserPools) != 5 || out.NextToken != "" {
		t.Fatalf("one page of 60: %d pools, token %q, %v", len(out.UserPools), out.NextToken, err)
	}
	_, err = e.svc.ListUserPools(e.ctx, &ListUserPoolsRequest{MaxResults: ptr(int64(61))})
	wantAWSError(t, err, "InvalidParameterException", "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
	_, err = e.svc.ListUserPools(e.ctx, &ListUserPoolsRequest{MaxResults: ptr(int64(2)), NextToken: "bm90LW91cnM"})
	wantAWSError(t, err, "InvalidParameterException", "Invalid pagination token.")
}

func TestDeleteUserPoolDeletionProtection(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{DeletionProtection: "ACTIVE"})
	_, err := e.svc.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: up.Id})
	wantAWSError(t, err, "InvalidParameterException",
		"The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	e.describePool(t, up.Id) // still there

	if _, err := e.svc.UpdateUserPool(e.ctx, &UpdateUserPoolRequest{UserPoolId: up.Id, DeletionProtection: "INACTIVE"}); err != nil {
		t.Fatal(err)
	}
	// A token of the pool verifies until the pool is deleted, and never after.
	raw, err := e.tokens.Sign(e.ctx, up.Id, token.UseAccess, map[string]any{"iss": e.tokens.IssuerFor(up.Id),
		"token_use": "access", "exp": e.clock.Now().Add(time.Hour).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.tokens.Verify(e.ctx, raw, token.VerifyOptions{Use: token.UseAccess}); err != nil {
		t.Fatalf("token before the delete: %v", err)
	}
	if _, err := e.svc.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: up.Id}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	if _, err := e.tokens.Verify(e.ctx, raw, token.VerifyOptions{Use: token.UseAccess}); err == nil {
		t.Error("a deleted pool's token still verifies")
	}
	_, err = e.svc.DescribeUserPool(e.ctx, &DescribeUserPoolRequest{UserPoolId: up.Id})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool "+up.Id+" does not exist.")
	_, err = e.svc.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: up.Id})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool "+up.Id+" does not exist.")
}

func TestDeleteUserPoolCascadesToClients(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	out, err := e.svc.CreateUserPoolClient(e.ctx, &CreateUserPoolClientRequest{UserPoolId: up.Id, ClientName: "app", GenerateSecret: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	clientID := out.UserPoolClient.ClientId
	if _, err := e.svc.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: up.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.GetClientByID(e.ctx, clientID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("client after pool delete: %v, want ErrNotFound", err)
	}
	_, err = e.svc.DescribeUserPoolClient(e.ctx, &DescribeUserPoolClientRequest{UserPoolId: up.Id, ClientId: clientID})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool "+up.Id+" does not exist.")
	if keys, err := e.store.ListSigningKeys(e.ctx, up.Id); err != nil || len(keys) != 0 {
		t.Fatalf("signing keys after pool delete: %d %v", len(keys), err)
	}
}

func TestRandomChars(t *testing.T) {
	s, err := randomChars(rand.Reader, 200, clientIDAlphabet)
	if err != nil || !regexp.MustCompile(`^[a-z0-9]{200}$`).MatchString(s) {
		t.Fatalf("randomChars = %q, %v", s, err)
	}
	// A reader that runs dry is an error, not a short ID.
	if _, err := randomChars(strings.NewReader("abc"), 9, poolIDAlphabet); err == nil {
		t.Fatal("randomChars on a short reader succeeded")
	}
}
