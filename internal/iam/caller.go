package iam

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/sigv4"
)

type callerKey struct{}

// WithCaller returns ctx saying that the request was signed with accessKeyID: what
// GetCallerIdentity reports, and whose user GetUser, CreateAccessKey, ListAccessKeys,
// UpdateAccessKey and DeleteAccessKey default to. ServeHTTP sets it from the request's
// signature; Go callers set it themselves.
func WithCaller(ctx context.Context, accessKeyID string) context.Context {
	return context.WithValue(ctx, callerKey{}, accessKeyID)
}

// caller resolves the principal behind the request's access key. No key, or one that does
// not resolve, is InvalidClientTokenId.
func (a *API) caller(ctx context.Context) (*Principal, error) {
	id, _ := ctx.Value(callerKey{}).(string)
	if id == "" {
		return nil, invalidClientTokenID()
	}
	p, err := a.principals.Resolve(ctx, id)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		return nil, invalidClientTokenID()
	}
	return p, err
}

func (a *API) callerUserName(ctx context.Context) (string, error) {
	p, err := a.caller(ctx)
	if err != nil {
		return "", err
	}
	if p.Type != PrincipalUser {
		return "", nonUserCaller()
	}
	return p.UserName, nil
}

// maxAccessKeyIDLen bounds the access key id taken from a request; AWS's are 20
// characters, the model allows 128.
const maxAccessKeyIDLen = 128

// signingKeyID returns the access key id a request is signed with: the first part of
// Credential= in the Authorization header ("AWS4-HMAC-SHA256 Credential=AKID/20150830/
// us-east-1/iam/aws4_request, SignedHeaders=…, Signature=…", IAM User Guide,
// reference_sigv-signing-elements.html) or of the X-Amz-Credential query (or form)
// parameter of a presigned request; "" when there is none. It checks nothing: the
// authenticator has verified the signature before an action runs.
func signingKeyID(r *http.Request, params *params) string {
	if auth := r.Header.Get("Authorization"); auth != "" {
		_, rest, ok := strings.Cut(auth, "Credential=")
		if !ok {
			return ""
		}
		id, _, _ := strings.Cut(rest, "/")
		return boundedKeyID(id)
	}
	cred := r.URL.Query().Get("X-Amz-Credential")
	if cred == "" && params != nil {
		cred = params.get("X-Amz-Credential")
	}
	id, _, _ := strings.Cut(cred, "/")
	return boundedKeyID(id)
}

func boundedKeyID(id string) string {
	id = strings.TrimSpace(id)
	if len(id) > maxAccessKeyIDLen || !isWord(id) {
		return ""
	}
	return id
}
