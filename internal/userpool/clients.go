package userpool

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// App-client management: CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
// UpdateUserPoolClient and DeleteUserPoolClient (API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
// and the pages of the other operations), and what the rest of the package asks of a client.

func (s *Service) registerClients(api *awsapi.Service) {
	api.Register("CreateUserPoolClient", awsapi.Op(s.CreateUserPoolClient))
	api.Register("DescribeUserPoolClient", awsapi.Op(s.DescribeUserPoolClient))
	api.Register("ListUserPoolClients", awsapi.Op(s.ListUserPoolClients))
	api.Register("UpdateUserPoolClient", awsapi.Op(s.UpdateUserPoolClient))
	api.Register("DeleteUserPoolClient", awsapi.Op(s.DeleteUserPoolClient))
}

// Client IDs are 26 lowercase alphanumerics (DESIGN.md's ID contract, the length of Cognito's
// client IDs); generated secrets are 51 of them, as Cognito's are.
const (
	clientIDAlphabet   = "abcdefghijklmnopqrstuvwxyz0123456789"
	clientIDLength     = 26
	clientSecretLength = 51
)

// clientType is the client as the API shows it: its settings, identity, dates and secret.
func clientType(c *client) *UserPoolClientType {
	out := c.spec
	out.UserPoolId, out.ClientId, out.ClientName = c.rec.PoolID, c.rec.ID, c.rec.Name
	out.ClientSecret = c.secret
	out.CreationDate = awsapi.NewTime(c.rec.CreatedAt)
	out.LastModifiedDate = awsapi.NewTime(c.rec.UpdatedAt)
	return &out
}

// clientSpecFromCreate copies the settings a CreateUserPoolClient request carries.
func clientSpecFromCreate(in *CreateUserPoolClientRequest) UserPoolClientType {
	return UserPoolClientType{
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		AccessTokenValidity:                      in.AccessTokenValidity,
		IdTokenValidity:                          in.IdTokenValidity,
		TokenValidityUnits:                       in.TokenValidityUnits,
		ReadAttributes:                           in.ReadAttributes,
		WriteAttributes:                          in.WriteAttributes,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		CallbackURLs:                             in.CallbackURLs,
		LogoutURLs:                               in.LogoutURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity:                      in.AuthSessionValidity,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
	}
}

// clientSpecFromUpdate copies the settings an UpdateUserPoolClient request carries.
func clientSpecFromUpdate(in *UpdateUserPoolClientRequest) UserPoolClientType {
	return UserPoolClientType{
		RefreshTokenValidity:                     in.RefreshTokenValidity,
		AccessTokenValidity:                      in.AccessTokenValidity,
		IdTokenValidity:                          in.IdTokenValidity,
		TokenValidityUnits:                       in.TokenValidityUnits,
		ReadAttributes:                           in.ReadAttributes,
		WriteAttributes:                          in.WriteAttributes,
		ExplicitAuthFlows:                        in.ExplicitAuthFlows,
		SupportedIdentityProviders:               in.SupportedIdentityProviders,
		CallbackURLs:                             in.CallbackURLs,
		LogoutURLs:                               in.LogoutURLs,
		DefaultRedirectURI:                       in.DefaultRedirectURI,
		AllowedOAuthFlows:                        in.AllowedOAuthFlows,
		AllowedOAuthScopes:                       in.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient:          in.AllowedOAuthFlowsUserPoolClient,
		AnalyticsConfiguration:                   in.AnalyticsConfiguration,
		PreventUserExistenceErrors:               in.PreventUserExistenceErrors,
		EnableTokenRevocation:                    in.EnableTokenRevocation,
		EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData,
		AuthSessionValidity:                      in.AuthSessionValidity,
		RefreshTokenRotation:                     in.RefreshTokenRotation,
	}
}

// CreateUserPoolClient creates an app client. With GenerateSecret it gets a generated secret;
// a ClientSecret of the caller's own is kept as given. The answer shows the secret; the store
// keeps it sealed with the master key.
func (s *Service) CreateUserPoolClient(ctx context.Context, in *CreateUserPoolClientRequest) (*CreateUserPoolClientResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	generate := in.GenerateSecret != nil && *in.GenerateSecret
	if generate && in.ClientSecret != "" {
		// "You cannot specify both GenerateSecret as true and provide a ClientSecret value."
		// (API reference: CreateUserPoolClient); AWS's exact message is not confirmed.
		return nil, awsapi.InvalidParameter("Cannot specify both GenerateSecret as true and a ClientSecret value.")
	}
	spec := clientSpecFromCreate(in)
	secret := in.ClientSecret
	if err := completeClientSpec(p, &spec, clientSecretState{hasSecret: generate || secret != "", op: "creating"}); err != nil {
		return nil, providerError(err, p)
	}
	if err := s.checkOAuthScopes(ctx, p, &spec); err != nil {
		return nil, err
	}
	if generate {
		if secret, err = randomChars(s.rand, clientSecretLength, clientIDAlphabet); err != nil {
			return nil, err
		}
	}
	now := s.nowUTC()
	rec := store.Client{PoolID: p.rec.ID, Name: in.ClientName, CreatedAt: now, UpdatedAt: now}
	for attempt := 0; ; attempt++ {
		if rec.ID, err = randomChars(s.rand, clientIDLength, clientIDAlphabet); err != nil {
			return nil, err
		}
		// The secret is sealed bound to the client ID, so it is sealed again for each ID.
		if rec.Spec, err = s.encodeClient(rec.ID, spec, secret); err != nil {
			return nil, err
		}
		err = s.store.CreateClient(ctx, rec)
		if err == nil {
			break
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, errPoolNotFound(in.UserPoolId) // deleted meanwhile
		}
		if !errors.Is(err, store.ErrAlreadyExists) || attempt+1 >= idAttempts {
			return nil, err
		}
	}
	return &CreateUserPoolClientResponse{UserPoolClient: clientType(&client{rec: rec, spec: spec, secret: secret})}, nil
}

