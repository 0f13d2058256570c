package userpool

import (
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

// checkOAuthSettings applies the OAuth rules whose AWS messages are known: a client that
// enables OAuth needs flows and scopes, and the client_credentials grant needs a secret.
func checkOAuthSettings(spec *UserPoolClientType, hasSecret bool) error {
	spec.AllowedOAuthFlows = uniqueNames(spec.AllowedOAuthFlows)
	spec.AllowedOAuthScopes = uniqueNames(spec.AllowedOAuthScopes)
	if spec.AllowedOAuthFlowsUserPoolClient != nil && *spec.AllowedOAuthFlowsUserPoolClient &&
		(len(spec.AllowedOAuthFlows) == 0 || len(spec.AllowedOAuthScopes) == 0) {
		// Quoted by CDK and Terraform users; the error type is not confirmed.
		return awsapi.InvalidParameter("AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.")
	}
	for _, f := range spec.AllowedOAuthFlows {
		if f == "client_credentials" && !hasSecret {
			return awsapi.NewError("InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")
		}
	}
	return nil
}
