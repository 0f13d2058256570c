package userpool

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// App-client settings: their defaults and the checks CreateUserPoolClient and
// UpdateUserPoolClient make beyond the service model (API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
// and API_UserPoolClientType.html).

// ExplicitAuthFlows values. The first three are the legacy ones, which cannot be combined
// with the ALLOW_ values (API reference: CreateUserPoolClient, ExplicitAuthFlows).
const (
	flowLegacyAdminNoSRP      = "ADMIN_NO_SRP_AUTH"
	flowLegacyCustomOnly      = "CUSTOM_AUTH_FLOW_ONLY"
	flowLegacyUserPassword    = "USER_PASSWORD_AUTH"
	flowAllowAdminPassword    = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	flowAllowCustom           = "ALLOW_CUSTOM_AUTH"
	flowAllowUserPassword     = "ALLOW_USER_PASSWORD_AUTH"
	flowAllowUserSRP          = "ALLOW_USER_SRP_AUTH"
	flowAllowRefresh          = "ALLOW_REFRESH_TOKEN_AUTH"
	flowAllowUserAuth         = "ALLOW_USER_AUTH"
	defaultAuthSessionMinutes = 3
	defaultRefreshTokenDays   = 30
)

// defaultAuthFlows are the flows of a client created without ExplicitAuthFlows: "If you don't
// specify a value for ExplicitAuthFlows, your app client supports ALLOW_REFRESH_TOKEN_AUTH,
// ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH." (API reference: CreateUserPoolClient).
func defaultAuthFlows() []string {
	return []string{flowAllowUserSRP, flowAllowCustom, flowAllowRefresh}
}

func isLegacyFlow(f string) bool {
	return f == flowLegacyAdminNoSRP || f == flowLegacyCustomOnly || f == flowLegacyUserPassword
}

// Token validity bounds (API reference: TokenValidityUnitsType): ID and access tokens five
// minutes to one day, refresh tokens 60 minutes to ten years (3,650 days).
const (
	minAccessValidity  = 5 * time.Minute
	maxAccessValidity  = 24 * time.Hour
	minRefreshValidity = time.Hour
	maxRefreshValidity = 3650 * 24 * time.Hour
)

// validityUnit is the length of one TimeUnitsType unit; "" is the default unit.
func validityUnit(unit string, def time.Duration) time.Duration {
	switch unit {
	case "seconds":
		return time.Second
	case "minutes":
		return time.Minute
	case "hours":
		return time.Hour
	case "days":
		return 24 * time.Hour
	}
	return def
}

// validityDuration is value units long, saturating instead of overflowing.
func validityDuration(value int64, unit time.Duration) time.Duration {
	if value <= 0 {
		return 0
	}
	if value > int64(maxRefreshValidity/unit)+1 {
		return maxRefreshValidity + unit
	}
	return time.Duration(value) * unit
}

// clientSecretState says what CreateUserPoolClient or UpdateUserPoolClient knows about the
// client's secret when the settings are checked.
type clientSecretState struct {
	hasSecret bool
	op        string // "creating" or "updating", for AWS's attribute messages
}

