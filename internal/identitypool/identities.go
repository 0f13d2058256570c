package identitypool

import (
	"context"
	"errors"
	"slices"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Identities: GetId, DescribeIdentity, ListIdentities and DeleteIdentities
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html and the
// pages of the other operations).

// GetId returns the identity of the logins, creating it on first use; without logins, a new
// unauthenticated identity when the pool allows them.
//
// One user always gets the same identity: it is found by the login key of the first login in
// provider-name order ("{provider}:{sub}"), atomically, so concurrent first calls for one
// user create one identity. When Logins holds several providers (several user pools), every
// one must verify, all their names are recorded on the identity, and the first one keys it;
// a later call must include that first login to reach the same identity. (AWS links every
// login of the map to the identity; Gatehouse's store keys an identity by one login.)
func (s *Service) GetId(ctx context.Context, in *GetIdInput) (*GetIdResponse, error) {
	if in.AccountId != "" && in.AccountId != s.account {
		// The pool is not in that account: it does not exist there (AWS is silent).
		return nil, errPoolNotFound(in.IdentityPoolId)
	}
	p, err := s.loadPool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	logins, err := s.verifyLogins(ctx, p, in.Logins)
	if err != nil {
		return nil, err
	}
	if len(logins) == 0 && !p.spec.AllowUnauthenticatedIdentities {
		return nil, errUnauthenticatedNotSupported()
	}
	ident, err := s.identityFor(ctx, p, logins)
	if err != nil {
		return nil, err
	}
	return &GetIdResponse{IdentityId: ident.ID}, nil
}

// identityFor finds or creates the identity of logins (a new guest identity for none).
func (s *Service) identityFor(ctx context.Context, p *pool, logins []login) (store.Identity, error) {
	names := providerNames(logins)
	loginKey := ""
	if len(logins) > 0 {
		loginKey = logins[0].key()
	}
	for attempt := 0; ; attempt++ {
		id, err := s.newID()
		if err != nil {
			return store.Identity{}, err
		}
		now := s.nowUTC()
		ident, created, err := s.store.GetOrCreateIdentity(ctx, loginKey, store.Identity{
			PoolID: p.rec.ID, ID: id, Logins: names, CreatedAt: now, UpdatedAt: now,
		})
		if errors.Is(err, store.ErrAlreadyExists) && attempt < 4 {
			continue // the random id was taken
		}
		if errors.Is(err, store.ErrNotFound) {
			return store.Identity{}, errPoolNotFound(p.rec.ID)
		}
		if err != nil {
			return store.Identity{}, err
		}
		if !created && !containsAll(ident.Logins, names) {
			err = s.store.UpdateIdentity(ctx, ident.ID, func(old store.Identity) (store.Identity, error) {
				for _, n := range names {
					if !slices.Contains(old.Logins, n) {
						old.Logins = append(old.Logins, n)
					}
				}
				old.UpdatedAt = s.nowUTC()
				ident = old
				return old, nil
			})
			if err != nil {
				return store.Identity{}, err
			}
		}
		return ident, nil
	}
}

// ownsLogin reports whether the identity is the one l's login key finds. It asks the store to
// create the login's identity with the identity's own (taken) id: the store answers the
// identity the key already has, or refuses the taken id without creating anything.
func (s *Service) ownsLogin(ctx context.Context, ident store.Identity, l login) (bool, error) {
	got, _, err := s.store.GetOrCreateIdentity(ctx, l.key(), store.Identity{
		PoolID: ident.PoolID, ID: ident.ID, Logins: ident.Logins, CreatedAt: ident.CreatedAt, UpdatedAt: ident.UpdatedAt,
	})
	if errors.Is(err, store.ErrAlreadyExists) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return got.ID == ident.ID, nil
}

func providerNames(logins []login) []string {
	var names []string
	for _, l := range logins {
		if !slices.Contains(names, l.provider) {
			names = append(names, l.provider)
		}
	}
	return names
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func describeIdentity(i store.Identity) IdentityDescription {
	return IdentityDescription{
		IdentityId:       i.ID,
		Logins:           i.Logins,
		CreationDate:     awsapi.NewTime(i.CreatedAt),
		LastModifiedDate: awsapi.NewTime(i.UpdatedAt),
	}
}

// DescribeIdentity returns an identity's logins and dates.
func (s *Service) DescribeIdentity(ctx context.Context, in *DescribeIdentityInput) (*IdentityDescription, error) {
	i, err := s.store.GetIdentity(ctx, in.IdentityId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errIdentityNotFound(in.IdentityId)
	}
	if err != nil {
		return nil, err
	}
	d := describeIdentity(i)
	return &d, nil
}

// ListIdentities pages through a pool's identities ordered by id. Gatehouse never disables an
// identity, so HideDisabled changes nothing.
func (s *Service) ListIdentities(ctx context.Context, in *ListIdentitiesInput) (*ListIdentitiesResponse, error) {
	p, err := s.loadPool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	after, err := decodeNextToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	limit := maxResults(in.MaxResults)
	recs, err := s.store.ListIdentities(ctx, p.rec.ID, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	out := &ListIdentitiesResponse{IdentityPoolId: p.rec.ID}
	for i, r := range recs {
		if i == limit {
			out.NextToken = encodeNextToken(recs[i-1].ID)
			break
		}
		out.Identities = append(out.Identities, describeIdentity(r))
	}
	return out, nil
}

// DeleteIdentities deletes up to 60 identities. UnprocessedIdentityIds reports the ones that
// could not be deleted, with ErrorCode AccessDenied or InternalServerError (API reference:
// UnprocessedIdentityId); an id that does not exist is already gone and is not reported (AWS
// is silent on it).
func (s *Service) DeleteIdentities(ctx context.Context, in *DeleteIdentitiesInput) (*DeleteIdentitiesResponse, error) {
	ids := slices.Compact(slices.Sorted(slices.Values(in.IdentityIdsToDelete)))
	if _, err := s.store.DeleteIdentities(ctx, ids); err != nil {
		s.log.ErrorContext(ctx, "identitypool: delete identities", "err", err)
		out := &DeleteIdentitiesResponse{}
		for _, id := range ids {
			out.UnprocessedIdentityIds = append(out.UnprocessedIdentityIds, UnprocessedIdentityId{IdentityId: id, ErrorCode: "InternalServerError"})
		}
		return out, nil
	}
	return &DeleteIdentitiesResponse{}, nil
}
