// Code generated from AWS's service model (cognito-idp 2016-04-18, botocore) by gentypes; DO NOT EDIT.

package userpool

import "github.com/gatehouse/gatehouse/internal/awsapi"

var _ awsapi.Time

// AccountRecoverySettingType is AWS's AccountRecoverySettingType shape.
type AccountRecoverySettingType struct {
	RecoveryMechanisms []RecoveryOptionType `json:"RecoveryMechanisms,omitempty"`
}

// AddCustomAttributesRequest is AWS's AddCustomAttributesRequest shape.
type AddCustomAttributesRequest struct {
	UserPoolId       string                `json:"UserPoolId,omitempty"`
	CustomAttributes []SchemaAttributeType `json:"CustomAttributes,omitempty"`
}

// AddCustomAttributesResponse is AWS's AddCustomAttributesResponse shape.
type AddCustomAttributesResponse struct {
}

// AdminAddUserToGroupRequest is AWS's AdminAddUserToGroupRequest shape.
type AdminAddUserToGroupRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
	GroupName  string `json:"GroupName,omitempty"`
}

// AdminConfirmSignUpRequest is AWS's AdminConfirmSignUpRequest shape.
type AdminConfirmSignUpRequest struct {
	UserPoolId     string            `json:"UserPoolId,omitempty"`
	Username       string            `json:"Username,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminConfirmSignUpResponse is AWS's AdminConfirmSignUpResponse shape.
type AdminConfirmSignUpResponse struct {
}

// AdminCreateUserConfigType is AWS's AdminCreateUserConfigType shape.
type AdminCreateUserConfigType struct {
	AllowAdminCreateUserOnly  *bool                `json:"AllowAdminCreateUserOnly,omitempty"`
	UnusedAccountValidityDays *int64               `json:"UnusedAccountValidityDays,omitempty"`
	InviteMessageTemplate     *MessageTemplateType `json:"InviteMessageTemplate,omitempty"`
}

// AdminCreateUserRequest is AWS's AdminCreateUserRequest shape.
type AdminCreateUserRequest struct {
	UserPoolId             string            `json:"UserPoolId,omitempty"`
	Username               string            `json:"Username,omitempty"`
	UserAttributes         []AttributeType   `json:"UserAttributes,omitempty"`
	ValidationData         []AttributeType   `json:"ValidationData,omitempty"`
	TemporaryPassword      string            `json:"TemporaryPassword,omitempty"`
	ForceAliasCreation     *bool             `json:"ForceAliasCreation,omitempty"`
	MessageAction          string            `json:"MessageAction,omitempty"`
	DesiredDeliveryMediums []string          `json:"DesiredDeliveryMediums,omitempty"`
	ClientMetadata         map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminCreateUserResponse is AWS's AdminCreateUserResponse shape.
type AdminCreateUserResponse struct {
	User *UserType `json:"User,omitempty"`
}

// AdminDeleteUserAttributesRequest is AWS's AdminDeleteUserAttributesRequest shape.
type AdminDeleteUserAttributesRequest struct {
	UserPoolId         string   `json:"UserPoolId,omitempty"`
	Username           string   `json:"Username,omitempty"`
	UserAttributeNames []string `json:"UserAttributeNames,omitempty"`
}

// AdminDeleteUserAttributesResponse is AWS's AdminDeleteUserAttributesResponse shape.
type AdminDeleteUserAttributesResponse struct {
}

// AdminDeleteUserRequest is AWS's AdminDeleteUserRequest shape.
type AdminDeleteUserRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
}

// AdminDisableUserRequest is AWS's AdminDisableUserRequest shape.
type AdminDisableUserRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
}

// AdminDisableUserResponse is AWS's AdminDisableUserResponse shape.
type AdminDisableUserResponse struct {
}

// AdminEnableUserRequest is AWS's AdminEnableUserRequest shape.
type AdminEnableUserRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
}

// AdminEnableUserResponse is AWS's AdminEnableUserResponse shape.
type AdminEnableUserResponse struct {
}

// AdminGetUserRequest is AWS's AdminGetUserRequest shape.
type AdminGetUserRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
}

// AdminGetUserResponse is AWS's AdminGetUserResponse shape.
type AdminGetUserResponse struct {
	Username             string          `json:"Username,omitempty"`
	UserAttributes       []AttributeType `json:"UserAttributes,omitempty"`
	UserCreateDate       *awsapi.Time    `json:"UserCreateDate,omitempty"`
	UserLastModifiedDate *awsapi.Time    `json:"UserLastModifiedDate,omitempty"`
	Enabled              *bool           `json:"Enabled,omitempty"`
	UserStatus           string          `json:"UserStatus,omitempty"`
	MFAOptions           []MFAOptionType `json:"MFAOptions,omitempty"`
	PreferredMfaSetting  string          `json:"PreferredMfaSetting,omitempty"`
	UserMFASettingList   []string        `json:"UserMFASettingList,omitempty"`
}

// AdminInitiateAuthRequest is AWS's AdminInitiateAuthRequest shape.
type AdminInitiateAuthRequest struct {
	UserPoolId        string                 `json:"UserPoolId,omitempty"`
	ClientId          string                 `json:"ClientId,omitempty"`
	AuthFlow          string                 `json:"AuthFlow,omitempty"`
	AuthParameters    map[string]string      `json:"AuthParameters,omitempty"`
	ClientMetadata    map[string]string      `json:"ClientMetadata,omitempty"`
	AnalyticsMetadata *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	ContextData       *ContextDataType       `json:"ContextData,omitempty"`
	Session           string                 `json:"Session,omitempty"`
}

// AdminInitiateAuthResponse is AWS's AdminInitiateAuthResponse shape.
type AdminInitiateAuthResponse struct {
	ChallengeName        string                    `json:"ChallengeName,omitempty"`
	Session              string                    `json:"Session,omitempty"`
	ChallengeParameters  map[string]string         `json:"ChallengeParameters,omitempty"`
	AuthenticationResult *AuthenticationResultType `json:"AuthenticationResult,omitempty"`
	AvailableChallenges  []string                  `json:"AvailableChallenges,omitempty"`
}

// AdminListGroupsForUserRequest is AWS's AdminListGroupsForUserRequest shape.
type AdminListGroupsForUserRequest struct {
	Username   string `json:"Username,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
	Limit      *int64 `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// AdminListGroupsForUserResponse is AWS's AdminListGroupsForUserResponse shape.
type AdminListGroupsForUserResponse struct {
	Groups    []GroupType `json:"Groups,omitempty"`
	NextToken string      `json:"NextToken,omitempty"`
}

// AdminRemoveUserFromGroupRequest is AWS's AdminRemoveUserFromGroupRequest shape.
type AdminRemoveUserFromGroupRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
	GroupName  string `json:"GroupName,omitempty"`
}

// AdminResetUserPasswordRequest is AWS's AdminResetUserPasswordRequest shape.
type AdminResetUserPasswordRequest struct {
	UserPoolId     string            `json:"UserPoolId,omitempty"`
	Username       string            `json:"Username,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminResetUserPasswordResponse is AWS's AdminResetUserPasswordResponse shape.
type AdminResetUserPasswordResponse struct {
}

// AdminRespondToAuthChallengeRequest is AWS's AdminRespondToAuthChallengeRequest shape.
type AdminRespondToAuthChallengeRequest struct {
	UserPoolId         string                 `json:"UserPoolId,omitempty"`
	ClientId           string                 `json:"ClientId,omitempty"`
	ChallengeName      string                 `json:"ChallengeName,omitempty"`
	ChallengeResponses map[string]string      `json:"ChallengeResponses,omitempty"`
	Session            string                 `json:"Session,omitempty"`
	AnalyticsMetadata  *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	ContextData        *ContextDataType       `json:"ContextData,omitempty"`
	ClientMetadata     map[string]string      `json:"ClientMetadata,omitempty"`
}

// AdminRespondToAuthChallengeResponse is AWS's AdminRespondToAuthChallengeResponse shape.
type AdminRespondToAuthChallengeResponse struct {
	ChallengeName        string                    `json:"ChallengeName,omitempty"`
	Session              string                    `json:"Session,omitempty"`
	ChallengeParameters  map[string]string         `json:"ChallengeParameters,omitempty"`
	AuthenticationResult *AuthenticationResultType `json:"AuthenticationResult,omitempty"`
}

// AdminSetUserPasswordRequest is AWS's AdminSetUserPasswordRequest shape.
type AdminSetUserPasswordRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
	Password   string `json:"Password,omitempty"`
	Permanent  *bool  `json:"Permanent,omitempty"`
}

