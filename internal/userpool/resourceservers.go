package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Resource servers: CreateResourceServer, DescribeResourceServer, ListResourceServers,
// UpdateResourceServer and DeleteResourceServer (API reference: API_CreateResourceServer.html
// and the pages of the other operations; developer guide:
// cognito-user-pools-define-resource-servers.html). A resource server's scopes are named
// "{Identifier}/{ScopeName}" in AllowedOAuthScopes, in the token endpoint's scope parameter
// and in the access token's scope claim. All are IAM-authorised.

func (s *Service) registerResourceServers(api *awsapi.Service) {
	api.Handle("CreateResourceServer", awsapi.Op(s.CreateResourceServer))
	api.Handle("DescribeResourceServer", awsapi.Op(s.DescribeResourceServer))
	api.Handle("ListResourceServers", awsapi.Op(s.ListResourceServers))
	api.Handle("UpdateResourceServer", awsapi.Op(s.UpdateResourceServer))
	api.Handle("DeleteResourceServer", awsapi.Op(s.DeleteResourceServer))
}

// maxResourceServerList is ListResourceServers' largest MaxResults
// (ListResourceServersLimitType: 1–50), also its default here.
const maxResourceServerList = 50

// resourceServerSpec is what the store keeps of a resource server besides its identifier.
type resourceServerSpec struct {
	Name   string                    `json:"Name"`
	Scopes []ResourceServerScopeType `json:"Scopes"`
}

// errResourceServerNotFound answers an identifier the pool has no resource server for. AWS's
// exact text is not confirmed.
func errResourceServerNotFound(id string) *awsapi.Error {
	return awsapi.ResourceNotFound("Resource server %s does not exist.", id)
}

// checkScopes refuses a scope named twice; the model checks each name's pattern (no '/', so
// "{Identifier}/{ScopeName}" splits at the last slash) and the list's length (≤ 100). AWS's
// text for a duplicate is not confirmed.
func checkScopes(scopes []ResourceServerScopeType) error {
	seen := make(map[string]bool, len(scopes))
	for _, sc := range scopes {
		if seen[sc.ScopeName] {
			return awsapi.InvalidParameter("Duplicate scope name %s.", sc.ScopeName)
		}
		seen[sc.ScopeName] = true
	}
	return nil
}

func resourceServerType(r store.ResourceServer) (*ResourceServerType, error) {
	var spec resourceServerSpec
	if err := json.Unmarshal(r.Spec, &spec); err != nil {
		return nil, fmt.Errorf("decode resource server %q: %w", r.Identifier, err)
	}
	scopes := spec.Scopes
	if scopes == nil {
		scopes = []ResourceServerScopeType{}
	}
	return &ResourceServerType{UserPoolId: r.PoolID, Identifier: r.Identifier, Name: spec.Name, Scopes: scopes}, nil
}

// CreateResourceServer creates a resource server in a pool.
func (s *Service) CreateResourceServer(ctx context.Context, in *CreateResourceServerRequest) (*CreateResourceServerResponse, error) {
	if err := checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	spec, err := json.Marshal(resourceServerSpec{Name: in.Name, Scopes: in.Scopes})
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	rec := store.ResourceServer{PoolID: p.rec.ID, Identifier: in.Identifier, CreatedAt: now, UpdatedAt: now, Spec: spec}
	err = s.store.CreateResourceServer(ctx, rec)
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		// AWS's exact text is not confirmed.
		return nil, awsapi.InvalidParameter("%s already exists in pool %s.", in.Identifier, p.rec.ID)
	case errors.Is(err, store.ErrNotFound):
		return nil, errPoolNotFound(in.UserPoolId)
	case err != nil:
		return nil, err
	}
	out, err := resourceServerType(rec)
	if err != nil {
		return nil, err
	}
	return &CreateResourceServerResponse{ResourceServer: out}, nil
}

// DescribeResourceServer returns one resource server.
func (s *Service) DescribeResourceServer(ctx context.Context, in *DescribeResourceServerRequest) (*DescribeResourceServerResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetResourceServer(ctx, p.rec.ID, in.Identifier)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errResourceServerNotFound(in.Identifier)
	}
	if err != nil {
		return nil, err
	}
	out, err := resourceServerType(rec)
	if err != nil {
		return nil, err
	}
	return &DescribeResourceServerResponse{ResourceServer: out}, nil
}

