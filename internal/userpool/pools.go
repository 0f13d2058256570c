package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// User-pool management: CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool and
// DeleteUserPool (API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
// and the pages of the other operations). All are IAM-authorised.

func (s *Service) registerPools(api *awsapi.Service) {
	api.Register("CreateUserPool", awsapi.Op(s.CreateUserPool))
	api.Register("DescribeUserPool", awsapi.Op(s.DescribeUserPool))
	api.Register("AddCustomAttributes", awsapi.Op(s.AddCustomAttributes))
	api.Register("ListUserPools", awsapi.Op(s.ListUserPools))
	api.Register("UpdateUserPool", awsapi.Op(s.UpdateUserPool))
	api.Register("DeleteUserPool", awsapi.Op(s.DeleteUserPool))
}

// poolIDAlphabet is what the part of a pool ID after the region is made of: Cognito's IDs
// mix upper- and lower-case letters and digits (us-east-1_AbC123xyZ).
const (
	poolIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	poolIDLength   = 9
	// idAttempts bounds the retries when a random ID is already taken.
	idAttempts = 5
)

// randomChars returns n characters drawn uniformly from alphabet (at most 256 characters)
// with bytes from r, rejecting the bytes that would bias the draw.
func randomChars(r io.Reader, n int, alphabet string) (string, error) {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("random id: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}

// CreateUserPool creates a pool with Cognito's defaults for every setting the request leaves
// out, and its token-signing keys, so its JWKS exists from the start.
func (s *Service) CreateUserPool(ctx context.Context, in *CreateUserPoolRequest) (*CreateUserPoolResponse, error) {
	if err := validateSignInAttributes(in.UsernameAttributes, in.AliasAttributes); err != nil {
		return nil, err
	}
	if err := validatePoolSettings(poolSettings{in.Policies, in.AdminCreateUserConfig, in.AutoVerifiedAttributes}); err != nil {
		return nil, err
	}
	if err := refuseUnsupported(in.MfaConfiguration, in.LambdaConfig, in.UserPoolAddOns, in.Policies); err != nil {
		return nil, err
	}
	schema, err := buildSchema(in.Schema)
	if err != nil {
		return nil, err
	}
	spec := UserPoolType{
		Policies:                    in.Policies,
		DeletionProtection:          in.DeletionProtection,
		LambdaConfig:                in.LambdaConfig,
		SchemaAttributes:            schema,
		AutoVerifiedAttributes:      uniqueNames(in.AutoVerifiedAttributes),
		AliasAttributes:             uniqueNames(in.AliasAttributes),
		UsernameAttributes:          uniqueNames(in.UsernameAttributes),
		SmsVerificationMessage:      in.SmsVerificationMessage,
		EmailVerificationMessage:    in.EmailVerificationMessage,
		EmailVerificationSubject:    in.EmailVerificationSubject,
		VerificationMessageTemplate: in.VerificationMessageTemplate,
		SmsAuthenticationMessage:    in.SmsAuthenticationMessage,
		UserAttributeUpdateSettings: in.UserAttributeUpdateSettings,
		MfaConfiguration:            in.MfaConfiguration,
		DeviceConfiguration:         in.DeviceConfiguration,
		EmailConfiguration:          in.EmailConfiguration,
		SmsConfiguration:            in.SmsConfiguration,
		UserPoolTags:                in.UserPoolTags,
		AdminCreateUserConfig:       in.AdminCreateUserConfig,
		UserPoolAddOns:              in.UserPoolAddOns,
		UsernameConfiguration:       in.UsernameConfiguration,
		AccountRecoverySetting:      in.AccountRecoverySetting,
		UserPoolTier:                in.UserPoolTier,
	}
	applyPoolDefaults(&spec)
	if err := checkSignInPolicyTier(&spec); err != nil {
		return nil, err
	}
	raw, err := encodePoolSpec(spec)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	rec := store.UserPool{Name: in.PoolName, CreatedAt: now, UpdatedAt: now, Spec: raw, Uniqueness: (&pool{spec: spec}).uniqueness()}
	for attempt := 0; ; attempt++ {
		suffix, err := randomChars(s.rand, poolIDLength, poolIDAlphabet)
		if err != nil {
			return nil, err
		}
		rec.ID = s.region + "_" + suffix
		err = s.store.CreateUserPool(ctx, rec)
		if err == nil {
			break
		}
		if !errors.Is(err, store.ErrAlreadyExists) || attempt+1 >= idAttempts {
			return nil, err
		}
	}
	if err := s.tokens.EnsureKeys(ctx, rec.ID); err != nil {
		// A pool without keys would answer an empty JWKS; take it back rather than keep it.
		if derr := s.store.DeleteUserPool(ctx, rec.ID); derr != nil {
			s.log.Error("removing user pool whose keys could not be created", "pool", rec.ID, "err", derr)
		}
		return nil, fmt.Errorf("create signing keys of pool %s: %w", rec.ID, err)
	}
	p, err := decodePool(rec)
	if err != nil {
		return nil, err
	}
	return &CreateUserPoolResponse{UserPool: s.describePool(p, 0)}, nil
}

// describePool is the pool as DescribeUserPool shows it.
func (s *Service) describePool(p *pool, users int) *UserPoolType {
	out := p.spec
	applyPoolDefaults(&out)
	out.Id = p.rec.ID
	out.Name = p.rec.Name
	out.Arn = p.arn(s.region, s.account)
	out.CreationDate = awsapi.NewTime(p.rec.CreatedAt)
	out.LastModifiedDate = awsapi.NewTime(p.rec.UpdatedAt)
	out.EstimatedNumberOfUsers = ptr(int64(users))
	return &out
}

// DescribeUserPool returns the pool's configuration with Cognito's defaults filled in.
func (s *Service) DescribeUserPool(ctx context.Context, in *DescribeUserPoolRequest) (*DescribeUserPoolResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	n, err := s.store.CountUsers(ctx, p.rec.ID)
	if err != nil {
		return nil, err
	}
	out := s.describePool(p, n)
	// Domain or CustomDomain names the pool's domain (API reference: UserPoolType).
	if d, err := s.PoolDomain(ctx, p.rec.ID); err != nil {
		return nil, err
	} else if isCustomDomain(d) {
		out.CustomDomain = d
	} else {
		out.Domain = d
	}
	return &DescribeUserPoolResponse{UserPool: out}, nil
}

// maxListResults is the largest MaxResults of ListUserPools and ListUserPoolClients
// (PoolQueryLimitType and QueryLimit in the model: 1–60).
const maxListResults = 60

// listLimit checks a MaxResults; omitted means the maximum.
func listLimit(max *int64) (int, error) {
	if max == nil {
		return maxListResults, nil
	}
	if *max < 1 || *max > maxListResults {
		return 0, poolRangeError(*max, "maxResults", 1, maxListResults)
	}
	return int(*max), nil
}

// listNextToken makes the opaque NextToken that resumes a listing of kind after key.
// listAfterKey reads it back; a token of another listing, or not one of ours, is refused.
func listNextToken(kind, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(kind + "\x00" + key))
}

// pageOf trims a listing fetched with limit+1 entries to limit, and names the next page by
// the last entry's key when there is one.
func pageOf[T any](recs []T, limit int, kind string, key func(T) string) ([]T, string) {
	if len(recs) <= limit {
		return recs, ""
	}
	recs = recs[:limit]
	return recs, listNextToken(kind, key(recs[limit-1]))
}

// listing runs the paging every List operation shares: the token names the key this page
// starts after (refused when it belongs to another listing), fetch loads limit+1 records
// from there, and the extra one, if any, becomes the next page's token.
func listing[T any](kind, token string, limit int, key func(T) string, fetch func(store.Page) ([]T, error)) ([]T, string, error) {
	after, err := listAfterKey(kind, token)
	if err != nil {
		return nil, "", err
	}
	recs, err := fetch(store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, "", err
	}
	recs, next := pageOf(recs, limit, kind, key)
	return recs, next, nil
}

func listAfterKey(kind, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err == nil {
		if k, key, ok := strings.Cut(string(raw), "\x00"); ok && k == kind && key != "" {
			return key, nil
		}
	}
	// AWS's text for a malformed token is not confirmed.
	return "", awsapi.InvalidParameter("Invalid pagination token.")
}

// ListUserPools lists pools in the order of their IDs, MaxResults at a time.
func (s *Service) ListUserPools(ctx context.Context, in *ListUserPoolsRequest) (*ListUserPoolsResponse, error) {
	limit, err := listLimit(in.MaxResults)
	if err != nil {
		return nil, err
	}
	recs, next, err := listing("pools", in.NextToken, limit, func(p store.UserPool) string { return p.ID },
		func(page store.Page) ([]store.UserPool, error) { return s.store.ListUserPools(ctx, page) })
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolsResponse{UserPools: []UserPoolDescriptionType{}, NextToken: next}
	for _, rec := range recs {
		p, err := decodePool(rec)
		if err != nil {
			return nil, err
		}
		lc := p.spec.LambdaConfig
		if lc == nil {
			lc = &LambdaConfigType{}
		}
		out.UserPools = append(out.UserPools, UserPoolDescriptionType{
			Id: rec.ID, Name: rec.Name, LambdaConfig: lc,
			CreationDate: awsapi.NewTime(rec.CreatedAt), LastModifiedDate: awsapi.NewTime(rec.UpdatedAt),
		})
	}
	return out, nil
}

// UpdateUserPool replaces the pool's updatable settings. As the API reference says, "With the
// exception of UserPoolTier, if you don't provide a value for an attribute, Amazon Cognito sets
// it to its default value" — so a setting left out returns to its default. What CreateUserPool
// alone sets stays: the schema, UsernameAttributes, AliasAttributes and UsernameConfiguration;
// an omitted PoolName keeps the name.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
func (s *Service) UpdateUserPool(ctx context.Context, in *UpdateUserPoolRequest) (*UpdateUserPoolResponse, error) {
	if err := validatePoolSettings(poolSettings{in.Policies, in.AdminCreateUserConfig, in.AutoVerifiedAttributes}); err != nil {
		return nil, err
	}
	if err := refuseUnsupported(in.MfaConfiguration, in.LambdaConfig, in.UserPoolAddOns, in.Policies); err != nil {
		return nil, err
	}
	now := s.nowUTC()
	err := s.store.UpdateUserPool(ctx, in.UserPoolId, func(old store.UserPool) (store.UserPool, error) {
		p, err := decodePool(old)
		if err != nil {
			return old, err
		}
		spec := UserPoolType{
			Policies:                    in.Policies,
			DeletionProtection:          in.DeletionProtection,
			LambdaConfig:                in.LambdaConfig,
			AutoVerifiedAttributes:      uniqueNames(in.AutoVerifiedAttributes),
			SmsVerificationMessage:      in.SmsVerificationMessage,
			EmailVerificationMessage:    in.EmailVerificationMessage,
			EmailVerificationSubject:    in.EmailVerificationSubject,
			VerificationMessageTemplate: in.VerificationMessageTemplate,
			SmsAuthenticationMessage:    in.SmsAuthenticationMessage,
			UserAttributeUpdateSettings: in.UserAttributeUpdateSettings,
			MfaConfiguration:            in.MfaConfiguration,
			DeviceConfiguration:         in.DeviceConfiguration,
			EmailConfiguration:          in.EmailConfiguration,
			SmsConfiguration:            in.SmsConfiguration,
			UserPoolTags:                in.UserPoolTags,
			AdminCreateUserConfig:       in.AdminCreateUserConfig,
			UserPoolAddOns:              in.UserPoolAddOns,
			AccountRecoverySetting:      in.AccountRecoverySetting,
			UserPoolTier:                in.UserPoolTier,
			// Set at creation only.
			SchemaAttributes:      p.spec.SchemaAttributes,
			UsernameAttributes:    p.spec.UsernameAttributes,
			AliasAttributes:       p.spec.AliasAttributes,
			UsernameConfiguration: p.spec.UsernameConfiguration,
			Domain:                p.spec.Domain,
			CustomDomain:          p.spec.CustomDomain,
		}
		if spec.UserPoolTier == "" {
			spec.UserPoolTier = p.spec.UserPoolTier
		}
		applyPoolDefaults(&spec)
		if err := checkSignInPolicyTier(&spec); err != nil {
			return old, err
		}
		raw, err := encodePoolSpec(spec)
		if err != nil {
			return old, err
		}
		if in.PoolName != "" {
			old.Name = in.PoolName
		}
		old.Spec, old.UpdatedAt = raw, now
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	return &UpdateUserPoolResponse{}, nil
}

// DeleteUserPool deletes the pool and everything in it, unless deletion protection is on:
// then Cognito refuses with InvalidParameterException (API reference: UserPoolType,
// DeletionProtection; message text as the AWS CLI prints it in public issue reports).
func (s *Service) DeleteUserPool(ctx context.Context, in *DeleteUserPoolRequest) (*DeleteUserPoolResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if p.spec.DeletionProtection == "ACTIVE" {
		return nil, awsapi.InvalidParameter("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	}
	err = s.store.DeleteUserPool(ctx, p.rec.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	s.tokens.Forget(p.rec.ID)
	return &DeleteUserPoolResponse{}, nil
}

// DeleteUserPoolResponse is DeleteUserPool's output: AWS's model gives the operation none,
// and the answer is an empty JSON object.
type DeleteUserPoolResponse struct{}