// completeClientSpec checks a client's settings against the pool and fills in Cognito's
// defaults for what the request left out. Both CreateUserPoolClient and UpdateUserPoolClient
// call it with a spec built from the request alone, so an omitted setting returns to its
// default on update, as AWS's API reference says it does.
func completeClientSpec(p *pool, spec *UserPoolClientType, st clientSecretState) error {
	if err := completeAuthFlows(spec); err != nil {
		return err
	}
	if err := completeTokenValidity(spec); err != nil {
		return err
	}
	if err := checkClientAttributes(p, spec, st.op); err != nil {
		return err
	}
	if err := checkOAuthSettings(spec, st.hasSecret); err != nil {
		return err
	}
	if spec.AuthSessionValidity == nil {
		spec.AuthSessionValidity = ptr(int64(defaultAuthSessionMinutes))
	} else if v := *spec.AuthSessionValidity; v < 3 || v > 15 {
		// AuthSessionValidityType: 3–15 minutes (model).
		return poolRangeError(v, "authSessionValidity", 3, 15)
	}
	if spec.PreventUserExistenceErrors == "" {
		// "Defaults to LEGACY." (API reference: CreateUserPoolClient).
		spec.PreventUserExistenceErrors = "LEGACY"
	}
	if spec.EnableTokenRevocation == nil {
		// "If you don't include this parameter, token revocation is automatically activated
		// for the new user pool client." (API reference: CreateUserPoolClient).
		spec.EnableTokenRevocation = ptr(true)
	}
	if spec.EnablePropagateAdditionalUserContextData == nil {
		spec.EnablePropagateAdditionalUserContextData = ptr(false)
	}
	if spec.RefreshTokenRotation == nil {
		// Cognito answers a client without rotation with the feature DISABLED and no grace
		// period (as the Terraform AWS provider observed when rotation launched).
		spec.RefreshTokenRotation = &RefreshTokenRotationType{Feature: "DISABLED", RetryGracePeriodSeconds: ptr(int64(0))}
	} else if spec.RefreshTokenRotation.RetryGracePeriodSeconds == nil {
		spec.RefreshTokenRotation.RetryGracePeriodSeconds = ptr(int64(0))
	}
	if spec.AllowedOAuthFlowsUserPoolClient == nil {
		// "If you don't set a value for AllowedOAuthFlowsUserPoolClient in a request with the
		// CLI or SDKs, it defaults to false."
		spec.AllowedOAuthFlowsUserPoolClient = ptr(false)
	}
	return nil
}

// completeAuthFlows applies the ExplicitAuthFlows rules.
func completeAuthFlows(spec *UserPoolClientType) error {
	rotating := spec.RefreshTokenRotation != nil && spec.RefreshTokenRotation.Feature == "ENABLED"
	flows := uniqueNames(spec.ExplicitAuthFlows)
	if len(flows) == 0 {
		spec.ExplicitAuthFlows = defaultAuthFlows()
		if rotating {
			// A rotating client cannot list ALLOW_REFRESH_TOKEN_AUTH (below), so its default
			// flows are the others. AWS's answer to this case is not confirmed; refusing it
			// would refuse what CDK synthesizes for a rotating client without authFlows.
			spec.ExplicitAuthFlows = []string{flowAllowUserSRP, flowAllowCustom}
		}
		return nil
	}
	legacy, allow, refresh := false, false, false
	for _, f := range flows {
		switch {
		case isLegacyFlow(f):
			legacy = true
		case f == flowAllowAdminPassword || f == flowAllowCustom || f == flowAllowUserPassword ||
			f == flowAllowUserSRP || f == flowAllowRefresh || f == flowAllowUserAuth:
			allow = true
			refresh = refresh || f == flowAllowRefresh
		default:
			return poolValidationError(f, "explicitAuthFlows.member", "Member must satisfy enum value set: [ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_CUSTOM_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH]")
		}
	}
	if legacy && allow {
		// The rule is the API reference's ("You can't assign these legacy ExplicitAuthFlows
		// values to user pool clients at the same time as values that begin with ALLOW_");
		// AWS's exact message is not confirmed.
		return awsapi.InvalidParameter("ExplicitAuthFlows cannot combine the legacy values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH with values that begin with ALLOW_.")
	}
	if rotating && refresh {
		// Cognito's refusal, as deployments quote it ("Refresh token rotation isn't
		// compatible with the authentication flow REFRESH_TOKEN_AUTH", developer guide).
		return awsapi.InvalidParameter("ALLOW_REFRESH_TOKEN_AUTH is not a permitted ExplicitAuthFlow when refresh token rotation is enabled.")
	}
	if allow && !refresh && !rotating {
		// Cognito's refusal of an ALLOW_ list without ALLOW_REFRESH_TOKEN_AUTH, as
		// CloudFormation reported it (aws/aws-cdk#7625). A rotating client renews its
		// sessions with GetTokensFromRefreshToken instead.
		return awsapi.InvalidParameter("REFRESH_TOKEN_AUTH should always be allowed.")
	}
	spec.ExplicitAuthFlows = flows
	return nil
}

