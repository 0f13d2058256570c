package identitypool

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Identity-pool management: CreateIdentityPool, DescribeIdentityPool, ListIdentityPools,
// UpdateIdentityPool and DeleteIdentityPool
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html
// and the pages of the other operations).

// spec is the pool configuration kept in store.IdentityPool.Spec.
type spec struct {
	AllowUnauthenticatedIdentities bool                      `json:"allowUnauthenticated"`
	AllowClassicFlow               *bool                     `json:"allowClassicFlow,omitempty"`
	DeveloperProviderName          string                    `json:"developerProviderName,omitempty"`
	CognitoIdentityProviders       []CognitoIdentityProvider `json:"providers,omitempty"`
	IdentityPoolTags               map[string]string         `json:"tags,omitempty"`
	Roles                          map[string]string         `json:"roles,omitempty"`
	RoleMappings                   map[string]*RoleMapping   `json:"roleMappings,omitempty"`
}

// pool is a stored pool with its spec decoded.
type pool struct {
	rec  store.IdentityPool
	spec spec
}

func decodeSpec(rec store.IdentityPool) (*pool, error) {
	p := &pool{rec: rec}
	if len(rec.Spec) > 0 {
		if err := json.Unmarshal(rec.Spec, &p.spec); err != nil {
			return nil, fmt.Errorf("identitypool: decode spec of %s: %w", rec.ID, err)
		}
	}
	return p, nil
}

func (s *Service) loadPool(ctx context.Context, id string) (*pool, error) {
	rec, err := s.store.GetIdentityPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return decodeSpec(rec)
}

// describe renders the pool as AWS's IdentityPool shape. IdentityPoolTags is sent as {} for
// a pool without tags: the generated shape always sends it (API Reference, CreateIdentityPool
// example: testdata/aws-examples/apiref-create-identity-pool.json).
func (p *pool) describe() *IdentityPool {
	allow := p.spec.AllowUnauthenticatedIdentities
	return &IdentityPool{
		IdentityPoolId:                 p.rec.ID,
		IdentityPoolName:               p.rec.Name,
		AllowUnauthenticatedIdentities: &allow,
		AllowClassicFlow:               p.spec.AllowClassicFlow,
		DeveloperProviderName:          p.spec.DeveloperProviderName,
		CognitoIdentityProviders:       p.spec.CognitoIdentityProviders,
		IdentityPoolTags:               p.spec.IdentityPoolTags,
	}
}

// providerNamePattern is a Cognito user pool's provider name,
// cognito-idp.{region}.amazonaws.com/{userPoolId} (API reference: CognitoIdentityProvider).
var providerNamePattern = regexp.MustCompile(`^cognito-idp\.([a-z0-9-]+)\.amazonaws\.com/([^/]+)$`)

// parseProviderName returns the user pool id of a provider name and whether the name is one.
// The user pool id's region must be the one in the host name, as in every real provider name.
func parseProviderName(name string) (userPoolID string, ok bool) {
	m := providerNamePattern.FindStringSubmatch(name)
	if m == nil || !token.ValidPoolID(m[2]) || !strings.HasPrefix(m[2], m[1]+"_") {
		return "", false
	}
	return m[2], true
}

// poolSettings are the members CreateIdentityPool and UpdateIdentityPool share.
type poolSettings struct {
	AllowUnauthenticatedIdentities *bool
	AllowClassicFlow               *bool
	SupportedLoginProviders        map[string]string
	DeveloperProviderName          string
	OpenIdConnectProviderARNs      []string
	CognitoIdentityProviders       []CognitoIdentityProvider
	SamlProviderARNs               []string
	IdentityPoolTags               map[string]string
}

// checkSettings refuses what Gatehouse cannot verify and what AWS refuses, and returns the
// settings as a spec (without roles).
func (s *Service) checkSettings(in poolSettings) (spec, error) {
	// Gatehouse's own rule: a provider whose tokens it cannot verify is refused, not stored.
	switch {
	case len(in.SupportedLoginProviders) > 0:
		names := make([]string, 0, len(in.SupportedLoginProviders))
		for k := range in.SupportedLoginProviders {
			names = append(names, k)
		}
		slices.Sort(names)
		return spec{}, errUnverifiableProvider("SupportedLoginProviders (" + strings.Join(names, ", ") + ")")
	case len(in.OpenIdConnectProviderARNs) > 0:
		return spec{}, errUnverifiableProvider("OpenIdConnectProviderARNs")
	case len(in.SamlProviderARNs) > 0:
		return spec{}, errUnverifiableProvider("SamlProviderARNs")
	}
	seen := map[string]bool{}
	providers := make([]CognitoIdentityProvider, 0, len(in.CognitoIdentityProviders))
	for _, cp := range in.CognitoIdentityProviders {
		if cp.ProviderName == "" {
			// The model does not require it, but a provider without a name means nothing.
			return spec{}, awsapi.InvalidParameter("CognitoIdentityProvider ProviderName is required.") // guessed
		}
		// Either name of a user pool provider (providerNamer) is accepted and kept as given.
		name, _, ok := s.names.canonical(cp.ProviderName)
		if !ok {
			return spec{}, awsapi.InvalidParameter("Invalid Cognito Identity Provider name: %s. Expected cognito-idp.{region}.amazonaws.com/{userPoolId}.", cp.ProviderName) // guessed
		}
		key := name + "\x00" + cp.ClientId
		if seen[key] {
			return spec{}, awsapi.InvalidParameter("Duplicate Cognito Identity Provider: %s", cp.ProviderName) // guessed
		}
		seen[key] = true
		providers = append(providers, cp)
	}
	sp := spec{
		AllowClassicFlow:         in.AllowClassicFlow,
		DeveloperProviderName:    in.DeveloperProviderName,
		CognitoIdentityProviders: providers,
		IdentityPoolTags:         in.IdentityPoolTags,
	}
	if in.AllowUnauthenticatedIdentities != nil {
		sp.AllowUnauthenticatedIdentities = *in.AllowUnauthenticatedIdentities
	}
	if len(sp.CognitoIdentityProviders) == 0 {
		sp.CognitoIdentityProviders = nil
	}
	return sp, nil
}

