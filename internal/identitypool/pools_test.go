package identitypool

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
)

func TestPoolLifecycle(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		out, err := e.client.CreateIdentityPool(e.ctx, &cognitoidentity.CreateIdentityPoolInput{
			IdentityPoolName:               aws.String("my pool"),
			AllowUnauthenticatedIdentities: true,
			AllowClassicFlow:               aws.Bool(false),
			CognitoIdentityProviders: []types.CognitoIdentityProvider{{
				ProviderName: aws.String(providerName), ClientId: aws.String(clientID), ServerSideTokenCheck: aws.Bool(true),
			}},
			IdentityPoolTags: map[string]string{"team": "a"},
		})
		if err != nil {
			t.Fatal(err)
		}
		id := *out.IdentityPoolId
		if !idPattern.MatchString(id) {
			t.Fatalf("pool id %q is not {region}:{uuid}", id)
		}
		d, err := e.client.DescribeIdentityPool(e.ctx, &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if *d.IdentityPoolName != "my pool" || !d.AllowUnauthenticatedIdentities || len(d.CognitoIdentityProviders) != 1 ||
			!*d.CognitoIdentityProviders[0].ServerSideTokenCheck || d.IdentityPoolTags["team"] != "a" {
			t.Fatalf("described %+v", d)
		}

		// UpdateIdentityPool replaces the whole configuration: the tags left out go.
		u, err := e.client.UpdateIdentityPool(e.ctx, &cognitoidentity.UpdateIdentityPoolInput{
			IdentityPoolId: aws.String(id), IdentityPoolName: aws.String("renamed"), AllowUnauthenticatedIdentities: false,
		})
		if err != nil {
			t.Fatal(err)
		}
		if *u.IdentityPoolName != "renamed" || u.AllowUnauthenticatedIdentities || len(u.IdentityPoolTags) != 0 || len(u.CognitoIdentityProviders) != 0 {
			t.Fatalf("updated %+v", u)
		}

		_, err = e.client.DeleteIdentityPool(e.ctx, &cognitoidentity.DeleteIdentityPoolInput{IdentityPoolId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.client.DescribeIdentityPool(e.ctx, &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: aws.String(id)})
		wantAPIError(t, err, "ResourceNotFoundException", "IdentityPool '"+id+"' not found.")
		_, err = e.client.DeleteIdentityPool(e.ctx, &cognitoidentity.DeleteIdentityPoolInput{IdentityPoolId: aws.String(id)})
		wantAPIError(t, err, "ResourceNotFoundException", "")
	})
}

func TestDeleteIdentityPoolDeletesIdentities(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, true)
	guest := e.getID(t, pool, nil)
	if _, err := e.client.DeleteIdentityPool(e.ctx, &cognitoidentity.DeleteIdentityPoolInput{IdentityPoolId: aws.String(pool)}); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.DescribeIdentity(e.ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: aws.String(guest)})
	wantAPIError(t, err, "ResourceNotFoundException", "Identity '"+guest+"' not found.")
}

func TestListIdentityPoolsPaging(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	want := map[string]bool{}
	for range 5 {
		want[e.createPool(t, false)] = true
	}
	got := map[string]bool{}
	var next *string
	pages := 0
	for {
		out, err := e.client.ListIdentityPools(e.ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.IdentityPools) > 2 {
			t.Fatalf("page of %d", len(out.IdentityPools))
		}
		for _, p := range out.IdentityPools {
			if got[*p.IdentityPoolId] {
				t.Fatalf("%s listed twice", *p.IdentityPoolId)
			}
			got[*p.IdentityPoolId] = true
		}
		if out.NextToken == nil {
			break
		}
		next = out.NextToken
	}
	if pages != 3 || len(got) != 5 {
		t.Fatalf("%d pages, %d pools; want 3 and 5", pages, len(got))
	}
	for _, n := range []int32{0, 61} {
		// The model's range (1–60), answered by the validator as AWS's Coral framework does.
		_, err := e.client.ListIdentityPools(e.ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(n)})
		wantAPIError(t, err, "ValidationException", "")
	}
	_, err := e.client.ListIdentityPools(e.ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(2), NextToken: aws.String("!!!")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid pagination token.")
}

func TestUnverifiableProvidersRefused(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false)
	cases := []struct {
		name string
		in   cognitoidentity.CreateIdentityPoolInput
		want string
	}{
		{"google", cognitoidentity.CreateIdentityPoolInput{SupportedLoginProviders: map[string]string{"accounts.google.com": "123.apps.googleusercontent.com"}}, "SupportedLoginProviders (accounts.google.com)"},
		{"oidc", cognitoidentity.CreateIdentityPoolInput{OpenIdConnectProviderARNs: []string{"arn:aws:iam::000000000000:oidc-provider/example.com"}}, "OpenIdConnectProviderARNs"},
		{"saml", cognitoidentity.CreateIdentityPoolInput{SamlProviderARNs: []string{"arn:aws:iam::000000000000:saml-provider/corp"}}, "SamlProviderARNs"},
		{"not a user pool", cognitoidentity.CreateIdentityPoolInput{CognitoIdentityProviders: []types.CognitoIdentityProvider{{ProviderName: aws.String("example.com/us-east-1_abc")}}}, "Invalid Cognito Identity Provider name"},
		{"region mismatch", cognitoidentity.CreateIdentityPoolInput{CognitoIdentityProviders: []types.CognitoIdentityProvider{{ProviderName: aws.String("cognito-idp.eu-west-1.amazonaws.com/us-east-1_abc")}}}, "Invalid Cognito Identity Provider name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.IdentityPoolName = aws.String("x")
			_, err := e.client.CreateIdentityPool(e.ctx, &in)
			wantAPIError(t, err, "InvalidParameterException", "")
			if !containsText(err, c.want) {
				t.Fatalf("create: %v, want it to name %q", err, c.want)
			}
			_, err = e.client.UpdateIdentityPool(e.ctx, &cognitoidentity.UpdateIdentityPoolInput{
				IdentityPoolId: aws.String(pool), IdentityPoolName: aws.String("x"),
				SupportedLoginProviders: in.SupportedLoginProviders, OpenIdConnectProviderARNs: in.OpenIdConnectProviderARNs,
				SamlProviderARNs: in.SamlProviderARNs, CognitoIdentityProviders: in.CognitoIdentityProviders,
			})
			wantAPIError(t, err, "InvalidParameterException", "")
		})
	}
	// Nothing was stored.
	out, err := e.client.ListIdentityPools(e.ctx, &cognitoidentity.ListIdentityPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(out.IdentityPools) != 1 {
		t.Fatalf("pools %+v, %v; want only the first", out, err)
	}
	d, _ := e.client.DescribeIdentityPool(e.ctx, &cognitoidentity.DescribeIdentityPoolInput{IdentityPoolId: aws.String(pool)})
	if len(d.SupportedLoginProviders) != 0 || len(d.CognitoIdentityProviders) != 1 {
		t.Fatalf("pool changed: %+v", d)
	}
}
