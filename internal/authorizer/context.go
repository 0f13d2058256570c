package authorizer

import (
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/policy"
)

// requestContext sets the global condition keys that come from the request itself, for
// every policy evaluated on a method ARN (AWS_IAM's caller policies, a Lambda authorizer's
// result policy, a group-policy role's policies): aws:SourceIp, aws:SecureTransport,
// aws:CurrentTime and aws:EpochTime (IAM User Guide: reference_policies_condition-keys.html).
// Without them, a Deny conditioned on one of them (NotIpAddress aws:SourceIp, Bool
// aws:SecureTransport false, DateGreaterThan aws:CurrentTime) would never apply, or would
// apply to everyone, and the policy would not mean what it says.
//
// now is the authorizer's clock at this request. The context is the request's: never cache
// it with a result.
func requestContext(c *policy.Context, r *gateway.Request, now time.Time) {
	c.SetTime(now)
	c.Set(policy.KeySourceIP, r.SourceIP)
	// The listener is plain HTTP; a TLS-terminating proxy in front says so in
	// X-Forwarded-Proto.
	c.Set(policy.KeySecureTransport, strconv.FormatBool(r.Headers.Get("X-Forwarded-Proto") == "https"))
}