// DescribeUserPoolClient returns a client's settings, its secret included.
func (s *Service) DescribeUserPoolClient(ctx context.Context, in *DescribeUserPoolClientRequest) (*DescribeUserPoolClientResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	c, err := s.loadPoolClient(ctx, p, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &DescribeUserPoolClientResponse{UserPoolClient: clientType(c)}, nil
}

// ListUserPoolClients lists a pool's clients in the order of their IDs, MaxResults (default
// 60) at a time.
func (s *Service) ListUserPoolClients(ctx context.Context, in *ListUserPoolClientsRequest) (*ListUserPoolClientsResponse, error) {
	limit, err := listLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	after, err := listAfterKey("clients/"+in.UserPoolId, in.NextToken)
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	recs, err := s.store.ListClients(ctx, p.rec.ID, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolClientsResponse{UserPoolClients: []UserPoolClientDescription{}}
	recs, out.NextToken = pageOf(recs, limit, "clients/"+in.UserPoolId, func(c store.Client) string { return c.ID })
	for _, rec := range recs {
		out.UserPoolClients = append(out.UserPoolClients, UserPoolClientDescription{
			ClientId: rec.ID, UserPoolId: rec.PoolID, ClientName: rec.Name,
		})
	}
	return out, nil
}

// UpdateUserPoolClient replaces a client's settings: "If you don't provide a value for an
// attribute, Amazon Cognito sets it to its default value." (API reference:
// API_UpdateUserPoolClient.html). The secret stays, and so does the name when none is given.
func (s *Service) UpdateUserPoolClient(ctx context.Context, in *UpdateUserPoolClientRequest) (*UpdateUserPoolClientResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	// The scopes depend on the request alone, so they are checked before the transaction.
	if err := s.checkOAuthScopes(ctx, p, &UserPoolClientType{AllowedOAuthScopes: uniqueNames(in.AllowedOAuthScopes)}); err != nil {
		return nil, err
	}
	now := s.nowUTC()
	var updated *client
	err = s.store.UpdateClient(ctx, p.rec.ID, in.ClientId, func(old store.Client) (store.Client, error) {
		c, err := s.decodeClient(old)
		if err != nil {
			return old, err
		}
		spec := clientSpecFromUpdate(in)
		if err := completeClientSpec(p, &spec, clientSecretState{hasSecret: c.secret != "", op: "updating"}); err != nil {
			return old, providerError(err, p)
		}
		if in.ClientName != "" {
			old.Name = in.ClientName
		}
		if old.Spec, err = s.encodeClient(old.ID, spec, c.secret); err != nil {
			return old, err
		}
		old.UpdatedAt = now
		updated = &client{rec: old, spec: spec, secret: c.secret}
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errClientNotFound(in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	return &UpdateUserPoolClientResponse{UserPoolClient: clientType(updated)}, nil
}

// DeleteUserPoolClientResponse is DeleteUserPoolClient's output: AWS's model gives the
// operation none, and the answer is an empty JSON object.
type DeleteUserPoolClientResponse struct{}

// DeleteUserPoolClient deletes a client. Its refresh tokens go with it (the store cascades).
func (s *Service) DeleteUserPoolClient(ctx context.Context, in *DeleteUserPoolClientRequest) (*DeleteUserPoolClientResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteClient(ctx, p.rec.ID, in.ClientId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errClientNotFound(in.ClientId)
	}
	if err != nil {
		return nil, err
	}
	return &DeleteUserPoolClientResponse{}, nil
}

// flows are the client's ExplicitAuthFlows; a client stored without any has the defaults.
func (c *client) flows() []string {
	if len(c.spec.ExplicitAuthFlows) == 0 {
		return defaultAuthFlows()
	}
	return c.spec.ExplicitAuthFlows
}

func (c *client) hasFlow(name string) bool {
	for _, f := range c.flows() {
		if f == name {
			return true
		}
	}
	return false
}

// authFlowAllowed reports whether the client lets an InitiateAuth / AdminInitiateAuth flow
// run. ALLOW_ clients allow exactly what they list. Legacy clients (ADMIN_NO_SRP_AUTH,
// CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) predate the ALLOW_ values, when SRP, custom
// authentication and refresh were always on and the legacy values added flows to them;
// CUSTOM_AUTH_FLOW_ONLY turns SRP and password sign-in off (API reference:
// UserPoolClientType, ExplicitAuthFlows; developer guide: authentication flows).
func (c *client) authFlowAllowed(flow string) bool {
	legacy := false
	for _, f := range c.flows() {
		legacy = legacy || isLegacyFlow(f)
	}
	customOnly := c.hasFlow(flowLegacyCustomOnly)
	switch flow {
	case "USER_PASSWORD_AUTH":
		return c.hasFlow(flowAllowUserPassword) || (c.hasFlow(flowLegacyUserPassword) && !customOnly)
	case "ADMIN_USER_PASSWORD_AUTH", "ADMIN_NO_SRP_AUTH":
		return c.hasFlow(flowAllowAdminPassword) || (c.hasFlow(flowLegacyAdminNoSRP) && !customOnly)
	case "USER_SRP_AUTH":
		return c.hasFlow(flowAllowUserSRP) || (legacy && !customOnly)
	case "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN":
		// A rotating client refreshes only with GetTokensFromRefreshToken (API reference:
		// RefreshTokenRotationType), also when legacy flows would allow refresh.
		rotating, _ := c.rotates()
		return !rotating && (c.hasFlow(flowAllowRefresh) || legacy)
	case "CUSTOM_AUTH":
		return c.hasFlow(flowAllowCustom) || legacy
	case "USER_AUTH":
		return c.hasFlow(flowAllowUserAuth)
	}
	return false
}

// tokenValidity returns how long the client's ID, access and refresh tokens live: the values
// in their TokenValidityUnits (hours for ID and access tokens and days for refresh tokens when
// no unit is given), one hour for an ID or access token without a value, 30 days for a refresh
// token without one (API reference: UserPoolClientType).
func (c *client) tokenValidity() (id, access, refresh time.Duration) {
	var units TokenValidityUnitsType
	if c.spec.TokenValidityUnits != nil {
		units = *c.spec.TokenValidityUnits
	}
	id, access, refresh = time.Hour, time.Hour, defaultRefreshTokenDays*24*time.Hour
	if v := c.spec.IdTokenValidity; v != nil && *v > 0 {
		id = validityDuration(*v, validityUnit(units.IdToken, time.Hour))
	}
	if v := c.spec.AccessTokenValidity; v != nil && *v > 0 {
		access = validityDuration(*v, validityUnit(units.AccessToken, time.Hour))
	}
	if v := c.spec.RefreshTokenValidity; v != nil && *v > 0 {
		refresh = validityDuration(*v, validityUnit(units.RefreshToken, 24*time.Hour))
	}
	return id, access, refresh
}

// authSessionValidity is how long a challenge's Session lives: AuthSessionValidity minutes,
// 3 by default.
func (c *client) authSessionValidity() time.Duration {
	if v := c.spec.AuthSessionValidity; v != nil && *v > 0 {
		return time.Duration(*v) * time.Minute
	}
	return defaultAuthSessionMinutes * time.Minute
}

// preventUserExistenceErrors reports whether the client hides whether a user exists
// (PreventUserExistenceErrors ENABLED; LEGACY, the API's default, does not).
func (c *client) preventUserExistenceErrors() bool {
	return c.spec.PreventUserExistenceErrors == "ENABLED"
}

// canRead reports whether the client may read attr (ID token claims, GetUser). Without
// ReadAttributes a client reads every attribute; sub is always readable.
func (c *client) canRead(attr string) bool {
	if attr == "sub" || len(c.spec.ReadAttributes) == 0 {
		return true
	}
	for _, a := range c.spec.ReadAttributes {
		if a == attr {
			return true
		}
	}
	return false
}

// canWrite reports whether the client may write attr on a user's behalf (SignUp,
// UpdateUserAttributes, a challenge's userAttributes.*). Nobody's client writes sub, the
// *_verified flags, identities or developer-only (dev:) attributes; otherwise a client
// without WriteAttributes writes every attribute and one with a list writes what it lists.
// canWrite does not know the pool: callers still check that the attribute exists in the
// schema (pool.schemaAttribute) and, for a change to an existing user, that it is Mutable.
func (c *client) canWrite(attr string) bool {
	if unwritableAttribute(attr) {
		return false
	}
	if len(c.spec.WriteAttributes) == 0 {
		return true
	}
	for _, a := range c.spec.WriteAttributes {
		if a == attr {
			return true
		}
	}
	return false
}

// providerError completes the text of an unknown-provider refusal with the pool's ID.
func providerError(err error, p *pool) error {
	var ae *awsapi.Error
	if errors.As(err, &ae) && strings.HasPrefix(ae.Message, "The provider ") && strings.HasSuffix(ae.Message, " for User Pool") {
		return awsapi.InvalidParameter("%s %s", ae.Message, p.rec.ID)
	}
	return err
}