// completeTokenValidity checks the token validities in their units and fills the refresh
// token default: 30 days, also when 0 is given ("You can't set RefreshTokenValidity to 0. If
// you do, Amazon Cognito overrides the value with the default value of 30 days."). An omitted
// ID or access validity stays omitted and means one hour. The message for a validity out of
// range is the one CloudFormation and Terraform users quote: "Invalid range for token
// validity."
func completeTokenValidity(spec *UserPoolClientType) error {
	var units TokenValidityUnitsType
	if spec.TokenValidityUnits != nil {
		units = *spec.TokenValidityUnits
	}
	bad := awsapi.InvalidParameter("Invalid range for token validity.")
	for _, v := range []struct {
		value *int64
		unit  string
	}{{spec.IdTokenValidity, units.IdToken}, {spec.AccessTokenValidity, units.AccessToken}} {
		if v.value == nil {
			continue
		}
		d := validityDuration(*v.value, validityUnit(v.unit, time.Hour))
		if d < minAccessValidity || d > maxAccessValidity {
			return bad
		}
	}
	refreshUnit := validityUnit(units.RefreshToken, 24*time.Hour)
	if spec.RefreshTokenValidity == nil || *spec.RefreshTokenValidity == 0 {
		// 30 days, written in the client's refresh unit.
		spec.RefreshTokenValidity = ptr(int64(defaultRefreshTokenDays * 24 * time.Hour / refreshUnit))
		return nil
	}
	d := validityDuration(*spec.RefreshTokenValidity, refreshUnit)
	if d < minRefreshValidity || d > maxRefreshValidity {
		return bad
	}
	return nil
}

// unwritableAttributes are attributes no app client may list in WriteAttributes: the user's
// immutable sub, the verification flags Cognito sets itself (a client that lists
// email_verified is refused, as public deployment reports show), and the federation
// identities. Unconfirmed for identities.
func unwritableAttribute(name string) bool {
	switch name {
	case "sub", "email_verified", "phone_number_verified", "identities":
		return true
	}
	return len(name) > 4 && name[:4] == "dev:"
}

// checkClientAttributes checks ReadAttributes and WriteAttributes against the pool's schema
// (standard or custom attributes). A write list must also name every attribute the pool
// requires ("all app clients can write user pool required attributes"); Cognito refuses a
// list that leaves one out. Messages: "Invalid read attributes specified while creating a
// client" / "Invalid write attributes specified while updating a client", as quoted from AWS
// in public deployment reports.
func checkClientAttributes(p *pool, spec *UserPoolClientType, op string) error {
	spec.ReadAttributes = uniqueNames(spec.ReadAttributes)
	spec.WriteAttributes = uniqueNames(spec.WriteAttributes)
	for _, name := range spec.ReadAttributes {
		if _, ok := p.schemaAttribute(name); !ok {
			return awsapi.InvalidParameter("Invalid read attributes specified while %s a client", op)
		}
	}
	if len(spec.WriteAttributes) == 0 {
		return nil
	}
	badWrite := awsapi.InvalidParameter("Invalid write attributes specified while %s a client", op)
	for _, name := range spec.WriteAttributes {
		if _, ok := p.schemaAttribute(name); !ok || unwritableAttribute(name) {
			return badWrite
		}
	}
	for _, a := range p.attributeSchema() {
		if a.Required == nil || !*a.Required || a.Name == "sub" {
			continue
		}
		listed := false
		for _, w := range spec.WriteAttributes {
			listed = listed || w == a.Name
		}
		if !listed {
			return badWrite
		}
	}
	return nil
}