// ListResourceServers lists a pool's resource servers in identifier order.
func (s *Service) ListResourceServers(ctx context.Context, in *ListResourceServersRequest) (*ListResourceServersResponse, error) {
	limit := maxResourceServerList
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > maxResourceServerList {
			return nil, poolRangeError(*in.MaxResults, "maxResults", 1, maxResourceServerList)
		}
		limit = int(*in.MaxResults)
	}
	kind := "resourceservers/" + in.UserPoolId
	after, err := listAfterKey(kind, in.NextToken)
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	recs, err := s.store.ListResourceServers(ctx, p.rec.ID, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	out := &ListResourceServersResponse{ResourceServers: []ResourceServerType{}}
	recs, out.NextToken = pageOf(recs, limit, kind, func(r store.ResourceServer) string { return r.Identifier })
	for _, rec := range recs {
		rs, err := resourceServerType(rec)
		if err != nil {
			return nil, err
		}
		out.ResourceServers = append(out.ResourceServers, *rs)
	}
	return out, nil
}

// UpdateResourceServer replaces a resource server's name and scopes: "If you don't provide a
// value for an attribute, it is set to the default value." (API reference:
// API_UpdateResourceServer.html). App clients that list a removed scope keep it in
// AllowedOAuthScopes, but the token endpoint no longer grants it.
func (s *Service) UpdateResourceServer(ctx context.Context, in *UpdateResourceServerRequest) (*UpdateResourceServerResponse, error) {
	if err := checkScopes(in.Scopes); err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	spec, err := json.Marshal(resourceServerSpec{Name: in.Name, Scopes: in.Scopes})
	if err != nil {
		return nil, err
	}
	var updated store.ResourceServer
	err = s.store.UpdateResourceServer(ctx, p.rec.ID, in.Identifier, func(old store.ResourceServer) (store.ResourceServer, error) {
		old.Spec, old.UpdatedAt = spec, s.nowUTC()
		updated = old
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errResourceServerNotFound(in.Identifier)
	}
	if err != nil {
		return nil, err
	}
	out, err := resourceServerType(updated)
	if err != nil {
		return nil, err
	}
	return &UpdateResourceServerResponse{ResourceServer: out}, nil
}

// DeleteResourceServerResponse is DeleteResourceServer's output: AWS's model gives the
// operation none, and the answer is an empty JSON object.
type DeleteResourceServerResponse struct{}

// DeleteResourceServer deletes a resource server; its scopes stop being granted at once.
func (s *Service) DeleteResourceServer(ctx context.Context, in *DeleteResourceServerRequest) (*DeleteResourceServerResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteResourceServer(ctx, p.rec.ID, in.Identifier)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errResourceServerNotFound(in.Identifier)
	}
	if err != nil {
		return nil, err
	}
	return &DeleteResourceServerResponse{}, nil
}

// Standard OAuth scopes (API reference: CreateUserPoolClient, AllowedOAuthScopes).
const (
	ScopeOpenID  = "openid"
	ScopeEmail   = "email"
	ScopePhone   = "phone"
	ScopeProfile = "profile"
	ScopeAdmin   = adminScope
)

func isStandardScope(sc string) bool {
	switch sc {
	case ScopeOpenID, ScopeEmail, ScopePhone, ScopeProfile, ScopeAdmin:
		return true
	}
	return false
}

// scopeExists reports whether sc is a standard scope or "{Identifier}/{ScopeName}" of one of
// the pool's resource servers. Identifiers may contain '/' (URLs are common), scope names may
// not, so the scope name is what follows the last slash.
func (s *Service) scopeExists(ctx context.Context, poolID, sc string) (bool, error) {
	if isStandardScope(sc) {
		return true, nil
	}
	i := strings.LastIndexByte(sc, '/')
	if i <= 0 || i == len(sc)-1 {
		return false, nil
	}
	rec, err := s.store.GetResourceServer(ctx, poolID, sc[:i])
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	rs, err := resourceServerType(rec)
	if err != nil {
		return false, err
	}
	for _, x := range rs.Scopes {
		if x.ScopeName == sc[i+1:] {
			return true, nil
		}
	}
	return false, nil
}
