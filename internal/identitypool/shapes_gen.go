// Code generated from AWS's service model (cognito-identity 2014-06-30, botocore) by gentypes; DO NOT EDIT.

package identitypool

import "github.com/gatehouse/gatehouse/internal/awsapi"

var _ awsapi.Time

// CognitoIdentityProvider is AWS's CognitoIdentityProvider shape.
type CognitoIdentityProvider struct {
	ProviderName         string `json:"ProviderName,omitempty"`
	ClientId             string `json:"ClientId,omitempty"`
	ServerSideTokenCheck *bool  `json:"ServerSideTokenCheck,omitempty"`
}

// CreateIdentityPoolInput is AWS's CreateIdentityPoolInput shape.
type CreateIdentityPoolInput struct {
	IdentityPoolName               string                    `json:"IdentityPoolName,omitempty"`
	AllowUnauthenticatedIdentities *bool                     `json:"AllowUnauthenticatedIdentities,omitempty"`
	AllowClassicFlow               *bool                     `json:"AllowClassicFlow,omitempty"`
	SupportedLoginProviders        map[string]string         `json:"SupportedLoginProviders,omitempty"`
	DeveloperProviderName          string                    `json:"DeveloperProviderName,omitempty"`
	OpenIdConnectProviderARNs      []string                  `json:"OpenIdConnectProviderARNs,omitempty"`
	CognitoIdentityProviders       []CognitoIdentityProvider `json:"CognitoIdentityProviders,omitempty"`
	SamlProviderARNs               []string                  `json:"SamlProviderARNs,omitempty"`
	IdentityPoolTags               map[string]string         `json:"IdentityPoolTags,omitempty"`
}

// Credentials is AWS's Credentials shape.
type Credentials struct {
	AccessKeyId  string       `json:"AccessKeyId,omitempty"`
	SecretKey    string       `json:"SecretKey,omitempty"`
	SessionToken string       `json:"SessionToken,omitempty"`
	Expiration   *awsapi.Time `json:"Expiration,omitempty"`
}

// DeleteIdentitiesInput is AWS's DeleteIdentitiesInput shape.
type DeleteIdentitiesInput struct {
	IdentityIdsToDelete []string `json:"IdentityIdsToDelete,omitempty"`
}

// DeleteIdentitiesResponse is AWS's DeleteIdentitiesResponse shape.
type DeleteIdentitiesResponse struct {
	UnprocessedIdentityIds []UnprocessedIdentityId `json:"UnprocessedIdentityIds,omitempty"`
}

// DeleteIdentityPoolInput is AWS's DeleteIdentityPoolInput shape.
type DeleteIdentityPoolInput struct {
	IdentityPoolId string `json:"IdentityPoolId,omitempty"`
}

// DescribeIdentityInput is AWS's DescribeIdentityInput shape.
type DescribeIdentityInput struct {
	IdentityId string `json:"IdentityId,omitempty"`
}

// DescribeIdentityPoolInput is AWS's DescribeIdentityPoolInput shape.
type DescribeIdentityPoolInput struct {
	IdentityPoolId string `json:"IdentityPoolId,omitempty"`
}

// GetCredentialsForIdentityInput is AWS's GetCredentialsForIdentityInput shape.
type GetCredentialsForIdentityInput struct {
	IdentityId    string            `json:"IdentityId,omitempty"`
	Logins        map[string]string `json:"Logins,omitempty"`
	CustomRoleArn string            `json:"CustomRoleArn,omitempty"`
}

// GetCredentialsForIdentityResponse is AWS's GetCredentialsForIdentityResponse shape.
type GetCredentialsForIdentityResponse struct {
	IdentityId  string       `json:"IdentityId,omitempty"`
	Credentials *Credentials `json:"Credentials,omitempty"`
}

// GetIdInput is AWS's GetIdInput shape.
type GetIdInput struct {
	AccountId      string            `json:"AccountId,omitempty"`
	IdentityPoolId string            `json:"IdentityPoolId,omitempty"`
	Logins         map[string]string `json:"Logins,omitempty"`
}

// GetIdResponse is AWS's GetIdResponse shape.
type GetIdResponse struct {
	IdentityId string `json:"IdentityId,omitempty"`
}

// GetIdentityPoolRolesInput is AWS's GetIdentityPoolRolesInput shape.
type GetIdentityPoolRolesInput struct {
	IdentityPoolId string `json:"IdentityPoolId,omitempty"`
}

// GetIdentityPoolRolesResponse is AWS's GetIdentityPoolRolesResponse shape.
type GetIdentityPoolRolesResponse struct {
	IdentityPoolId string                  `json:"IdentityPoolId,omitempty"`
	Roles          map[string]string       `json:"Roles,omitempty"`
	RoleMappings   map[string]*RoleMapping `json:"RoleMappings,omitempty"`
}