// AdminSetUserPasswordResponse is AWS's AdminSetUserPasswordResponse shape.
type AdminSetUserPasswordResponse struct {
}

// AdminUpdateUserAttributesRequest is AWS's AdminUpdateUserAttributesRequest shape.
type AdminUpdateUserAttributesRequest struct {
	UserPoolId     string            `json:"UserPoolId,omitempty"`
	Username       string            `json:"Username,omitempty"`
	UserAttributes []AttributeType   `json:"UserAttributes,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// AdminUpdateUserAttributesResponse is AWS's AdminUpdateUserAttributesResponse shape.
type AdminUpdateUserAttributesResponse struct {
}

// AdminUserGlobalSignOutRequest is AWS's AdminUserGlobalSignOutRequest shape.
type AdminUserGlobalSignOutRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Username   string `json:"Username,omitempty"`
}

// AdminUserGlobalSignOutResponse is AWS's AdminUserGlobalSignOutResponse shape.
type AdminUserGlobalSignOutResponse struct {
}

// AdvancedSecurityAdditionalFlowsType is AWS's AdvancedSecurityAdditionalFlowsType shape.
type AdvancedSecurityAdditionalFlowsType struct {
	CustomAuthMode string `json:"CustomAuthMode,omitempty"`
}

// AnalyticsConfigurationType is AWS's AnalyticsConfigurationType shape.
type AnalyticsConfigurationType struct {
	ApplicationId  string `json:"ApplicationId,omitempty"`
	ApplicationArn string `json:"ApplicationArn,omitempty"`
	RoleArn        string `json:"RoleArn,omitempty"`
	ExternalId     string `json:"ExternalId,omitempty"`
	UserDataShared *bool  `json:"UserDataShared,omitempty"`
}

// AnalyticsMetadataType is AWS's AnalyticsMetadataType shape.
type AnalyticsMetadataType struct {
	AnalyticsEndpointId string `json:"AnalyticsEndpointId,omitempty"`
}

// AttributeType is AWS's AttributeType shape.
type AttributeType struct {
	Name  string `json:"Name,omitempty"`
	Value string `json:"Value,omitempty"`
}

// AuthenticationResultType is AWS's AuthenticationResultType shape.
type AuthenticationResultType struct {
	AccessToken       string                 `json:"AccessToken,omitempty"`
	ExpiresIn         *int64                 `json:"ExpiresIn,omitempty"`
	TokenType         string                 `json:"TokenType,omitempty"`
	RefreshToken      string                 `json:"RefreshToken,omitempty"`
	IdToken           string                 `json:"IdToken,omitempty"`
	NewDeviceMetadata *NewDeviceMetadataType `json:"NewDeviceMetadata,omitempty"`
}

// ChangePasswordRequest is AWS's ChangePasswordRequest shape.
type ChangePasswordRequest struct {
	PreviousPassword string `json:"PreviousPassword,omitempty"`
	ProposedPassword string `json:"ProposedPassword,omitempty"`
	AccessToken      string `json:"AccessToken,omitempty"`
}

// ChangePasswordResponse is AWS's ChangePasswordResponse shape.
type ChangePasswordResponse struct {
}

// CodeDeliveryDetailsType is AWS's CodeDeliveryDetailsType shape.
type CodeDeliveryDetailsType struct {
	Destination    string `json:"Destination,omitempty"`
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

// ConfirmForgotPasswordRequest is AWS's ConfirmForgotPasswordRequest shape.
type ConfirmForgotPasswordRequest struct {
	ClientId          string                 `json:"ClientId,omitempty"`
	SecretHash        string                 `json:"SecretHash,omitempty"`
	Username          string                 `json:"Username,omitempty"`
	ConfirmationCode  string                 `json:"ConfirmationCode,omitempty"`
	Password          string                 `json:"Password,omitempty"`
	AnalyticsMetadata *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	UserContextData   *UserContextDataType   `json:"UserContextData,omitempty"`
	ClientMetadata    map[string]string      `json:"ClientMetadata,omitempty"`
}

// ConfirmForgotPasswordResponse is AWS's ConfirmForgotPasswordResponse shape.
type ConfirmForgotPasswordResponse struct {
}

// ConfirmSignUpRequest is AWS's ConfirmSignUpRequest shape.
type ConfirmSignUpRequest struct {
	ClientId           string                 `json:"ClientId,omitempty"`
	SecretHash         string                 `json:"SecretHash,omitempty"`
	Username           string                 `json:"Username,omitempty"`
	ConfirmationCode   string                 `json:"ConfirmationCode,omitempty"`
	ForceAliasCreation *bool                  `json:"ForceAliasCreation,omitempty"`
	AnalyticsMetadata  *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	UserContextData    *UserContextDataType   `json:"UserContextData,omitempty"`
	ClientMetadata     map[string]string      `json:"ClientMetadata,omitempty"`
	Session            string                 `json:"Session,omitempty"`
}

// ConfirmSignUpResponse is AWS's ConfirmSignUpResponse shape.
type ConfirmSignUpResponse struct {
	Session string `json:"Session,omitempty"`
}

// ContextDataType is AWS's ContextDataType shape.
type ContextDataType struct {
	IpAddress   string       `json:"IpAddress,omitempty"`
	ServerName  string       `json:"ServerName,omitempty"`
	ServerPath  string       `json:"ServerPath,omitempty"`
	HttpHeaders []HttpHeader `json:"HttpHeaders,omitempty"`
	EncodedData string       `json:"EncodedData,omitempty"`
}

// CreateGroupRequest is AWS's CreateGroupRequest shape.
type CreateGroupRequest struct {
	GroupName   string `json:"GroupName,omitempty"`
	UserPoolId  string `json:"UserPoolId,omitempty"`
	Description string `json:"Description,omitempty"`
	RoleArn     string `json:"RoleArn,omitempty"`
	Precedence  *int64 `json:"Precedence,omitempty"`
}

// CreateGroupResponse is AWS's CreateGroupResponse shape.
type CreateGroupResponse struct {
	Group *GroupType `json:"Group,omitempty"`
}

// CreateResourceServerRequest is AWS's CreateResourceServerRequest shape.
type CreateResourceServerRequest struct {
	UserPoolId string                    `json:"UserPoolId,omitempty"`
	Identifier string                    `json:"Identifier,omitempty"`
	Name       string                    `json:"Name,omitempty"`
	Scopes     []ResourceServerScopeType `json:"Scopes,omitempty"`
}

// CreateResourceServerResponse is AWS's CreateResourceServerResponse shape.
type CreateResourceServerResponse struct {
	ResourceServer *ResourceServerType `json:"ResourceServer,omitempty"`
}

// CreateUserPoolClientRequest is AWS's CreateUserPoolClientRequest shape.
type CreateUserPoolClientRequest struct {
	UserPoolId                               string                      `json:"UserPoolId,omitempty"`
	ClientName                               string                      `json:"ClientName,omitempty"`
	GenerateSecret                           *bool                       `json:"GenerateSecret,omitempty"`
	ClientSecret                             string                      `json:"ClientSecret,omitempty"`
	RefreshTokenValidity                     *int64                      `json:"RefreshTokenValidity,omitempty"`
	AccessTokenValidity                      *int64                      `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int64                      `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnitsType     `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string                    `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string                    `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string                    `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string                    `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string                    `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string                    `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                      `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string                    `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string                    `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          *bool                       `json:"AllowedOAuthFlowsUserPoolClient,omitempty"`
	AnalyticsConfiguration                   *AnalyticsConfigurationType `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                      `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    *bool                       `json:"EnableTokenRevocation,omitempty"`
	EnablePropagateAdditionalUserContextData *bool                       `json:"EnablePropagateAdditionalUserContextData,omitempty"`
	AuthSessionValidity                      *int64                      `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotationType   `json:"RefreshTokenRotation,omitempty"`
}

