package iam

import "context"

// CallerIdentity is GetCallerIdentity's result (STS API reference,
// API_GetCallerIdentity).
type CallerIdentity struct {
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
	Arn     string `xml:"Arn"`
}

// GetCallerIdentity says who signed the request (WithCaller): the user or assumed role
// behind its access key. It needs no permission, as on AWS. No resolvable key is
// InvalidClientTokenId, "The security token included in the request is invalid."
func (a *API) GetCallerIdentity(ctx context.Context) (*CallerIdentity, error) {
	p, err := a.caller(ctx)
	if err != nil {
		return nil, err
	}
	return &CallerIdentity{UserID: p.UserID, Account: p.AccountID, Arn: p.ARN}, nil
}