// GetOpenIdTokenInput is AWS's GetOpenIdTokenInput shape.
type GetOpenIdTokenInput struct {
	IdentityId string            `json:"IdentityId,omitempty"`
	Logins     map[string]string `json:"Logins,omitempty"`
}

// GetOpenIdTokenResponse is AWS's GetOpenIdTokenResponse shape.
type GetOpenIdTokenResponse struct {
	IdentityId string `json:"IdentityId,omitempty"`
	Token      string `json:"Token,omitempty"`
}

// IdentityDescription is AWS's IdentityDescription shape.
type IdentityDescription struct {
	IdentityId       string       `json:"IdentityId,omitempty"`
	Logins           []string     `json:"Logins,omitempty"`
	CreationDate     *awsapi.Time `json:"CreationDate,omitempty"`
	LastModifiedDate *awsapi.Time `json:"LastModifiedDate,omitempty"`
}

// IdentityPool is AWS's IdentityPool shape.
type IdentityPool struct {
	IdentityPoolId                 string                    `json:"IdentityPoolId,omitempty"`
	IdentityPoolName               string                    `json:"IdentityPoolName,omitempty"`
	AllowUnauthenticatedIdentities *bool                     `json:"AllowUnauthenticatedIdentities,omitempty"`
	AllowClassicFlow               *bool                     `json:"AllowClassicFlow,omitempty"`
	SupportedLoginProviders        map[string]string         `json:"SupportedLoginProviders,omitempty"`
	DeveloperProviderName          string                    `json:"DeveloperProviderName,omitempty"`
	OpenIdConnectProviderARNs      []string                  `json:"OpenIdConnectProviderARNs,omitempty"`
	CognitoIdentityProviders       []CognitoIdentityProvider `json:"CognitoIdentityProviders,omitempty"`
	SamlProviderARNs               []string                  `json:"SamlProviderARNs,omitempty"`
	IdentityPoolTags               map[string]string         `json:"IdentityPoolTags,omitempty"`
}

// IdentityPoolShortDescription is AWS's IdentityPoolShortDescription shape.
type IdentityPoolShortDescription struct {
	IdentityPoolId   string `json:"IdentityPoolId,omitempty"`
	IdentityPoolName string `json:"IdentityPoolName,omitempty"`
}

// ListIdentitiesInput is AWS's ListIdentitiesInput shape.
type ListIdentitiesInput struct {
	IdentityPoolId string `json:"IdentityPoolId,omitempty"`
	MaxResults     *int64 `json:"MaxResults,omitempty"`
	NextToken      string `json:"NextToken,omitempty"`
	HideDisabled   *bool  `json:"HideDisabled,omitempty"`
}

// ListIdentitiesResponse is AWS's ListIdentitiesResponse shape.
type ListIdentitiesResponse struct {
	IdentityPoolId string                `json:"IdentityPoolId,omitempty"`
	Identities     []IdentityDescription `json:"Identities,omitempty"`
	NextToken      string                `json:"NextToken,omitempty"`
}

// ListIdentityPoolsInput is AWS's ListIdentityPoolsInput shape.
type ListIdentityPoolsInput struct {
	MaxResults *int64 `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListIdentityPoolsResponse is AWS's ListIdentityPoolsResponse shape.
type ListIdentityPoolsResponse struct {
	IdentityPools []IdentityPoolShortDescription `json:"IdentityPools,omitempty"`
	NextToken     string                         `json:"NextToken,omitempty"`
}

// MappingRule is AWS's MappingRule shape.
type MappingRule struct {
	Claim     string `json:"Claim,omitempty"`
	MatchType string `json:"MatchType,omitempty"`
	Value     string `json:"Value,omitempty"`
	RoleARN   string `json:"RoleARN,omitempty"`
}

// RoleMapping is AWS's RoleMapping shape.
type RoleMapping struct {
	Type                    string                  `json:"Type,omitempty"`
	AmbiguousRoleResolution string                  `json:"AmbiguousRoleResolution,omitempty"`
	RulesConfiguration      *RulesConfigurationType `json:"RulesConfiguration,omitempty"`
}

// RulesConfigurationType is AWS's RulesConfigurationType shape.
type RulesConfigurationType struct {
	Rules []MappingRule `json:"Rules,omitempty"`
}

// SetIdentityPoolRolesInput is AWS's SetIdentityPoolRolesInput shape.
type SetIdentityPoolRolesInput struct {
	IdentityPoolId string                  `json:"IdentityPoolId,omitempty"`
	Roles          map[string]string       `json:"Roles,omitempty"`
	RoleMappings   map[string]*RoleMapping `json:"RoleMappings,omitempty"`
}

// UnprocessedIdentityId is AWS's UnprocessedIdentityId shape.
type UnprocessedIdentityId struct {
	IdentityId string `json:"IdentityId,omitempty"`
	ErrorCode  string `json:"ErrorCode,omitempty"`
}