// CreateUserPoolClientResponse is AWS's CreateUserPoolClientResponse shape.
type CreateUserPoolClientResponse struct {
	UserPoolClient *UserPoolClientType `json:"UserPoolClient,omitempty"`
}

// CreateUserPoolDomainRequest is AWS's CreateUserPoolDomainRequest shape.
type CreateUserPoolDomainRequest struct {
	Domain              string                  `json:"Domain,omitempty"`
	UserPoolId          string                  `json:"UserPoolId,omitempty"`
	ManagedLoginVersion *int64                  `json:"ManagedLoginVersion,omitempty"`
	CustomDomainConfig  *CustomDomainConfigType `json:"CustomDomainConfig,omitempty"`
}

// CreateUserPoolDomainResponse is AWS's CreateUserPoolDomainResponse shape.
type CreateUserPoolDomainResponse struct {
	ManagedLoginVersion *int64 `json:"ManagedLoginVersion,omitempty"`
	CloudFrontDomain    string `json:"CloudFrontDomain,omitempty"`
}

// CreateUserPoolRequest is AWS's CreateUserPoolRequest shape.
type CreateUserPoolRequest struct {
	PoolName                    string                           `json:"PoolName,omitempty"`
	Policies                    *UserPoolPolicyType              `json:"Policies,omitempty"`
	DeletionProtection          string                           `json:"DeletionProtection,omitempty"`
	LambdaConfig                *LambdaConfigType                `json:"LambdaConfig,omitempty"`
	AutoVerifiedAttributes      []string                         `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string                         `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string                         `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      string                           `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                           `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                           `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate *VerificationMessageTemplateType `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                           `json:"SmsAuthenticationMessage,omitempty"`
	MfaConfiguration            string                           `json:"MfaConfiguration,omitempty"`
	UserAttributeUpdateSettings *UserAttributeUpdateSettingsType `json:"UserAttributeUpdateSettings,omitempty"`
	DeviceConfiguration         *DeviceConfigurationType         `json:"DeviceConfiguration,omitempty"`
	EmailConfiguration          *EmailConfigurationType          `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            *SmsConfigurationType            `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string                `json:"UserPoolTags,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfigType       `json:"AdminCreateUserConfig,omitempty"`
	Schema                      []SchemaAttributeType            `json:"Schema,omitempty"`
	UserPoolAddOns              *UserPoolAddOnsType              `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       *UsernameConfigurationType       `json:"UsernameConfiguration,omitempty"`
	AccountRecoverySetting      *AccountRecoverySettingType      `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                           `json:"UserPoolTier,omitempty"`
}

// CreateUserPoolResponse is AWS's CreateUserPoolResponse shape.
type CreateUserPoolResponse struct {
	UserPool *UserPoolType `json:"UserPool,omitempty"`
}

// CustomDomainConfigType is AWS's CustomDomainConfigType shape.
type CustomDomainConfigType struct {
	CertificateArn string `json:"CertificateArn,omitempty"`
}

// CustomEmailLambdaVersionConfigType is AWS's CustomEmailLambdaVersionConfigType shape.
type CustomEmailLambdaVersionConfigType struct {
	LambdaVersion string `json:"LambdaVersion,omitempty"`
	LambdaArn     string `json:"LambdaArn,omitempty"`
}

// CustomSMSLambdaVersionConfigType is AWS's CustomSMSLambdaVersionConfigType shape.
type CustomSMSLambdaVersionConfigType struct {
	LambdaVersion string `json:"LambdaVersion,omitempty"`
	LambdaArn     string `json:"LambdaArn,omitempty"`
}

// DeleteGroupRequest is AWS's DeleteGroupRequest shape.
type DeleteGroupRequest struct {
	GroupName  string `json:"GroupName,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// DeleteResourceServerRequest is AWS's DeleteResourceServerRequest shape.
type DeleteResourceServerRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Identifier string `json:"Identifier,omitempty"`
}

// DeleteUserAttributesRequest is AWS's DeleteUserAttributesRequest shape.
type DeleteUserAttributesRequest struct {
	UserAttributeNames []string `json:"UserAttributeNames,omitempty"`
	AccessToken        string   `json:"AccessToken,omitempty"`
}

// DeleteUserAttributesResponse is AWS's DeleteUserAttributesResponse shape.
type DeleteUserAttributesResponse struct {
}

// DeleteUserPoolClientRequest is AWS's DeleteUserPoolClientRequest shape.
type DeleteUserPoolClientRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	ClientId   string `json:"ClientId,omitempty"`
}

// DeleteUserPoolDomainRequest is AWS's DeleteUserPoolDomainRequest shape.
type DeleteUserPoolDomainRequest struct {
	Domain     string `json:"Domain,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// DeleteUserPoolDomainResponse is AWS's DeleteUserPoolDomainResponse shape.
type DeleteUserPoolDomainResponse struct {
}

// DeleteUserPoolRequest is AWS's DeleteUserPoolRequest shape.
type DeleteUserPoolRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// DeleteUserRequest is AWS's DeleteUserRequest shape.
type DeleteUserRequest struct {
	AccessToken string `json:"AccessToken,omitempty"`
}

// DescribeResourceServerRequest is AWS's DescribeResourceServerRequest shape.
type DescribeResourceServerRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Identifier string `json:"Identifier,omitempty"`
}

