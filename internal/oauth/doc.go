// Package oauth serves a user pool's OAuth 2.0 and OpenID Connect endpoints and its hosted
// sign-in pages, as Amazon Cognito serves them on a pool's domain (developer guide:
// cognito-userpools-server-contract-reference.html): /oauth2/authorize, /oauth2/token,
// /oauth2/userInfo, /oauth2/revoke, /login (with the new-password step), /logout, and the
// discovery document /{poolId}/.well-known/openid-configuration on the AWS endpoint. The Host
// header picks the pool by its domain ({domain}.auth.{region}.amazoncognito.com,
// {domain}.localhost, or a custom domain).
//
// It owns the HTTP side of OAuth: request parsing and bounds, client authentication at the
// token endpoint, redirect URI matching, authorization codes (stored as hashes, single-use,
// five minutes), PKCE, CSRF protection of the forms, and the pages' HTML.
//
// It must never decide what a user, a password, a client or a claim means (package userpool
// does, through its exported API), sign or parse a JWT by hand (userpool and token do), reach
// into a storage backend (codes go through the narrow store.AuthSessions interface), redirect
// to a URL that is not one of the client's registered URLs character for character, or show a
// user a stack trace or a secret.
package oauth
