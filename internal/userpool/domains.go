package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// User-pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain and
// DeleteUserPoolDomain (API reference: API_CreateUserPoolDomain.html and the pages of the
// other operations; developer guide: cognito-user-pools-assign-domain.html). A prefix domain
// serves the pool's OAuth endpoints and hosted pages at {prefix}.auth.{region}.amazoncognito.com
// (and, on this server, {prefix}.localhost); a custom domain (CustomDomainConfig with a
// certificate) at its own name. Package oauth finds the pool from the Host header through
// PoolForHost.

func (s *Service) registerDomains(api *awsapi.Service) {
	api.Handle("CreateUserPoolDomain", awsapi.Op(s.CreateUserPoolDomain))
	api.Handle("DescribeUserPoolDomain", awsapi.Op(s.DescribeUserPoolDomain))
	api.Handle("UpdateUserPoolDomain", awsapi.Op(s.UpdateUserPoolDomain))
	api.Handle("DeleteUserPoolDomain", awsapi.Op(s.DeleteUserPoolDomain))
}

// domainSpec is what the store keeps of a domain besides its name and pool.
type domainSpec struct {
	CertificateArn      string `json:"CertificateArn,omitempty"`
	ManagedLoginVersion int64  `json:"ManagedLoginVersion"`
	Version             string `json:"Version"`
}

// reservedDomainWords may not appear in a prefix domain: "You can't use the text aws, amazon,
// or cognito in the domain prefix." (developer guide: cognito-user-pools-assign-domain-prefix).
// AWS's exact message is not confirmed.
var reservedDomainWords = []string{"aws", "amazon", "cognito"}

// managedLoginVersion checks ManagedLoginVersion: 1 is the classic hosted UI (the default), 2
// managed login (API reference: CreateUserPoolDomain). Both are served by the same pages here.
func managedLoginVersion(v *int64) (int64, error) {
	if v == nil {
		return 1, nil
	}
	if *v != 1 && *v != 2 {
		return 0, awsapi.InvalidParameter("ManagedLoginVersion must be 1 or 2.")
	}
	return *v, nil
}

// cloudFrontDomain is the distribution name a custom domain's DNS would point at. There is no
// CloudFront here; the name is stable per domain so that scripts reading it keep working.
func cloudFrontDomain(domain string) string {
	sum := sha256.Sum256([]byte(domain))
	return "d" + hex.EncodeToString(sum[:7]) + ".cloudfront.net"
}

func isCustomDomain(domain string) bool { return strings.Contains(domain, ".") }