// DescribeResourceServerResponse is AWS's DescribeResourceServerResponse shape.
type DescribeResourceServerResponse struct {
	ResourceServer *ResourceServerType `json:"ResourceServer,omitempty"`
}

// DescribeUserPoolClientRequest is AWS's DescribeUserPoolClientRequest shape.
type DescribeUserPoolClientRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	ClientId   string `json:"ClientId,omitempty"`
}

// DescribeUserPoolClientResponse is AWS's DescribeUserPoolClientResponse shape.
type DescribeUserPoolClientResponse struct {
	UserPoolClient *UserPoolClientType `json:"UserPoolClient,omitempty"`
}

// DescribeUserPoolDomainRequest is AWS's DescribeUserPoolDomainRequest shape.
type DescribeUserPoolDomainRequest struct {
	Domain string `json:"Domain,omitempty"`
}

// DescribeUserPoolDomainResponse is AWS's DescribeUserPoolDomainResponse shape.
type DescribeUserPoolDomainResponse struct {
	DomainDescription *DomainDescriptionType `json:"DomainDescription,omitempty"`
}

// DescribeUserPoolRequest is AWS's DescribeUserPoolRequest shape.
type DescribeUserPoolRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// DescribeUserPoolResponse is AWS's DescribeUserPoolResponse shape.
type DescribeUserPoolResponse struct {
	UserPool *UserPoolType `json:"UserPool,omitempty"`
}

// DeviceConfigurationType is AWS's DeviceConfigurationType shape.
type DeviceConfigurationType struct {
	ChallengeRequiredOnNewDevice     *bool `json:"ChallengeRequiredOnNewDevice,omitempty"`
	DeviceOnlyRememberedOnUserPrompt *bool `json:"DeviceOnlyRememberedOnUserPrompt,omitempty"`
}

// DomainDescriptionType is AWS's DomainDescriptionType shape.
type DomainDescriptionType struct {
	UserPoolId             string                  `json:"UserPoolId,omitempty"`
	AWSAccountId           string                  `json:"AWSAccountId,omitempty"`
	Domain                 string                  `json:"Domain,omitempty"`
	S3Bucket               string                  `json:"S3Bucket,omitempty"`
	CloudFrontDistribution string                  `json:"CloudFrontDistribution,omitempty"`
	Version                string                  `json:"Version,omitempty"`
	Status                 string                  `json:"Status,omitempty"`
	CustomDomainConfig     *CustomDomainConfigType `json:"CustomDomainConfig,omitempty"`
	ManagedLoginVersion    *int64                  `json:"ManagedLoginVersion,omitempty"`
}

// EmailConfigurationType is AWS's EmailConfigurationType shape.
type EmailConfigurationType struct {
	SourceArn           string `json:"SourceArn,omitempty"`
	ReplyToEmailAddress string `json:"ReplyToEmailAddress,omitempty"`
	EmailSendingAccount string `json:"EmailSendingAccount,omitempty"`
	From                string `json:"From,omitempty"`
	ConfigurationSet    string `json:"ConfigurationSet,omitempty"`
}

// ForgotPasswordRequest is AWS's ForgotPasswordRequest shape.
type ForgotPasswordRequest struct {
	ClientId          string                 `json:"ClientId,omitempty"`
	SecretHash        string                 `json:"SecretHash,omitempty"`
	UserContextData   *UserContextDataType   `json:"UserContextData,omitempty"`
	Username          string                 `json:"Username,omitempty"`
	AnalyticsMetadata *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	ClientMetadata    map[string]string      `json:"ClientMetadata,omitempty"`
}

// ForgotPasswordResponse is AWS's ForgotPasswordResponse shape.
type ForgotPasswordResponse struct {
	CodeDeliveryDetails *CodeDeliveryDetailsType `json:"CodeDeliveryDetails,omitempty"`
}

// GetCSVHeaderRequest is AWS's GetCSVHeaderRequest shape.
type GetCSVHeaderRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// GetCSVHeaderResponse is AWS's GetCSVHeaderResponse shape.
type GetCSVHeaderResponse struct {
	UserPoolId string   `json:"UserPoolId,omitempty"`
	CSVHeader  []string `json:"CSVHeader,omitempty"`
}

