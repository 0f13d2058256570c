package userpool

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

func (e *poolTestEnv) createClient(t *testing.T, in *CreateUserPoolClientRequest) *UserPoolClientType {
	t.Helper()
	if in.ClientName == "" {
		in.ClientName = "app"
	}
	out, err := e.svc.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

func (e *poolTestEnv) describeClient(t *testing.T, poolID, clientID string) *UserPoolClientType {
	t.Helper()
	out, err := e.svc.DescribeUserPoolClient(e.ctx, &DescribeUserPoolClientRequest{UserPoolId: poolID, ClientId: clientID})
	if err != nil {
		t.Fatalf("DescribeUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

func (e *poolTestEnv) loadTestClient(t *testing.T, clientID string) *client {
	t.Helper()
	c, _, err := e.svc.loadClient(e.ctx, clientID)
	if err != nil {
		t.Fatalf("loadClient: %v", err)
	}
	return c
}

func TestCreateUserPoolClientDefaults(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	created := e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: up.Id, ClientName: "web"})
	if !regexp.MustCompile(`^[a-z0-9]{26}$`).MatchString(created.ClientId) {
		t.Fatalf("client id %q", created.ClientId)
	}
	if created.ClientSecret != "" {
		t.Fatalf("public client got a secret")
	}
	got := e.describeClient(t, up.Id, created.ClientId)
	if got.UserPoolId != up.Id || got.ClientName != "web" || got.CreationDate == nil || !got.LastModifiedDate.Equal(e.clock.Now()) {
		t.Errorf("identity = %q %q %v %v", got.UserPoolId, got.ClientName, got.CreationDate, got.LastModifiedDate)
	}
	if strings.Join(got.ExplicitAuthFlows, ",") != "ALLOW_USER_SRP_AUTH,ALLOW_CUSTOM_AUTH,ALLOW_REFRESH_TOKEN_AUTH" {
		t.Errorf("ExplicitAuthFlows = %v", got.ExplicitAuthFlows)
	}
	if *got.RefreshTokenValidity != 30 || got.AccessTokenValidity != nil || got.IdTokenValidity != nil || got.TokenValidityUnits != nil {
		t.Errorf("validity = %v %v %v %v", *got.RefreshTokenValidity, got.AccessTokenValidity, got.IdTokenValidity, got.TokenValidityUnits)
	}
	if *got.AuthSessionValidity != 3 || got.PreventUserExistenceErrors != "LEGACY" || !*got.EnableTokenRevocation ||
		*got.EnablePropagateAdditionalUserContextData || *got.AllowedOAuthFlowsUserPoolClient {
		t.Errorf("defaults = session %d prevent %s revocation %v propagate %v oauth %v", *got.AuthSessionValidity,
			got.PreventUserExistenceErrors, *got.EnableTokenRevocation, *got.EnablePropagateAdditionalUserContextData,
			*got.AllowedOAuthFlowsUserPoolClient)
	}
	if got.ReadAttributes != nil || got.WriteAttributes != nil {
		t.Errorf("attribute lists = %v %v, want none when not given", got.ReadAttributes, got.WriteAttributes)
	}
	if r := got.RefreshTokenRotation; r == nil || r.Feature != "DISABLED" || r.RetryGracePeriodSeconds == nil || *r.RetryGracePeriodSeconds != 0 {
		t.Errorf("RefreshTokenRotation = %+v", r)
	}

	c := e.loadTestClient(t, created.ClientId)
	if id, access, refresh := c.tokenValidity(); id != time.Hour || access != time.Hour || refresh != 30*24*time.Hour {
		t.Errorf("tokenValidity = %v %v %v", id, access, refresh)
	}
	if c.authSessionValidity() != 3*time.Minute || c.preventUserExistenceErrors() {
		t.Errorf("session %v prevent %v", c.authSessionValidity(), c.preventUserExistenceErrors())
	}
	for flow, want := range map[string]bool{
		"USER_SRP_AUTH": true, "CUSTOM_AUTH": true, "REFRESH_TOKEN_AUTH": true, "REFRESH_TOKEN": true,
		"USER_PASSWORD_AUTH": false, "ADMIN_USER_PASSWORD_AUTH": false, "ADMIN_NO_SRP_AUTH": false, "USER_AUTH": false,
	} {
		if c.authFlowAllowed(flow) != want {
			t.Errorf("authFlowAllowed(%s) = %v", flow, !want)
		}
	}
}

func TestUserPoolClientSecret(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	created := e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: up.Id, GenerateSecret: ptr(true)})
	if !regexp.MustCompile(`^[a-z0-9]{51}$`).MatchString(created.ClientSecret) {
		t.Fatalf("secret %q is not 51 lowercase alphanumerics", created.ClientSecret)
	}
	if got := e.describeClient(t, up.Id, created.ClientId); got.ClientSecret != created.ClientSecret {
		t.Fatalf("described secret %q, created %q", got.ClientSecret, created.ClientSecret)
	}
	rec, err := e.store.GetClient(e.ctx, up.Id, created.ClientId)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec.Spec, []byte(created.ClientSecret)) || bytes.Contains(rec.Spec, []byte("ClientSecret")) {
		t.Fatalf("stored spec holds the secret in the clear: %s", rec.Spec)
	}
	if !bytes.Contains(rec.Spec, []byte("SealedSecret")) {
		t.Fatalf("stored spec has no sealed secret: %s", rec.Spec)
	}

	// Updating keeps the secret.
	out, err := e.svc.UpdateUserPoolClient(e.ctx, &UpdateUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId, ClientName: "renamed"})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserPoolClient.ClientSecret != created.ClientSecret || out.UserPoolClient.ClientName != "renamed" {
		t.Fatalf("after update: secret %q name %q", out.UserPoolClient.ClientSecret, out.UserPoolClient.ClientName)
	}
	if c := e.loadTestClient(t, created.ClientId); c.secret != created.ClientSecret {
		t.Fatalf("stored secret after update = %q", c.secret)
	}

	// A secret of the caller's own is kept as given; a client_credentials client needs one.
	if _, err := e.svc.CreateResourceServer(e.ctx, &CreateResourceServerRequest{UserPoolId: up.Id, Identifier: "api", Name: "api",
		Scopes: []ResourceServerScopeType{{ScopeName: "read", ScopeDescription: "read"}}}); err != nil {
		t.Fatal(err)
	}
	own := e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: up.Id, ClientSecret: "my_own_secret_of_24_chars",
		AllowedOAuthFlowsUserPoolClient: ptr(true), AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"api/read"}})
	if own.ClientSecret != "my_own_secret_of_24_chars" {
		t.Fatalf("own secret = %q", own.ClientSecret)
	}
}