// checkOAuthSettings applies the OAuth rules that need only the client's own settings
// (API reference: CreateUserPoolClient, AllowedOAuthFlows, AllowedOAuthScopes, CallbackURLs,
// DefaultRedirectURI, SupportedIdentityProviders). The scopes are checked against the pool's
// resource servers by checkOAuthScopes.
func checkOAuthSettings(spec *UserPoolClientType, hasSecret bool) error {
	spec.AllowedOAuthFlows = uniqueNames(spec.AllowedOAuthFlows)
	spec.AllowedOAuthScopes = uniqueNames(spec.AllowedOAuthScopes)
	spec.SupportedIdentityProviders = uniqueNames(spec.SupportedIdentityProviders)
	if spec.AllowedOAuthFlowsUserPoolClient != nil && *spec.AllowedOAuthFlowsUserPoolClient &&
		(len(spec.AllowedOAuthFlows) == 0 || len(spec.AllowedOAuthScopes) == 0) {
		// Quoted by CDK and Terraform users; the error type is not confirmed.
		return awsapi.InvalidParameter("AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.")
	}
	browser := false
	for _, f := range spec.AllowedOAuthFlows {
		if f == "client_credentials" && !hasSecret {
			return awsapi.NewError("InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")
		}
		browser = browser || f == "code" || f == "implicit"
	}
	if browser && slices.Contains(spec.AllowedOAuthFlows, "client_credentials") {
		// "client_credentials ... can't be combined with the other flows" (developer guide:
		// app client settings); AWS's exact text is not confirmed.
		return awsapi.NewError("InvalidOAuthFlowException", "client_credentials flow can not be selected along with code flow or implicit flow.")
	}
	if browser && len(spec.CallbackURLs) == 0 {
		// Cognito's text, as Terraform reported it (cisagov/crossfeed#440).
		return awsapi.NewError("InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected")
	}
	for _, list := range [][]string{spec.CallbackURLs, spec.LogoutURLs} {
		for _, u := range list {
			if err := checkRedirectURL(u); err != nil {
				return err
			}
		}
	}
	if spec.DefaultRedirectURI != "" {
		if err := checkRedirectURL(spec.DefaultRedirectURI); err != nil {
			return err
		}
		if !slices.Contains(spec.CallbackURLs, spec.DefaultRedirectURI) {
			// "The default redirect URI. In app clients with one assigned IdP, replaces
			// redirect_uri in authentication requests. Must be in the CallbackURLs list."
			// (API reference); AWS's exact text is not confirmed.
			return awsapi.InvalidParameter("DefaultRedirectURI must be one of the CallbackURLs.")
		}
	}
	for _, idp := range spec.SupportedIdentityProviders {
		if idp != "COGNITO" {
			// Federation is not part of Gatehouse; the text is Cognito's for a provider the
			// pool does not have, as Terraform users quote it ("The provider X does not
			// exist for User Pool {id}"); the pool ID is filled in by the caller's message.
			return awsapi.InvalidParameter("The provider %s does not exist for User Pool", idp)
		}
	}
	return nil
}

// checkRedirectURL checks a callback or sign-out URL as Cognito does (API reference:
// CreateUserPoolClient, CallbackURLs): absolute, no fragment, and HTTPS except for
// http://localhost (and the loopback addresses), which Cognito allows for testing. The
// refusal of plain HTTP is Cognito's text (aws-amplify/amplify-cli#5419); the others' texts
// are not confirmed.
func checkRedirectURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return awsapi.InvalidParameter("%s is not a valid URL.", raw)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return awsapi.InvalidParameter("%s cannot contain a fragment.", raw)
	}
	if u.Scheme == "http" {
		if u.Host == "" || !isLoopbackName(u.Hostname()) {
			return awsapi.InvalidParameter("%s cannot use the HTTP protocol.", raw)
		}
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" {
		return awsapi.InvalidParameter("%s is not a valid URL.", raw)
	}
	return nil
}

func isLoopbackName(h string) bool {
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}

// checkOAuthScopes refuses a scope that is neither standard nor a scope of one of the pool's
// resource servers with Cognito's ScopeDoesNotExistException: "Invalid scope requested: X"
// (as CloudFormation reported it, awsdocs/aws-cloudformation-user-guide#564).
func (s *Service) checkOAuthScopes(ctx context.Context, p *pool, spec *UserPoolClientType) error {
	for _, sc := range spec.AllowedOAuthScopes {
		ok, err := s.scopeExists(ctx, p.rec.ID, sc)
		if err != nil {
			return err
		}
		if !ok {
			return awsapi.NewError("ScopeDoesNotExistException", "Invalid scope requested: %s", sc)
		}
	}
	return nil
}