// CreateUserPoolDomain gives a pool its domain.
func (s *Service) CreateUserPoolDomain(ctx context.Context, in *CreateUserPoolDomainRequest) (*CreateUserPoolDomainResponse, error) {
	version, err := managedLoginVersion(in.ManagedLoginVersion)
	if err != nil {
		return nil, err
	}
	spec := domainSpec{ManagedLoginVersion: version, Version: "1"}
	custom := in.CustomDomainConfig != nil
	if custom {
		if in.CustomDomainConfig.CertificateArn == "" {
			return nil, awsapi.InvalidParameter("CertificateArn is required for a custom domain.")
		}
		spec.CertificateArn = in.CustomDomainConfig.CertificateArn
	} else {
		if isCustomDomain(in.Domain) {
			// The model's DomainType pattern allows dots for custom domains; a prefix has none.
			// The text is the one Terraform users quote for an invalid prefix.
			return nil, awsapi.InvalidParameter("The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$")
		}
		for _, w := range reservedDomainWords {
			if strings.Contains(in.Domain, w) {
				return nil, awsapi.InvalidParameter("Domain cannot contain reserved word: %s", w)
			}
		}
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.GetPoolDomain(ctx, p.rec.ID); err == nil {
		// Quoted by Terraform and CDK users; a pool has one domain.
		return nil, awsapi.InvalidParameter("User pool already has a domain configured.")
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	raw, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	err = s.store.CreateDomain(ctx, store.Domain{Domain: in.Domain, PoolID: p.rec.ID, CreatedAt: now, UpdatedAt: now, Spec: raw})
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		// Cognito's text, as CloudFormation reports it (aws-samples/aws-cdk-examples#402).
		return nil, awsapi.InvalidParameter("Domain already associated with another user pool.")
	case errors.Is(err, store.ErrNotFound):
		return nil, errPoolNotFound(in.UserPoolId)
	case err != nil:
		return nil, err
	}
	out := &CreateUserPoolDomainResponse{ManagedLoginVersion: ptr(version)}
	if custom {
		out.CloudFrontDomain = cloudFrontDomain(in.Domain)
	}
	return out, nil
}

// DescribeUserPoolDomain describes a domain. A domain nobody has is not an error: AWS answers
// an empty DomainDescription, which is how scripts test whether a prefix is free.
func (s *Service) DescribeUserPoolDomain(ctx context.Context, in *DescribeUserPoolDomainRequest) (*DescribeUserPoolDomainResponse, error) {
	d, err := s.store.GetDomain(ctx, in.Domain)
	if errors.Is(err, store.ErrNotFound) {
		return &DescribeUserPoolDomainResponse{DomainDescription: &DomainDescriptionType{}}, nil
	}
	if err != nil {
		return nil, err
	}
	var spec domainSpec
	if err := json.Unmarshal(d.Spec, &spec); err != nil {
		return nil, fmt.Errorf("decode domain %q: %w", d.Domain, err)
	}
	out := &DomainDescriptionType{
		UserPoolId: d.PoolID, AWSAccountId: s.account, Domain: d.Domain, Version: spec.Version,
		Status: "ACTIVE", ManagedLoginVersion: ptr(spec.ManagedLoginVersion),
	}
	if spec.CertificateArn != "" {
		out.CustomDomainConfig = &CustomDomainConfigType{CertificateArn: spec.CertificateArn}
		out.CloudFrontDistribution = cloudFrontDomain(d.Domain)
	}
	return &DescribeUserPoolDomainResponse{DomainDescription: out}, nil
}

// errNoSuchDomain answers a domain that is not the pool's; the text is the one Terraform users
// quote from DeleteUserPoolDomain.
func errNoSuchDomain() *awsapi.Error {
	return awsapi.InvalidParameter("No such domain or user pool exists.")
}

// UpdateUserPoolDomain changes a domain's certificate or managed-login version.
func (s *Service) UpdateUserPoolDomain(ctx context.Context, in *UpdateUserPoolDomainRequest) (*UpdateUserPoolDomainResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	var out *UpdateUserPoolDomainResponse
	err = s.store.UpdateDomain(ctx, in.Domain, func(old store.Domain) (store.Domain, error) {
		if old.PoolID != p.rec.ID {
			return old, errNoSuchDomain()
		}
		var spec domainSpec
		if err := json.Unmarshal(old.Spec, &spec); err != nil {
			return old, fmt.Errorf("decode domain %q: %w", old.Domain, err)
		}
		if in.ManagedLoginVersion != nil {
			v, err := managedLoginVersion(in.ManagedLoginVersion)
			if err != nil {
				return old, err
			}
			spec.ManagedLoginVersion = v
		}
		if in.CustomDomainConfig != nil {
			if spec.CertificateArn == "" || in.CustomDomainConfig.CertificateArn == "" {
				return old, awsapi.InvalidParameter("CertificateArn can only be updated for a custom domain.")
			}
			spec.CertificateArn = in.CustomDomainConfig.CertificateArn
		}
		raw, err := json.Marshal(spec)
		if err != nil {
			return old, err
		}
		old.Spec, old.UpdatedAt = raw, s.nowUTC()
		out = &UpdateUserPoolDomainResponse{ManagedLoginVersion: ptr(spec.ManagedLoginVersion)}
		if spec.CertificateArn != "" {
			out.CloudFrontDomain = cloudFrontDomain(old.Domain)
		}
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSuchDomain()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteUserPoolDomain removes a pool's domain; its hosted pages stop answering at once.
func (s *Service) DeleteUserPoolDomain(ctx context.Context, in *DeleteUserPoolDomainRequest) (*DeleteUserPoolDomainResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	d, err := s.store.GetDomain(ctx, in.Domain)
	if errors.Is(err, store.ErrNotFound) || (err == nil && d.PoolID != p.rec.ID) {
		return nil, errNoSuchDomain()
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.DeleteDomain(ctx, in.Domain); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	return &DeleteUserPoolDomainResponse{}, nil
}

// ErrNoDomain is PoolForHost's answer for a host that names no domain of any pool.
var ErrNoDomain = errors.New("userpool: no user pool has this domain")

// PoolForHost returns the ID of the pool whose domain the Host header names (any port): a
// custom domain by its full name, or a prefix domain as the host's first label
// ({prefix}.auth.{region}.amazoncognito.com, {prefix}.localhost). ErrNoDomain when none does.
func (s *Service) PoolForHost(ctx context.Context, host string) (poolID, domain string, err error) {
	host = strings.ToLower(host)
	if h, _, ok := strings.Cut(host, ":"); ok && !strings.HasPrefix(host, "[") {
		host = h
	}
	if host == "" || len(host) > 255 {
		return "", "", ErrNoDomain
	}
	// A custom domain answers at its own name; the prefix forms are never custom domains, so
	// they cost one lookup.
	if !strings.HasSuffix(host, ".localhost") && !strings.HasSuffix(host, ".amazoncognito.com") {
		d, err := s.store.GetDomain(ctx, host)
		if err == nil && isCustomDomain(d.Domain) {
			return d.PoolID, d.Domain, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", "", err
		}
	}
	// A prefix domain answers at {prefix}.auth.{region}.amazoncognito.com, {prefix}.localhost
	// and, behind a wildcard DNS name, {prefix}.{any host}: the first label is the prefix.
	name, _, ok := strings.Cut(host, ".")
	if !ok || name == "" {
		return "", "", ErrNoDomain
	}
	d, err := s.store.GetDomain(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", "", ErrNoDomain
	}
	if err != nil {
		return "", "", err
	}
	return d.PoolID, d.Domain, nil
}

// PoolDomain returns the pool's domain, "" when it has none.
func (s *Service) PoolDomain(ctx context.Context, poolID string) (string, error) {
	d, err := s.store.GetPoolDomain(ctx, poolID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return d.Domain, nil
}