func TestCreateUserPoolClientValidation(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{Schema: []SchemaAttributeType{
		{Name: "email", AttributeDataType: "String", Required: ptr(true)},
		{Name: "team", AttributeDataType: "String"},
	}})
	const ipe = "InvalidParameterException"
	badRange := "Invalid range for token validity."
	for _, tc := range []struct {
		name     string
		in       CreateUserPoolClientRequest
		typ, msg string
	}{
		{"legacy mixed with ALLOW_", CreateUserPoolClientRequest{ExplicitAuthFlows: []string{"USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}, ipe,
			"ExplicitAuthFlows cannot combine the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH with values that begin with ALLOW_."},
		{"no refresh flow", CreateUserPoolClientRequest{ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH"}}, ipe,
			"REFRESH_TOKEN_AUTH should always be allowed."},
		{"access below 5 minutes", CreateUserPoolClientRequest{AccessTokenValidity: ptr(int64(4)), TokenValidityUnits: &TokenValidityUnitsType{AccessToken: "minutes"}}, ipe, badRange},
		{"id above a day", CreateUserPoolClientRequest{IdTokenValidity: ptr(int64(25))}, ipe, badRange},
		{"id two days", CreateUserPoolClientRequest{IdTokenValidity: ptr(int64(2)), TokenValidityUnits: &TokenValidityUnitsType{IdToken: "days"}}, ipe, badRange},
		{"refresh below an hour", CreateUserPoolClientRequest{RefreshTokenValidity: ptr(int64(59)), TokenValidityUnits: &TokenValidityUnitsType{RefreshToken: "minutes"}}, ipe, badRange},
		{"refresh above ten years", CreateUserPoolClientRequest{RefreshTokenValidity: ptr(int64(3651))}, ipe, badRange},
		{"unknown read attribute", CreateUserPoolClientRequest{ReadAttributes: []string{"email", "custom:nope"}}, ipe,
			"Invalid read attributes specified while creating a client"},
		{"email_verified written", CreateUserPoolClientRequest{WriteAttributes: []string{"email", "email_verified"}}, ipe,
			"Invalid write attributes specified while creating a client"},
		{"required attribute not written", CreateUserPoolClientRequest{WriteAttributes: []string{"name", "custom:team"}}, ipe,
			"Invalid write attributes specified while creating a client"},
		{"client credentials without secret", CreateUserPoolClientRequest{AllowedOAuthFlowsUserPoolClient: ptr(true),
			AllowedOAuthFlows: []string{"client_credentials"}, AllowedOAuthScopes: []string{"api/read"}}, "InvalidOAuthFlowException",
			"client_credentials flow can not be selected if client does not have a client secret."},
		{"oauth without flows", CreateUserPoolClientRequest{AllowedOAuthFlowsUserPoolClient: ptr(true)}, ipe,
			"AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."},
		{"generated and own secret", CreateUserPoolClientRequest{GenerateSecret: ptr(true), ClientSecret: "my_own_secret_of_24_chars"}, ipe,
			"Cannot specify both GenerateSecret as true and a ClientSecret value."},
		{"auth session validity", CreateUserPoolClientRequest{AuthSessionValidity: ptr(int64(16))}, ipe,
			"1 validation error detected: Value '16' at 'authSessionValidity' failed to satisfy constraint: Member must have value less than or equal to 15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.UserPoolId, in.ClientName = up.Id, "bad"
			_, err := e.svc.CreateUserPoolClient(e.ctx, &in)
			wantAWSError(t, err, tc.typ, tc.msg)
		})
	}

	// Edges that are accepted.
	for _, in := range []CreateUserPoolClientRequest{
		{AccessTokenValidity: ptr(int64(86400)), IdTokenValidity: ptr(int64(300)), TokenValidityUnits: &TokenValidityUnitsType{AccessToken: "seconds", IdToken: "seconds"}},
		{RefreshTokenValidity: ptr(int64(3650))},
		{RefreshTokenValidity: ptr(int64(60)), TokenValidityUnits: &TokenValidityUnitsType{RefreshToken: "minutes"}},
		{ReadAttributes: []string{"email", "email_verified", "custom:team", "sub"}, WriteAttributes: []string{"email", "custom:team"}},
		{ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH"}, RefreshTokenRotation: &RefreshTokenRotationType{Feature: "ENABLED"}},
		{ExplicitAuthFlows: []string{"ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"}},
	} {
		in.UserPoolId = up.Id
		e.createClient(t, &in)
	}

	_, err := e.svc.CreateUserPoolClient(e.ctx, &CreateUserPoolClientRequest{UserPoolId: "us-east-1_nothere00", ClientName: "x"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
}

func TestUpdateUserPoolClientResetsOmittedSettings(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	created := e.createClient(t, &CreateUserPoolClientRequest{
		UserPoolId: up.Id, ClientName: "first",
		ExplicitAuthFlows:          []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		PreventUserExistenceErrors: "ENABLED",
		AccessTokenValidity:        ptr(int64(10)), TokenValidityUnits: &TokenValidityUnitsType{AccessToken: "minutes", RefreshToken: "hours"},
		RefreshTokenValidity:  ptr(int64(48)),
		AuthSessionValidity:   ptr(int64(10)),
		EnableTokenRevocation: ptr(false),
		ReadAttributes:        []string{"email"},
	})
	c := e.loadTestClient(t, created.ClientId)
	if _, access, refresh := c.tokenValidity(); access != 10*time.Minute || refresh != 48*time.Hour {
		t.Fatalf("tokenValidity = %v %v", access, refresh)
	}
	if !c.authFlowAllowed("USER_PASSWORD_AUTH") || c.authFlowAllowed("USER_SRP_AUTH") || !c.preventUserExistenceErrors() ||
		c.authSessionValidity() != 10*time.Minute || c.canRead("name") || !c.canRead("email") {
		t.Fatalf("client not created as asked: %+v", c.spec)
	}

	e.clock.Advance(time.Minute)
	out, err := e.svc.UpdateUserPoolClient(e.ctx, &UpdateUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	got := out.UserPoolClient
	if got.ClientName != "first" || strings.Join(got.ExplicitAuthFlows, ",") != "ALLOW_USER_SRP_AUTH,ALLOW_CUSTOM_AUTH,ALLOW_REFRESH_TOKEN_AUTH" ||
		got.PreventUserExistenceErrors != "LEGACY" || got.AccessTokenValidity != nil || got.TokenValidityUnits != nil ||
		*got.RefreshTokenValidity != 30 || *got.AuthSessionValidity != 3 || !*got.EnableTokenRevocation || got.ReadAttributes != nil {
		t.Errorf("after update = %+v", got)
	}
	if !got.CreationDate.Equal(created.CreationDate.Time) || !got.LastModifiedDate.Equal(e.clock.Now()) {
		t.Errorf("dates = %v %v", got.CreationDate, got.LastModifiedDate)
	}
	if d := e.describeClient(t, up.Id, created.ClientId); d.PreventUserExistenceErrors != "LEGACY" {
		t.Errorf("stored PreventUserExistenceErrors = %s", d.PreventUserExistenceErrors)
	}

	_, err = e.svc.UpdateUserPoolClient(e.ctx, &UpdateUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId, WriteAttributes: []string{"sub"}})
	wantAWSError(t, err, "InvalidParameterException", "Invalid write attributes specified while updating a client")
	_, err = e.svc.UpdateUserPoolClient(e.ctx, &UpdateUserPoolClientRequest{UserPoolId: up.Id, ClientId: "nothere"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool client nothere does not exist.")
}

func TestListUserPoolClientsPagination(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	other := e.createPool(t, &CreateUserPoolRequest{})
	e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: other.Id})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: up.Id}).ClientId)
	}
	sort.Strings(ids)

	var got []string
	next, pages := "", 0
	for {
		out, err := e.svc.ListUserPoolClients(e.ctx, &ListUserPoolClientsRequest{UserPoolId: up.Id, MaxResults: ptr(int64(3)), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, d := range out.UserPoolClients {
			if d.UserPoolId != up.Id || d.ClientName != "app" {
				t.Errorf("description = %+v", d)
			}
			got = append(got, d.ClientId)
		}
		if next = out.NextToken; next == "" {
			break
		}
	}
	if pages != 2 || strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Fatalf("pages %d listed %v want %v", pages, got, ids)
	}

	// Without MaxResults: up to 60. A token of another pool's listing is refused.
	out, err := e.svc.ListUserPoolClients(e.ctx, &ListUserPoolClientsRequest{UserPoolId: up.Id, MaxResults: ptr(int64(1))})
	if err != nil || len(out.UserPoolClients) != 1 || out.NextToken == "" {
		t.Fatalf("first page: %+v %v", out, err)
	}
	_, err = e.svc.ListUserPoolClients(e.ctx, &ListUserPoolClientsRequest{UserPoolId: other.Id, NextToken: out.NextToken})
	wantAWSError(t, err, "InvalidParameterException", "Invalid pagination token.")
	all, err := e.svc.ListUserPoolClients(e.ctx, &ListUserPoolClientsRequest{UserPoolId: up.Id})
	if err != nil || len(all.UserPoolClients) != 5 {
		t.Fatalf("all: %+v %v", all, err)
	}
	_, err = e.svc.ListUserPoolClients(e.ctx, &ListUserPoolClientsRequest{UserPoolId: "us-east-1_nothere00"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
}

func TestDeleteUserPoolClient(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	created := e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: up.Id})
	req := &DeleteUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId}
	if _, err := e.svc.DeleteUserPoolClient(e.ctx, req); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.DescribeUserPoolClient(e.ctx, &DescribeUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool client "+created.ClientId+" does not exist.")
	_, err = e.svc.DeleteUserPoolClient(e.ctx, req)
	wantAWSError(t, err, "ResourceNotFoundException", "User pool client "+created.ClientId+" does not exist.")
}

func TestClientAuthFlowsAndAttributes(t *testing.T) {
	mk := func(spec UserPoolClientType) *client { return &client{spec: spec} }
	for _, tc := range []struct {
		flows []string
		allow string // flows allowed, the rest of the list refused
	}{
		{[]string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, "USER_PASSWORD_AUTH REFRESH_TOKEN_AUTH REFRESH_TOKEN"},
		{[]string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, "ADMIN_USER_PASSWORD_AUTH ADMIN_NO_SRP_AUTH REFRESH_TOKEN_AUTH REFRESH_TOKEN"},
		{[]string{"ALLOW_USER_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}, "USER_AUTH CUSTOM_AUTH REFRESH_TOKEN_AUTH REFRESH_TOKEN"},
		{[]string{"ADMIN_NO_SRP_AUTH"}, "ADMIN_USER_PASSWORD_AUTH ADMIN_NO_SRP_AUTH USER_SRP_AUTH CUSTOM_AUTH REFRESH_TOKEN_AUTH REFRESH_TOKEN"},
		{[]string{"USER_PASSWORD_AUTH"}, "USER_PASSWORD_AUTH USER_SRP_AUTH CUSTOM_AUTH REFRESH_TOKEN_AUTH REFRESH_TOKEN"},
		{[]string{"CUSTOM_AUTH_FLOW_ONLY"}, "CUSTOM_AUTH REFRESH_TOKEN_AUTH REFRESH_TOKEN"},
	} {
		c := mk(UserPoolClientType{ExplicitAuthFlows: tc.flows})
		allowed := map[string]bool{}
		for _, f := range strings.Fields(tc.allow) {
			allowed[f] = true
		}
		for _, flow := range []string{"USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH", "USER_SRP_AUTH",
			"CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "USER_AUTH", "BOGUS"} {
			if got := c.authFlowAllowed(flow); got != allowed[flow] {
				t.Errorf("flows %v: authFlowAllowed(%s) = %v", tc.flows, flow, got)
			}
		}
	}

	c := mk(UserPoolClientType{
		IdTokenValidity: ptr(int64(2)), AccessTokenValidity: ptr(int64(30)), RefreshTokenValidity: ptr(int64(7)),
		TokenValidityUnits: &TokenValidityUnitsType{AccessToken: "minutes"},
	})
	if id, access, refresh := c.tokenValidity(); id != 2*time.Hour || access != 30*time.Minute || refresh != 7*24*time.Hour {
		t.Errorf("tokenValidity = %v %v %v", id, access, refresh)
	}

	open := mk(UserPoolClientType{})
	for attr, want := range map[string]bool{"email": true, "custom:team": true, "sub": false, "email_verified": false,
		"phone_number_verified": false, "dev:custom:x": false} {
		if open.canWrite(attr) != want {
			t.Errorf("canWrite(%s) without a list = %v", attr, !want)
		}
		if !open.canRead(attr) {
			t.Errorf("canRead(%s) without a list = false", attr)
		}
	}
	listed := mk(UserPoolClientType{ReadAttributes: []string{"email"}, WriteAttributes: []string{"name"}})
	if !listed.canRead("email") || listed.canRead("name") || !listed.canRead("sub") || !listed.canWrite("name") || listed.canWrite("email") {
		t.Error("listed attributes not honoured")
	}
}
