// Package userpool implements the Cognito Identity Provider API (user pools): pools, app
// clients, users and their attributes, sign-up and confirmation, passwords, the auth flows and
// their challenges, lockout, code delivery and the token claim sets.
//
// It owns the meaning of a user pool. It must never speak HTTP itself (package awsapi frames
// every operation), reach into a storage backend (it uses the narrow store interfaces), sign or
// parse JWTs by hand (package token does), or let a password, a token or a secret reach a log.
// The one deliberate exception is the outbox: a delivered message (a code, an invitation with
// its temporary password) is logged at info level, because reading it there is how a developer
// finishes a sign-up without a mail server; nothing else of the user's is logged with it.
//
// Operations follow the Amazon Cognito API reference
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/) for shapes,
// validation and error text. Request and response types are generated from AWS's service model
// (shapes_gen.go).
package userpool

//go:generate python3 ../../tools/gentypes.py cognito-idp 2016-04-18 userpool shapes_gen.go CreateUserPool,DescribeUserPool,ListUserPools,UpdateUserPool,DeleteUserPool,CreateUserPoolClient,DescribeUserPoolClient,ListUserPoolClients,UpdateUserPoolClient,DeleteUserPoolClient,SignUp,ConfirmSignUp,ResendConfirmationCode,AdminConfirmSignUp,AdminCreateUser,AdminGetUser,GetUser,ListUsers,AdminDeleteUser,DeleteUser,AdminUpdateUserAttributes,UpdateUserAttributes,AdminDeleteUserAttributes,DeleteUserAttributes,AdminDisableUser,AdminEnableUser,AdminSetUserPassword,AdminResetUserPassword,ChangePassword,ForgotPassword,ConfirmForgotPassword,InitiateAuth,AdminInitiateAuth,RespondToAuthChallenge,AdminRespondToAuthChallenge,GlobalSignOut,AdminUserGlobalSignOut,RevokeToken,CreateGroup,GetGroup,ListGroups,UpdateGroup,DeleteGroup,AdminAddUserToGroup,AdminRemoveUserFromGroup,AdminListGroupsForUser,ListUsersInGroup,AddCustomAttributes,GetUserAttributeVerificationCode,VerifyUserAttribute,GetCSVHeader,GetSigningCertificate,CreateResourceServer,DescribeResourceServer,ListResourceServers,UpdateResourceServer,DeleteResourceServer,CreateUserPoolDomain,DescribeUserPoolDomain,UpdateUserPoolDomain,DeleteUserPoolDomain