// GetGroupRequest is AWS's GetGroupRequest shape.
type GetGroupRequest struct {
	GroupName  string `json:"GroupName,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// GetGroupResponse is AWS's GetGroupResponse shape.
type GetGroupResponse struct {
	Group *GroupType `json:"Group,omitempty"`
}

// GetSigningCertificateRequest is AWS's GetSigningCertificateRequest shape.
type GetSigningCertificateRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
}

// GetSigningCertificateResponse is AWS's GetSigningCertificateResponse shape.
type GetSigningCertificateResponse struct {
	Certificate string `json:"Certificate,omitempty"`
}

// GetUserAttributeVerificationCodeRequest is AWS's GetUserAttributeVerificationCodeRequest shape.
type GetUserAttributeVerificationCodeRequest struct {
	AccessToken    string            `json:"AccessToken,omitempty"`
	AttributeName  string            `json:"AttributeName,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// GetUserAttributeVerificationCodeResponse is AWS's GetUserAttributeVerificationCodeResponse shape.
type GetUserAttributeVerificationCodeResponse struct {
	CodeDeliveryDetails *CodeDeliveryDetailsType `json:"CodeDeliveryDetails,omitempty"`
}

// GetUserRequest is AWS's GetUserRequest shape.
type GetUserRequest struct {
	AccessToken string `json:"AccessToken,omitempty"`
}

// GetUserResponse is AWS's GetUserResponse shape.
type GetUserResponse struct {
	Username            string          `json:"Username,omitempty"`
	UserAttributes      []AttributeType `json:"UserAttributes,omitempty"`
	MFAOptions          []MFAOptionType `json:"MFAOptions,omitempty"`
	PreferredMfaSetting string          `json:"PreferredMfaSetting,omitempty"`
	UserMFASettingList  []string        `json:"UserMFASettingList,omitempty"`
}

// GlobalSignOutRequest is AWS's GlobalSignOutRequest shape.
type GlobalSignOutRequest struct {
	AccessToken string `json:"AccessToken,omitempty"`
}

// GlobalSignOutResponse is AWS's GlobalSignOutResponse shape.
type GlobalSignOutResponse struct {
}

// GroupType is AWS's GroupType shape.
type GroupType struct {
	GroupName        string       `json:"GroupName,omitempty"`
	UserPoolId       string       `json:"UserPoolId,omitempty"`
	Description      string       `json:"Description,omitempty"`
	RoleArn          string       `json:"RoleArn,omitempty"`
	Precedence       *int64       `json:"Precedence,omitempty"`
	LastModifiedDate *awsapi.Time `json:"LastModifiedDate,omitempty"`
	CreationDate     *awsapi.Time `json:"CreationDate,omitempty"`
}

// HttpHeader is AWS's HttpHeader shape.
type HttpHeader struct {
	HeaderName  string `json:"headerName,omitempty"`
	HeaderValue string `json:"headerValue,omitempty"`
}

// InboundFederationLambdaType is AWS's InboundFederationLambdaType shape.
type InboundFederationLambdaType struct {
	LambdaVersion string `json:"LambdaVersion,omitempty"`
	LambdaArn     string `json:"LambdaArn,omitempty"`
}

// InitiateAuthRequest is AWS's InitiateAuthRequest shape.
type InitiateAuthRequest struct {
	AuthFlow          string                 `json:"AuthFlow,omitempty"`
	AuthParameters    map[string]string      `json:"AuthParameters,omitempty"`
	ClientMetadata    map[string]string      `json:"ClientMetadata,omitempty"`
	ClientId          string                 `json:"ClientId,omitempty"`
	AnalyticsMetadata *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	UserContextData   *UserContextDataType   `json:"UserContextData,omitempty"`
	Session           string                 `json:"Session,omitempty"`
}

// InitiateAuthResponse is AWS's InitiateAuthResponse shape.
type InitiateAuthResponse struct {
	ChallengeName        string                    `json:"ChallengeName,omitempty"`
	Session              string                    `json:"Session,omitempty"`
	ChallengeParameters  map[string]string         `json:"ChallengeParameters,omitempty"`
	AuthenticationResult *AuthenticationResultType `json:"AuthenticationResult,omitempty"`
	AvailableChallenges  []string                  `json:"AvailableChallenges,omitempty"`
}

// LambdaConfigType is AWS's LambdaConfigType shape.
type LambdaConfigType struct {
	PreSignUp                   string                               `json:"PreSignUp,omitempty"`
	CustomMessage               string                               `json:"CustomMessage,omitempty"`
	PostConfirmation            string                               `json:"PostConfirmation,omitempty"`
	PreAuthentication           string                               `json:"PreAuthentication,omitempty"`
	PostAuthentication          string                               `json:"PostAuthentication,omitempty"`
	DefineAuthChallenge         string                               `json:"DefineAuthChallenge,omitempty"`
	CreateAuthChallenge         string                               `json:"CreateAuthChallenge,omitempty"`
	VerifyAuthChallengeResponse string                               `json:"VerifyAuthChallengeResponse,omitempty"`
	PreTokenGeneration          string                               `json:"PreTokenGeneration,omitempty"`
	UserMigration               string                               `json:"UserMigration,omitempty"`
	PreTokenGenerationConfig    *PreTokenGenerationVersionConfigType `json:"PreTokenGenerationConfig,omitempty"`
	CustomSMSSender             *CustomSMSLambdaVersionConfigType    `json:"CustomSMSSender,omitempty"`
	CustomEmailSender           *CustomEmailLambdaVersionConfigType  `json:"CustomEmailSender,omitempty"`
	KMSKeyID                    string                               `json:"KMSKeyID,omitempty"`
	InboundFederation           *InboundFederationLambdaType         `json:"InboundFederation,omitempty"`
}

// ListGroupsRequest is AWS's ListGroupsRequest shape.
type ListGroupsRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	Limit      *int64 `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListGroupsResponse is AWS's ListGroupsResponse shape.
type ListGroupsResponse struct {
	Groups    []GroupType `json:"Groups,omitempty"`
	NextToken string      `json:"NextToken,omitempty"`
}

// ListResourceServersRequest is AWS's ListResourceServersRequest shape.
type ListResourceServersRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	MaxResults *int64 `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListResourceServersResponse is AWS's ListResourceServersResponse shape.
type ListResourceServersResponse struct {
	ResourceServers []ResourceServerType `json:"ResourceServers,omitempty"`
	NextToken       string               `json:"NextToken,omitempty"`
}

// ListUserPoolClientsRequest is AWS's ListUserPoolClientsRequest shape.
type ListUserPoolClientsRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	MaxResults *int64 `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListUserPoolClientsResponse is AWS's ListUserPoolClientsResponse shape.
type ListUserPoolClientsResponse struct {
	UserPoolClients []UserPoolClientDescription `json:"UserPoolClients,omitempty"`
	NextToken       string                      `json:"NextToken,omitempty"`
}

// ListUserPoolsRequest is AWS's ListUserPoolsRequest shape.
type ListUserPoolsRequest struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults *int64 `json:"MaxResults,omitempty"`
}

// ListUserPoolsResponse is AWS's ListUserPoolsResponse shape.
type ListUserPoolsResponse struct {
	UserPools []UserPoolDescriptionType `json:"UserPools,omitempty"`
	NextToken string                    `json:"NextToken,omitempty"`
}

// ListUsersInGroupRequest is AWS's ListUsersInGroupRequest shape.
type ListUsersInGroupRequest struct {
	UserPoolId string `json:"UserPoolId,omitempty"`
	GroupName  string `json:"GroupName,omitempty"`
	Limit      *int64 `json:"Limit,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

// ListUsersInGroupResponse is AWS's ListUsersInGroupResponse shape.
type ListUsersInGroupResponse struct {
	Users     []UserType `json:"Users,omitempty"`
	NextToken string     `json:"NextToken,omitempty"`
}

// ListUsersRequest is AWS's ListUsersRequest shape.
type ListUsersRequest struct {
	UserPoolId      string   `json:"UserPoolId,omitempty"`
	AttributesToGet []string `json:"AttributesToGet,omitempty"`
	Limit           *int64   `json:"Limit,omitempty"`
	PaginationToken string   `json:"PaginationToken,omitempty"`
	Filter          string   `json:"Filter,omitempty"`
}

// ListUsersResponse is AWS's ListUsersResponse shape.
type ListUsersResponse struct {
	Users           []UserType `json:"Users,omitempty"`
	PaginationToken string     `json:"PaginationToken,omitempty"`
}

// MFAOptionType is AWS's MFAOptionType shape.
type MFAOptionType struct {
	DeliveryMedium string `json:"DeliveryMedium,omitempty"`
	AttributeName  string `json:"AttributeName,omitempty"`
}

// MessageTemplateType is AWS's MessageTemplateType shape.
type MessageTemplateType struct {
	SMSMessage   string `json:"SMSMessage,omitempty"`
	EmailMessage string `json:"EmailMessage,omitempty"`
	EmailSubject string `json:"EmailSubject,omitempty"`
}

// NewDeviceMetadataType is AWS's NewDeviceMetadataType shape.
type NewDeviceMetadataType struct {
	DeviceKey      string `json:"DeviceKey,omitempty"`
	DeviceGroupKey string `json:"DeviceGroupKey,omitempty"`
}

// NumberAttributeConstraintsType is AWS's NumberAttributeConstraintsType shape.
type NumberAttributeConstraintsType struct {
	MinValue string `json:"MinValue,omitempty"`
	MaxValue string `json:"MaxValue,omitempty"`
}

// PasswordPolicyType is AWS's PasswordPolicyType shape.
type PasswordPolicyType struct {
	MinimumLength                 *int64 `json:"MinimumLength,omitempty"`
	RequireUppercase              *bool  `json:"RequireUppercase,omitempty"`
	RequireLowercase              *bool  `json:"RequireLowercase,omitempty"`
	RequireNumbers                *bool  `json:"RequireNumbers,omitempty"`
	RequireSymbols                *bool  `json:"RequireSymbols,omitempty"`
	PasswordHistorySize           *int64 `json:"PasswordHistorySize,omitempty"`
	TemporaryPasswordValidityDays *int64 `json:"TemporaryPasswordValidityDays,omitempty"`
}

// PreTokenGenerationVersionConfigType is AWS's PreTokenGenerationVersionConfigType shape.
type PreTokenGenerationVersionConfigType struct {
	LambdaVersion string `json:"LambdaVersion,omitempty"`
	LambdaArn     string `json:"LambdaArn,omitempty"`
}

// RecoveryOptionType is AWS's RecoveryOptionType shape.
type RecoveryOptionType struct {
	Priority *int64 `json:"Priority,omitempty"`
	Name     string `json:"Name,omitempty"`
}

// RefreshTokenRotationType is AWS's RefreshTokenRotationType shape.
type RefreshTokenRotationType struct {
	Feature                 string `json:"Feature,omitempty"`
	RetryGracePeriodSeconds *int64 `json:"RetryGracePeriodSeconds,omitempty"`
}

// ResendConfirmationCodeRequest is AWS's ResendConfirmationCodeRequest shape.
type ResendConfirmationCodeRequest struct {
	ClientId          string                 `json:"ClientId,omitempty"`
	SecretHash        string                 `json:"SecretHash,omitempty"`
	UserContextData   *UserContextDataType   `json:"UserContextData,omitempty"`
	Username          string                 `json:"Username,omitempty"`
	AnalyticsMetadata *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	ClientMetadata    map[string]string      `json:"ClientMetadata,omitempty"`
}

// ResendConfirmationCodeResponse is AWS's ResendConfirmationCodeResponse shape.
type ResendConfirmationCodeResponse struct {
	CodeDeliveryDetails *CodeDeliveryDetailsType `json:"CodeDeliveryDetails,omitempty"`
}

// ResourceServerScopeType is AWS's ResourceServerScopeType shape.
type ResourceServerScopeType struct {
	ScopeName        string `json:"ScopeName,omitempty"`
	ScopeDescription string `json:"ScopeDescription,omitempty"`
}

// ResourceServerType is AWS's ResourceServerType shape.
type ResourceServerType struct {
	UserPoolId string                    `json:"UserPoolId,omitempty"`
	Identifier string                    `json:"Identifier,omitempty"`
	Name       string                    `json:"Name,omitempty"`
	Scopes     []ResourceServerScopeType `json:"Scopes,omitempty"`
}

// RespondToAuthChallengeRequest is AWS's RespondToAuthChallengeRequest shape.
type RespondToAuthChallengeRequest struct {
	ClientId           string                 `json:"ClientId,omitempty"`
	ChallengeName      string                 `json:"ChallengeName,omitempty"`
	Session            string                 `json:"Session,omitempty"`
	ChallengeResponses map[string]string      `json:"ChallengeResponses,omitempty"`
	AnalyticsMetadata  *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	UserContextData    *UserContextDataType   `json:"UserContextData,omitempty"`
	ClientMetadata     map[string]string      `json:"ClientMetadata,omitempty"`
}

// RespondToAuthChallengeResponse is AWS's RespondToAuthChallengeResponse shape.
type RespondToAuthChallengeResponse struct {
	ChallengeName        string                    `json:"ChallengeName,omitempty"`
	Session              string                    `json:"Session,omitempty"`
	ChallengeParameters  map[string]string         `json:"ChallengeParameters,omitempty"`
	AuthenticationResult *AuthenticationResultType `json:"AuthenticationResult,omitempty"`
}

// RevokeTokenRequest is AWS's RevokeTokenRequest shape.
type RevokeTokenRequest struct {
	Token        string `json:"Token,omitempty"`
	ClientId     string `json:"ClientId,omitempty"`
	ClientSecret string `json:"ClientSecret,omitempty"`
}

// RevokeTokenResponse is AWS's RevokeTokenResponse shape.
type RevokeTokenResponse struct {
}

// SchemaAttributeType is AWS's SchemaAttributeType shape.
type SchemaAttributeType struct {
	Name                       string                          `json:"Name,omitempty"`
	AttributeDataType          string                          `json:"AttributeDataType,omitempty"`
	DeveloperOnlyAttribute     *bool                           `json:"DeveloperOnlyAttribute,omitempty"`
	Mutable                    *bool                           `json:"Mutable,omitempty"`
	Required                   *bool                           `json:"Required,omitempty"`
	NumberAttributeConstraints *NumberAttributeConstraintsType `json:"NumberAttributeConstraints,omitempty"`
	StringAttributeConstraints *StringAttributeConstraintsType `json:"StringAttributeConstraints,omitempty"`
}

// SignInPolicyType is AWS's SignInPolicyType shape.
type SignInPolicyType struct {
	AllowedFirstAuthFactors []string `json:"AllowedFirstAuthFactors,omitempty"`
}

// SignUpRequest is AWS's SignUpRequest shape.
type SignUpRequest struct {
	ClientId          string                 `json:"ClientId,omitempty"`
	SecretHash        string                 `json:"SecretHash,omitempty"`
	Username          string                 `json:"Username,omitempty"`
	Password          string                 `json:"Password,omitempty"`
	UserAttributes    []AttributeType        `json:"UserAttributes,omitempty"`
	ValidationData    []AttributeType        `json:"ValidationData,omitempty"`
	AnalyticsMetadata *AnalyticsMetadataType `json:"AnalyticsMetadata,omitempty"`
	UserContextData   *UserContextDataType   `json:"UserContextData,omitempty"`
	ClientMetadata    map[string]string      `json:"ClientMetadata,omitempty"`
}

// SignUpResponse is AWS's SignUpResponse shape.
type SignUpResponse struct {
	UserConfirmed       *bool                    `json:"UserConfirmed,omitempty"`
	CodeDeliveryDetails *CodeDeliveryDetailsType `json:"CodeDeliveryDetails,omitempty"`
	UserSub             string                   `json:"UserSub,omitempty"`
	Session             string                   `json:"Session,omitempty"`
}

// SmsConfigurationType is AWS's SmsConfigurationType shape.
type SmsConfigurationType struct {
	SnsCallerArn string `json:"SnsCallerArn,omitempty"`
	ExternalId   string `json:"ExternalId,omitempty"`
	SnsRegion    string `json:"SnsRegion,omitempty"`
}

// StringAttributeConstraintsType is AWS's StringAttributeConstraintsType shape.
type StringAttributeConstraintsType struct {
	MinLength string `json:"MinLength,omitempty"`
	MaxLength string `json:"MaxLength,omitempty"`
}

// TokenValidityUnitsType is AWS's TokenValidityUnitsType shape.
type TokenValidityUnitsType struct {
	AccessToken  string `json:"AccessToken,omitempty"`
	IdToken      string `json:"IdToken,omitempty"`
	RefreshToken string `json:"RefreshToken,omitempty"`
}

// UpdateGroupRequest is AWS's UpdateGroupRequest shape.
type UpdateGroupRequest struct {
	GroupName   string `json:"GroupName,omitempty"`
	UserPoolId  string `json:"UserPoolId,omitempty"`
	Description string `json:"Description,omitempty"`
	RoleArn     string `json:"RoleArn,omitempty"`
	Precedence  *int64 `json:"Precedence,omitempty"`
}

// UpdateGroupResponse is AWS's UpdateGroupResponse shape.
type UpdateGroupResponse struct {
	Group *GroupType `json:"Group,omitempty"`
}

// UpdateResourceServerRequest is AWS's UpdateResourceServerRequest shape.
type UpdateResourceServerRequest struct {
	UserPoolId string                    `json:"UserPoolId,omitempty"`
	Identifier string                    `json:"Identifier,omitempty"`
	Name       string                    `json:"Name,omitempty"`
	Scopes     []ResourceServerScopeType `json:"Scopes,omitempty"`
}

// UpdateResourceServerResponse is AWS's UpdateResourceServerResponse shape.
type UpdateResourceServerResponse struct {
	ResourceServer *ResourceServerType `json:"ResourceServer,omitempty"`
}

// UpdateUserAttributesRequest is AWS's UpdateUserAttributesRequest shape.
type UpdateUserAttributesRequest struct {
	UserAttributes []AttributeType   `json:"UserAttributes,omitempty"`
	AccessToken    string            `json:"AccessToken,omitempty"`
	ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
}

// UpdateUserAttributesResponse is AWS's UpdateUserAttributesResponse shape.
type UpdateUserAttributesResponse struct {
	CodeDeliveryDetailsList []CodeDeliveryDetailsType `json:"CodeDeliveryDetailsList,omitempty"`
}

// UpdateUserPoolClientRequest is AWS's UpdateUserPoolClientRequest shape.
type UpdateUserPoolClientRequest struct {
	UserPoolId                               string                      `json:"UserPoolId,omitempty"`
	ClientId                                 string                      `json:"ClientId,omitempty"`
	ClientName                               string                      `json:"ClientName,omitempty"`
	RefreshTokenValidity                     *int64                      `json:"RefreshTokenValidity,omitempty"`
	AccessTokenValidity                      *int64                      `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int64                      `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnitsType     `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string                    `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string                    `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string                    `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string                    `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string                    `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string                    `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                      `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string                    `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string                    `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          *bool                       `json:"AllowedOAuthFlowsUserPoolClient,omitempty"`
	AnalyticsConfiguration                   *AnalyticsConfigurationType `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                      `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    *bool                       `json:"EnableTokenRevocation,omitempty"`
	EnablePropagateAdditionalUserContextData *bool                       `json:"EnablePropagateAdditionalUserContextData,omitempty"`
	AuthSessionValidity                      *int64                      `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotationType   `json:"RefreshTokenRotation,omitempty"`
}

// UpdateUserPoolClientResponse is AWS's UpdateUserPoolClientResponse shape.
type UpdateUserPoolClientResponse struct {
	UserPoolClient *UserPoolClientType `json:"UserPoolClient,omitempty"`
}

// UpdateUserPoolDomainRequest is AWS's UpdateUserPoolDomainRequest shape.
type UpdateUserPoolDomainRequest struct {
	Domain              string                  `json:"Domain,omitempty"`
	UserPoolId          string                  `json:"UserPoolId,omitempty"`
	ManagedLoginVersion *int64                  `json:"ManagedLoginVersion,omitempty"`
	CustomDomainConfig  *CustomDomainConfigType `json:"CustomDomainConfig,omitempty"`
}

// UpdateUserPoolDomainResponse is AWS's UpdateUserPoolDomainResponse shape.
type UpdateUserPoolDomainResponse struct {
	ManagedLoginVersion *int64 `json:"ManagedLoginVersion,omitempty"`
	CloudFrontDomain    string `json:"CloudFrontDomain,omitempty"`
}

// UpdateUserPoolRequest is AWS's UpdateUserPoolRequest shape.
type UpdateUserPoolRequest struct {
	UserPoolId                  string                           `json:"UserPoolId,omitempty"`
	Policies                    *UserPoolPolicyType              `json:"Policies,omitempty"`
	DeletionProtection          string                           `json:"DeletionProtection,omitempty"`
	LambdaConfig                *LambdaConfigType                `json:"LambdaConfig,omitempty"`
	AutoVerifiedAttributes      []string                         `json:"AutoVerifiedAttributes,omitempty"`
	SmsVerificationMessage      string                           `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                           `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                           `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate *VerificationMessageTemplateType `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                           `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings *UserAttributeUpdateSettingsType `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                           `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         *DeviceConfigurationType         `json:"DeviceConfiguration,omitempty"`
	EmailConfiguration          *EmailConfigurationType          `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            *SmsConfigurationType            `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string                `json:"UserPoolTags,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfigType       `json:"AdminCreateUserConfig,omitempty"`
	UserPoolAddOns              *UserPoolAddOnsType              `json:"UserPoolAddOns,omitempty"`
	AccountRecoverySetting      *AccountRecoverySettingType      `json:"AccountRecoverySetting,omitempty"`
	PoolName                    string                           `json:"PoolName,omitempty"`
	UserPoolTier                string                           `json:"UserPoolTier,omitempty"`
}

// UpdateUserPoolResponse is AWS's UpdateUserPoolResponse shape.
type UpdateUserPoolResponse struct {
}

// UserAttributeUpdateSettingsType is AWS's UserAttributeUpdateSettingsType shape.
type UserAttributeUpdateSettingsType struct {
	AttributesRequireVerificationBeforeUpdate []string `json:"AttributesRequireVerificationBeforeUpdate,omitempty"`
}

// UserContextDataType is AWS's UserContextDataType shape.
type UserContextDataType struct {
	IpAddress   string `json:"IpAddress,omitempty"`
	EncodedData string `json:"EncodedData,omitempty"`
}

// UserPoolAddOnsType is AWS's UserPoolAddOnsType shape.
type UserPoolAddOnsType struct {
	AdvancedSecurityMode            string                               `json:"AdvancedSecurityMode,omitempty"`
	AdvancedSecurityAdditionalFlows *AdvancedSecurityAdditionalFlowsType `json:"AdvancedSecurityAdditionalFlows,omitempty"`
}

// UserPoolClientDescription is AWS's UserPoolClientDescription shape.
type UserPoolClientDescription struct {
	ClientId   string `json:"ClientId,omitempty"`
	UserPoolId string `json:"UserPoolId,omitempty"`
	ClientName string `json:"ClientName,omitempty"`
}

// UserPoolClientType is AWS's UserPoolClientType shape.
type UserPoolClientType struct {
	UserPoolId                               string                      `json:"UserPoolId,omitempty"`
	ClientName                               string                      `json:"ClientName,omitempty"`
	ClientId                                 string                      `json:"ClientId,omitempty"`
	ClientSecret                             string                      `json:"ClientSecret,omitempty"`
	LastModifiedDate                         *awsapi.Time                `json:"LastModifiedDate,omitempty"`
	CreationDate                             *awsapi.Time                `json:"CreationDate,omitempty"`
	RefreshTokenValidity                     *int64                      `json:"RefreshTokenValidity,omitempty"`
	AccessTokenValidity                      *int64                      `json:"AccessTokenValidity,omitempty"`
	IdTokenValidity                          *int64                      `json:"IdTokenValidity,omitempty"`
	TokenValidityUnits                       *TokenValidityUnitsType     `json:"TokenValidityUnits,omitempty"`
	ReadAttributes                           []string                    `json:"ReadAttributes,omitempty"`
	WriteAttributes                          []string                    `json:"WriteAttributes,omitempty"`
	ExplicitAuthFlows                        []string                    `json:"ExplicitAuthFlows,omitempty"`
	SupportedIdentityProviders               []string                    `json:"SupportedIdentityProviders,omitempty"`
	CallbackURLs                             []string                    `json:"CallbackURLs,omitempty"`
	LogoutURLs                               []string                    `json:"LogoutURLs,omitempty"`
	DefaultRedirectURI                       string                      `json:"DefaultRedirectURI,omitempty"`
	AllowedOAuthFlows                        []string                    `json:"AllowedOAuthFlows,omitempty"`
	AllowedOAuthScopes                       []string                    `json:"AllowedOAuthScopes,omitempty"`
	AllowedOAuthFlowsUserPoolClient          *bool                       `json:"AllowedOAuthFlowsUserPoolClient,omitempty"`
	AnalyticsConfiguration                   *AnalyticsConfigurationType `json:"AnalyticsConfiguration,omitempty"`
	PreventUserExistenceErrors               string                      `json:"PreventUserExistenceErrors,omitempty"`
	EnableTokenRevocation                    *bool                       `json:"EnableTokenRevocation,omitempty"`
	EnablePropagateAdditionalUserContextData *bool                       `json:"EnablePropagateAdditionalUserContextData,omitempty"`
	AuthSessionValidity                      *int64                      `json:"AuthSessionValidity,omitempty"`
	RefreshTokenRotation                     *RefreshTokenRotationType   `json:"RefreshTokenRotation,omitempty"`
}

// UserPoolDescriptionType is AWS's UserPoolDescriptionType shape.
type UserPoolDescriptionType struct {
	Id               string            `json:"Id,omitempty"`
	Name             string            `json:"Name,omitempty"`
	LambdaConfig     *LambdaConfigType `json:"LambdaConfig,omitempty"`
	Status           string            `json:"Status,omitempty"`
	LastModifiedDate *awsapi.Time      `json:"LastModifiedDate,omitempty"`
	CreationDate     *awsapi.Time      `json:"CreationDate,omitempty"`
}

// UserPoolPolicyType is AWS's UserPoolPolicyType shape.
type UserPoolPolicyType struct {
	PasswordPolicy *PasswordPolicyType `json:"PasswordPolicy,omitempty"`
	SignInPolicy   *SignInPolicyType   `json:"SignInPolicy,omitempty"`
}

// UserPoolType is AWS's UserPoolType shape.
type UserPoolType struct {
	Id                          string                           `json:"Id,omitempty"`
	Name                        string                           `json:"Name,omitempty"`
	Policies                    *UserPoolPolicyType              `json:"Policies,omitempty"`
	DeletionProtection          string                           `json:"DeletionProtection,omitempty"`
	LambdaConfig                *LambdaConfigType                `json:"LambdaConfig,omitempty"`
	Status                      string                           `json:"Status,omitempty"`
	LastModifiedDate            *awsapi.Time                     `json:"LastModifiedDate,omitempty"`
	CreationDate                *awsapi.Time                     `json:"CreationDate,omitempty"`
	SchemaAttributes            []SchemaAttributeType            `json:"SchemaAttributes,omitempty"`
	AutoVerifiedAttributes      []string                         `json:"AutoVerifiedAttributes,omitempty"`
	AliasAttributes             []string                         `json:"AliasAttributes,omitempty"`
	UsernameAttributes          []string                         `json:"UsernameAttributes,omitempty"`
	SmsVerificationMessage      string                           `json:"SmsVerificationMessage,omitempty"`
	EmailVerificationMessage    string                           `json:"EmailVerificationMessage,omitempty"`
	EmailVerificationSubject    string                           `json:"EmailVerificationSubject,omitempty"`
	VerificationMessageTemplate *VerificationMessageTemplateType `json:"VerificationMessageTemplate,omitempty"`
	SmsAuthenticationMessage    string                           `json:"SmsAuthenticationMessage,omitempty"`
	UserAttributeUpdateSettings *UserAttributeUpdateSettingsType `json:"UserAttributeUpdateSettings,omitempty"`
	MfaConfiguration            string                           `json:"MfaConfiguration,omitempty"`
	DeviceConfiguration         *DeviceConfigurationType         `json:"DeviceConfiguration,omitempty"`
	EstimatedNumberOfUsers      *int64                           `json:"EstimatedNumberOfUsers,omitempty"`
	EmailConfiguration          *EmailConfigurationType          `json:"EmailConfiguration,omitempty"`
	SmsConfiguration            *SmsConfigurationType            `json:"SmsConfiguration,omitempty"`
	UserPoolTags                map[string]string                `json:"UserPoolTags,omitempty"`
	SmsConfigurationFailure     string                           `json:"SmsConfigurationFailure,omitempty"`
	EmailConfigurationFailure   string                           `json:"EmailConfigurationFailure,omitempty"`
	Domain                      string                           `json:"Domain,omitempty"`
	CustomDomain                string                           `json:"CustomDomain,omitempty"`
	AdminCreateUserConfig       *AdminCreateUserConfigType       `json:"AdminCreateUserConfig,omitempty"`
	UserPoolAddOns              *UserPoolAddOnsType              `json:"UserPoolAddOns,omitempty"`
	UsernameConfiguration       *UsernameConfigurationType       `json:"UsernameConfiguration,omitempty"`
	Arn                         string                           `json:"Arn,omitempty"`
	AccountRecoverySetting      *AccountRecoverySettingType      `json:"AccountRecoverySetting,omitempty"`
	UserPoolTier                string                           `json:"UserPoolTier,omitempty"`
}

// UserType is AWS's UserType shape.
type UserType struct {
	Username             string          `json:"Username,omitempty"`
	Attributes           []AttributeType `json:"Attributes,omitempty"`
	UserCreateDate       *awsapi.Time    `json:"UserCreateDate,omitempty"`
	UserLastModifiedDate *awsapi.Time    `json:"UserLastModifiedDate,omitempty"`
	Enabled              *bool           `json:"Enabled,omitempty"`
	UserStatus           string          `json:"UserStatus,omitempty"`
	MFAOptions           []MFAOptionType `json:"MFAOptions,omitempty"`
}

// UsernameConfigurationType is AWS's UsernameConfigurationType shape.
type UsernameConfigurationType struct {
	CaseSensitive *bool `json:"CaseSensitive,omitempty"`
}

// VerificationMessageTemplateType is AWS's VerificationMessageTemplateType shape.
type VerificationMessageTemplateType struct {
	SmsMessage         string `json:"SmsMessage,omitempty"`
	EmailMessage       string `json:"EmailMessage,omitempty"`
	EmailSubject       string `json:"EmailSubject,omitempty"`
	EmailMessageByLink string `json:"EmailMessageByLink,omitempty"`
	EmailSubjectByLink string `json:"EmailSubjectByLink,omitempty"`
	DefaultEmailOption string `json:"DefaultEmailOption,omitempty"`
}

// VerifyUserAttributeRequest is AWS's VerifyUserAttributeRequest shape.
type VerifyUserAttributeRequest struct {
	AccessToken   string `json:"AccessToken,omitempty"`
	AttributeName string `json:"AttributeName,omitempty"`
	Code          string `json:"Code,omitempty"`
}

// VerifyUserAttributeResponse is AWS's VerifyUserAttributeResponse shape.
type VerifyUserAttributeResponse struct {
}
