package iam

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
)

// The two services this handler speaks, told apart by the request's Version.
const (
	iamVersion   = "2010-05-08"
	stsVersion   = "2011-06-15"
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// action runs one query-protocol action on its parameters, which the service's model has
// validated, and returns its result (nil for actions without one).
type action func(a *API, ctx context.Context, p *awsapi.Params) (any, error)

// ServeHTTP answers IAM and STS query-protocol requests (framing: package awsapi's ReadQuery,
// QueryResponse and WriteQueryError). Parameters are validated against the service's model
// (botocore iam 2010-05-08, sts 2011-06-15) before the action runs, as the JSON services'
// bodies are. It answers XML in the service's namespace, with a RequestId in the body and in
// x-amzn-RequestId.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := a.newID()
	w.Header().Set("x-amzn-RequestId", reqID)
	ns := iamNamespace
	body, p, qerr := awsapi.ReadQuery(w, r)
	if qerr != nil {
		awsapi.WriteQueryError(w, ns, reqID, qerr)
		return
	}
	version, name := p.Get("Version"), p.Get("Action")
	service, table, m := "iam", iamActions, model.IAM()
	if version == stsVersion || version == "" && name == "GetCallerIdentity" {
		service, table, m, ns = "sts", stsActions, model.STS(), stsNamespace
	}
	if name == "" {
		// Guessed text.
		awsapi.WriteQueryError(w, ns, reqID, iamError("MissingAction", http.StatusBadRequest, "Missing Action"))
		return
	}
	act := table[name]
	if act == nil || version != "" && version != iamVersion && version != stsVersion {
		// As AWS's query services answer an unknown action: "Could not find operation
		// GetSendStatistics for version 2012-12-01" (confirmed for SES).
		if version == "" {
			version = iamVersion
		}
		awsapi.WriteQueryError(w, ns, reqID, iamError("InvalidAction", http.StatusBadRequest, "Could not find operation %s for version %s", name, version))
		return
	}
	ctx := r.Context()
	if a.auth != nil {
		// The caller the action acts for is the one whose signature was verified, never one
		// read from the request a second time.
		caller, err := a.auth.checkQuery(r, body, service, name, p)
		if err != nil {
			a.fail(w, r, ns, reqID, name, err)
			return
		}
		if caller != "" {
			ctx = WithCaller(ctx, caller)
		}
	}
	if verr := m.ValidateQuery(name, p.Lookup); verr != nil {
		awsapi.WriteQueryError(w, ns, reqID, verr)
		return
	}
	ctx = awsapi.WithInfo(ctx, awsapi.RequestInfo{ID: reqID, Service: service, Operation: name, UserAgent: r.UserAgent(), Header: r.Header})
	out, err := act(a, ctx, p)
	if err != nil {
		a.fail(w, r, ns, reqID, name, err)
		return
	}
	buf, err := awsapi.QueryResponse(ns, name, reqID, out)
	if err != nil {
		a.fail(w, r, ns, reqID, name, err)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf)
}

// fail renders err: an *awsapi.Error as it is, anything else logged with the request id
// and answered ServiceFailure without detail.
func (a *API) fail(w http.ResponseWriter, r *http.Request, ns, reqID, action string, err error) {
	var ae *awsapi.Error
	if errors.As(err, &ae) {
		awsapi.WriteQueryError(w, ns, reqID, ae)
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	a.log.Error("iam action failed", "request_id", reqID, "action", action, "err", err)
	awsapi.WriteQueryError(w, ns, reqID, &serviceFailure)
}

// empty is the result of actions whose Result element is there but empty.
type empty struct{}
