package userpool

import (
	"context"
	"errors"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// AddCustomAttributes adds custom attributes to a pool's schema (API reference:
// API_AddCustomAttributes.html). Custom attributes can be added but never removed or renamed;
// the same checks as CreateUserPool's Schema apply (a data type, not required), a name that
// already exists is refused, and the pool keeps at most maxCustomAttributes.
func (s *Service) AddCustomAttributes(ctx context.Context, in *AddCustomAttributesRequest) (*AddCustomAttributesResponse, error) {
	if _, err := s.loadPool(ctx, in.UserPoolId); err != nil {
		return nil, err
	}
	added := make([]SchemaAttributeType, 0, len(in.CustomAttributes))
	for _, a := range in.CustomAttributes {
		attr, err := customSchemaAttribute(a)
		if err != nil {
			return nil, err
		}
		added = append(added, attr)
	}
	now := s.nowUTC()
	err := s.store.UpdateUserPool(ctx, in.UserPoolId, func(old store.UserPool) (store.UserPool, error) {
		p, err := decodePool(old)
		if err != nil {
			return old, err
		}
		schema := append([]SchemaAttributeType(nil), p.spec.SchemaAttributes...)
		custom := 0
		for _, a := range schema {
			if strings.Contains(a.Name, "custom:") {
				custom++
			}
		}
		for _, a := range added {
			if schemaIndex(schema, a.Name) >= 0 {
				return old, awsapi.InvalidParameter("%s: Existing attribute already has name %s.", a.Name, a.Name)
			}
			schema = append(schema, a)
			custom++
		}
		if custom > maxCustomAttributes {
			return old, awsapi.NewError("LimitExceededException", "The user pool has reached the limit of %d custom attributes.", maxCustomAttributes)
		}
		p.spec.SchemaAttributes = schema
		spec, err := encodePoolSpec(p.spec)
		if err != nil {
			return old, err
		}
		old.Spec = spec
		old.UpdatedAt = now
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(in.UserPoolId)
	}
	if err != nil {
		return nil, err
	}
	return &AddCustomAttributesResponse{}, nil
}
