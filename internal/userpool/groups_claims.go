package userpool

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/gatehouse/gatehouse/internal/store"
)

// The claims a user's groups put into tokens (developer guide:
// cognito-user-pools-user-groups.html, "Assigning precedence values to groups"; API
// reference: CreateGroup's Precedence; docs/dev/aws-behaviour.md#group-roles-in-tokens):
//
//   - cognito:groups, in the ID and the access token: the names of every group the user is a
//     member of;
//   - cognito:roles, in the ID token: the role ARNs of those groups, each once, whatever the
//     group's precedence;
//   - cognito:preferred_role, in the ID token: the role of the group with the lowest
//     Precedence among the user's groups that have a role. Zero is the highest precedence;
//     a group without one comes after every group with one. When several groups share that
//     lowest precedence (groups without precedence share "none") and their roles differ,
//     neither takes precedence and the claim is left out; when they have the same role, it
//     is that role.
//
// A claim that would be empty is left out.
//
// AWS documents no order for the two arrays. Gatehouse lists groups by precedence, lowest
// first, groups without precedence last, and equal precedence by name (byte order), so the
// order is stable and the first entry is the group that decides the preferred role; roles
// follow the order of their first group.

// groupClaims computes the user's cognito:groups, cognito:roles and cognito:preferred_role
// values ("" for no preferred role).
func (s *Service) groupClaims(ctx context.Context, p *pool, u store.User) (groups, roles []string, preferredRole string, err error) {
	// Cognito caps how many groups a user may belong to, so one unpaged listing stays small.
	list, err := s.store.ListGroupsForUser(ctx, p.rec.ID, u.UsernameKey, store.Page{})
	if err != nil {
		return nil, nil, "", fmt.Errorf("groups of user %q: %w", u.UsernameKey, err)
	}
	groups, roles, preferredRole = claimsFromGroups(list)
	return groups, roles, preferredRole, nil
}

// addGroupClaims puts the user's group claims into the claim sets of the tokens about to be
// signed: cognito:groups into both, cognito:roles and cognito:preferred_role into the ID
// token's only. Claims that would be empty are not added.
func (s *Service) addGroupClaims(ctx context.Context, p *pool, u store.User, idClaims, accessClaims map[string]any) error {
	groups, roles, preferred, err := s.groupClaims(ctx, p, u)
	if err != nil {
		return err
	}
	if len(groups) > 0 {
		idClaims["cognito:groups"] = groups
		accessClaims["cognito:groups"] = slices.Clone(groups)
	}
	if len(roles) > 0 {
		idClaims["cognito:roles"] = roles
	}
	if preferred != "" {
		idClaims["cognito:preferred_role"] = preferred
	}
	return nil
}

// comparePrecedence orders groups by precedence, lowest first, with groups that have none
// after all that have one; two groups without precedence compare equal.
func comparePrecedence(a, b store.Group) int {
	switch {
	case a.Precedence == nil && b.Precedence == nil:
		return 0
	case a.Precedence == nil:
		return 1
	case b.Precedence == nil:
		return -1
	}
	return cmp.Compare(*a.Precedence, *b.Precedence)
}

// claimsFromGroups computes the three claim values from the user's groups, in any order.
func claimsFromGroups(list []store.Group) (groups, roles []string, preferred string) {
	sorted := slices.Clone(list)
	slices.SortFunc(sorted, func(a, b store.Group) int {
		if c := comparePrecedence(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	seen := map[string]bool{}
	var best *store.Group // the first group with a role: the lowest precedence among them
	tie := false
	for i, g := range sorted {
		groups = append(groups, g.Name)
		if g.RoleArn == "" {
			continue
		}
		if !seen[g.RoleArn] {
			seen[g.RoleArn] = true
			roles = append(roles, g.RoleArn)
		}
		switch {
		case best == nil:
			best = &sorted[i]
		case comparePrecedence(*best, g) == 0 && g.RoleArn != best.RoleArn:
			tie = true // equal precedence, different roles: neither takes precedence
		}
	}
	if best != nil && !tie {
		preferred = best.RoleArn
	}
	return groups, roles, preferred
}