// CreateIdentityPool creates a pool
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html).
func (s *Service) CreateIdentityPool(ctx context.Context, in *CreateIdentityPoolInput) (*IdentityPool, error) {
	sp, err := s.checkSettings(poolSettings{
		in.AllowUnauthenticatedIdentities, in.AllowClassicFlow, in.SupportedLoginProviders,
		in.DeveloperProviderName, in.OpenIdConnectProviderARNs, in.CognitoIdentityProviders,
		in.SamlProviderARNs, in.IdentityPoolTags,
	})
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(sp)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	rec := store.IdentityPool{Name: in.IdentityPoolName, CreatedAt: now, UpdatedAt: now, Spec: raw}
	for attempt := 0; ; attempt++ {
		if rec.ID, err = s.newID(); err != nil {
			return nil, err
		}
		err = s.store.CreateIdentityPool(ctx, rec)
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrAlreadyExists) || attempt >= 4 {
			return nil, err
		}
	}
	return (&pool{rec: rec, spec: sp}).describe(), nil
}

// DescribeIdentityPool returns a pool's configuration
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DescribeIdentityPool.html).
func (s *Service) DescribeIdentityPool(ctx context.Context, in *DescribeIdentityPoolInput) (*IdentityPool, error) {
	p, err := s.loadPool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	return p.describe(), nil
}

// ListIdentityPools pages through the pools ordered by id; MaxResults (1–60) is required by
// the model (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_ListIdentityPools.html).
func (s *Service) ListIdentityPools(ctx context.Context, in *ListIdentityPoolsInput) (*ListIdentityPoolsResponse, error) {
	after, err := decodeNextToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := maxResults(in.MaxResults)
	recs, err := s.store.ListIdentityPools(ctx, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	out := &ListIdentityPoolsResponse{}
	for i, r := range recs {
		if i == limit {
			out.NextToken = encodeNextToken(recs[i-1].ID)
			break
		}
		out.IdentityPools = append(out.IdentityPools, IdentityPoolShortDescription{IdentityPoolId: r.ID, IdentityPoolName: r.Name})
	}
	return out, nil
}

// maxResults reads a validated MaxResults (the model bounds it to 1–60).
func maxResults(v *int64) int {
	if v == nil || *v < 1 || *v > 60 {
		return 60
	}
	return int(*v)
}

// Pagination tokens are opaque to clients: the last key of the page, base64url-encoded.
func encodeNextToken(after string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(after))
}

func decodeNextToken(tok string) (string, error) {
	if tok == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 {
		return "", errBadNextToken()
	}
	return string(b), nil
}

// UpdateIdentityPool replaces a pool's configuration: as AWS, members left out are reset
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_UpdateIdentityPool.html).
// Roles and role mappings, set by SetIdentityPoolRoles, stay; a role mapping whose provider
// the update removes is refused rather than left dangling (AWS is silent on this).
func (s *Service) UpdateIdentityPool(ctx context.Context, in *IdentityPool) (*IdentityPool, error) {
	sp, err := s.checkSettings(poolSettings{
		in.AllowUnauthenticatedIdentities, in.AllowClassicFlow, in.SupportedLoginProviders,
		in.DeveloperProviderName, in.OpenIdConnectProviderARNs, in.CognitoIdentityProviders,
		in.SamlProviderARNs, in.IdentityPoolTags,
	})
	if err != nil {
		return nil, err
	}
	var updated *pool
	err = s.store.UpdateIdentityPool(ctx, in.IdentityPoolId, func(old store.IdentityPool) (store.IdentityPool, error) {
		op, err := decodeSpec(old)
		if err != nil {
			return old, err
		}
		next := sp
		next.Roles = op.spec.Roles
		next.RoleMappings = op.spec.RoleMappings
		np := &pool{rec: old, spec: next}
		for key := range next.RoleMappings {
			if _, ok := np.mappingProvider(s.names, key); !ok {
				return old, awsapi.InvalidParameter("The role mapping for %s refers to a provider this update removes; change the role mappings first.", key) // guessed
			}
		}
		raw, err := json.Marshal(next)
		if err != nil {
			return old, err
		}
		old.Name = in.IdentityPoolName
		old.Spec = raw
		old.UpdatedAt = s.nowUTC()
		np.rec = old
		updated = np
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(in.IdentityPoolId)
	}
	if err != nil {
		return nil, err
	}
	return updated.describe(), nil
}

// DeleteIdentityPool deletes a pool and its identities
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_DeleteIdentityPool.html).
func (s *Service) DeleteIdentityPool(ctx context.Context, in *DeleteIdentityPoolInput) (*struct{}, error) {
	err := s.store.DeleteIdentityPool(ctx, in.IdentityPoolId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(in.IdentityPoolId)
	}
	return nil, err
}
