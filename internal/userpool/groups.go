package userpool

import (
	"context"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// User-pool groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup
// (API reference: API_CreateGroup.html and the pages of the other operations; developer
// guide: cognito-user-pools-user-groups.html). All are IAM-authorised. The claims a user's
// groups put into tokens are in groups_claims.go.

func (s *Service) registerGroups(api *awsapi.Service) {
	api.Register("CreateGroup", awsapi.Op(s.CreateGroup))
	api.Register("GetGroup", awsapi.Op(s.GetGroup))
	api.Register("ListGroups", awsapi.Op(s.ListGroups))
	// UpdateGroup decodes into updateGroupInput, which tells an omitted Description from an
	// empty one.
	api.Register("UpdateGroup", awsapi.Op(s.updateGroup))
	api.Register("DeleteGroup", awsapi.Op(s.DeleteGroup))
	api.Register("AdminAddUserToGroup", awsapi.Op(s.AdminAddUserToGroup))
	api.Register("AdminRemoveUserFromGroup", awsapi.Op(s.AdminRemoveUserFromGroup))
	api.Register("AdminListGroupsForUser", awsapi.Op(s.AdminListGroupsForUser))
	api.Register("ListUsersInGroup", awsapi.Op(s.ListUsersInGroup))
}

// maxPrecedence is the largest Precedence: "The maximum Precedence value is 2^31-1" (API
// reference: CreateGroup, UpdateGroup). The model gives only the minimum, 0, so the
// validator does not check it.
const maxPrecedence = 1<<31 - 1

// maxGroupListLimit is the largest and default Limit of the group listings (QueryLimitType
// in the model: 0–60; 0 is taken as the default, as ListUsers does).
const maxGroupListLimit = 60

// errGroupNotFound answers a group the pool does not have. The text is the one the AWS SDK
// reported from AdminAddUserToGroup (aws-amplify/amplify-cli#2214: "ResourceNotFoundException:
// Group not found.").
func errGroupNotFound() *awsapi.Error { return awsapi.ResourceNotFound("Group not found.") }

// errGroupExists answers CreateGroup with a name the pool already has. The text carries no
// name: it is how aws-amplify/amplify-backend#1781 reports Cognito's refusal, and the text
// moto answers with.
func errGroupExists() *awsapi.Error {
	return awsapi.NewError("GroupExistsException", "A group with the name already exists")
}

// groups is the store's Groups aggregate. The Service's Store does not list it yet, so it is
// asserted here; a store without groups is a wiring mistake.

func checkPrecedence(p *int64) error {
	if p != nil && (*p < 0 || *p > maxPrecedence) {
		return poolRangeError(*p, "precedence", 0, maxPrecedence)
	}
	return nil
}

// groupListLimit reads a group listing's Limit: omitted or 0 is the maximum.
func groupListLimit(limit *int64) (int, error) {
	if limit == nil || *limit == 0 {
		return maxGroupListLimit, nil
	}
	if *limit < 0 || *limit > maxGroupListLimit {
		return 0, poolRangeError(*limit, "limit", 0, maxGroupListLimit)
	}
	return int(*limit), nil
}

// groupType renders a group as AWS's GroupType.
func groupType(g store.Group) *GroupType {
	out := &GroupType{
		GroupName:        g.Name,
		UserPoolId:       g.PoolID,
		Description:      g.Description,
		RoleArn:          g.RoleArn,
		CreationDate:     awsapi.NewTime(g.CreatedAt),
		LastModifiedDate: awsapi.NewTime(g.UpdatedAt),
	}
	if g.Precedence != nil {
		out.Precedence = ptr(*g.Precedence)
	}
	return out
}

// loadGroup loads one of the pool's groups or answers ResourceNotFoundException.
func (s *Service) loadGroup(ctx context.Context, p *pool, name string) (store.Group, error) {
	g, err := s.store.GetGroup(ctx, p.rec.ID, name)
	if errors.Is(err, store.ErrNotFound) {
		return store.Group{}, errGroupNotFound()
	}
	if err != nil {
		return store.Group{}, fmt.Errorf("get group: %w", err)
	}
	return g, nil
}

// loadPoolGroup loads the pool and one of its groups.
func (s *Service) loadPoolGroup(ctx context.Context, poolID, name string) (*pool, store.Group, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, store.Group{}, err
	}
	g, err := s.loadGroup(ctx, p, name)
	if err != nil {
		return nil, store.Group{}, err
	}
	return p, g, nil
}

// loadGroupAndUser loads the pool, one of its groups and one of its users, the group checked
// before the user (membership changes answer a missing group first).
func (s *Service) loadGroupAndUser(ctx context.Context, poolID, group, username string) (*pool, store.Group, store.User, error) {
	p, g, err := s.loadPoolGroup(ctx, poolID, group)
	if err != nil {
		return nil, store.Group{}, store.User{}, err
	}
	u, err := s.adminUser(ctx, p, username)
	if err != nil {
		return nil, store.Group{}, store.User{}, err
	}
	return p, g, u, nil
}

// CreateGroup creates a group (API reference: API_CreateGroup.html). Names are unique in the
// pool and compared byte for byte.
func (s *Service) CreateGroup(ctx context.Context, in *CreateGroupRequest) (*CreateGroupResponse, error) {
	if err := checkPrecedence(in.Precedence); err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	g := store.Group{
		PoolID: p.rec.ID, Name: in.GroupName, Description: in.Description, RoleArn: in.RoleArn,
		Precedence: in.Precedence, CreatedAt: now, UpdatedAt: now,
	}
	err = s.store.CreateGroup(ctx, g)
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		return nil, errGroupExists()
	case errors.Is(err, store.ErrNotFound): // the pool went away meanwhile
		return nil, errPoolNotFound(in.UserPoolId)
	case err != nil:
		return nil, fmt.Errorf("create group: %w", err)
	}
	return &CreateGroupResponse{Group: groupType(g)}, nil
}

// GetGroup returns a group (API reference: API_GetGroup.html).
func (s *Service) GetGroup(ctx context.Context, in *GetGroupRequest) (*GetGroupResponse, error) {
	_, g, err := s.loadPoolGroup(ctx, in.UserPoolId, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &GetGroupResponse{Group: groupType(g)}, nil
}

// ListGroups lists a pool's groups in name order, Limit (default 60) at a time (API
// reference: API_ListGroups.html).
func (s *Service) ListGroups(ctx context.Context, in *ListGroupsRequest) (*ListGroupsResponse, error) {
	limit, err := groupListLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	recs, next, err := listing("groups/"+in.UserPoolId, in.NextToken, limit, groupName,
		func(page store.Page) ([]store.Group, error) {
			p, err := s.loadPool(ctx, in.UserPoolId)
			if err != nil {
				return nil, err
			}
			recs, err := s.store.ListGroups(ctx, p.rec.ID, page)
			if err != nil {
				return nil, fmt.Errorf("list groups: %w", err)
			}
			return recs, nil
		})
	if err != nil {
		return nil, err
	}
	out := &ListGroupsResponse{Groups: []GroupType{}, NextToken: next}
	for _, g := range recs {
		out.Groups = append(out.Groups, *groupType(g))
	}
	return out, nil
}

// updateGroupInput is UpdateGroupRequest as the wire carries it: a member that is absent (or
// null) is nil and leaves the group's value alone, while "Description": "" clears the
// description.
type updateGroupInput struct {
	GroupName   string  `json:"GroupName"`
	UserPoolId  string  `json:"UserPoolId"`
	Description *string `json:"Description"`
	RoleArn     *string `json:"RoleArn"`
	Precedence  *int64  `json:"Precedence"`
}

// UpdateGroup changes the properties the request gives and keeps the others (API reference:
// API_UpdateGroup.html: "updates any of the properties for precedence, IAM role, or
// description"; its example request omits RoleArn and the response still carries the
// group's role). Called with the generated shape, an empty Description or RoleArn counts as
// not given; over the wire an explicit "Description": "" clears the description. A role or
// a precedence, once set, can be changed but not removed: the API has no way to say so.
func (s *Service) UpdateGroup(ctx context.Context, in *UpdateGroupRequest) (*UpdateGroupResponse, error) {
	w := &updateGroupInput{GroupName: in.GroupName, UserPoolId: in.UserPoolId, Precedence: in.Precedence}
	if in.Description != "" {
		w.Description = &in.Description
	}
	if in.RoleArn != "" {
		w.RoleArn = &in.RoleArn
	}
	return s.updateGroup(ctx, w)
}

func (s *Service) updateGroup(ctx context.Context, in *updateGroupInput) (*UpdateGroupResponse, error) {
	if err := checkPrecedence(in.Precedence); err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	var updated store.Group
	err = s.store.UpdateGroup(ctx, p.rec.ID, in.GroupName, func(old store.Group) (store.Group, error) {
		g := old
		if in.Description != nil {
			g.Description = *in.Description
		}
		if in.RoleArn != nil {
			g.RoleArn = *in.RoleArn
		}
		if in.Precedence != nil {
			g.Precedence = ptr(*in.Precedence)
		}
		g.UpdatedAt = now
		updated = g
		return g, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errGroupNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("update group: %w", err)
	}
	return &UpdateGroupResponse{Group: groupType(updated)}, nil
}

// DeleteGroup deletes a group and its memberships (API reference: API_DeleteGroup.html);
// tokens issued afterwards no longer name it.
func (s *Service) DeleteGroup(ctx context.Context, in *DeleteGroupRequest) (*struct{}, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	err = s.store.DeleteGroup(ctx, p.rec.ID, in.GroupName)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errGroupNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("delete group: %w", err)
	}
	return nil, nil
}

// AdminAddUserToGroup adds a user to a group; adding a member again changes nothing (API
// reference: API_AdminAddUserToGroup.html). The group is checked before the user. Tokens
// issued earlier keep their claims until the user signs in or refreshes.
func (s *Service) AdminAddUserToGroup(ctx context.Context, in *AdminAddUserToGroupRequest) (*struct{}, error) {
	p, g, u, err := s.loadGroupAndUser(ctx, in.UserPoolId, in.GroupName, in.Username)
	if err != nil {
		return nil, err
	}
	err = s.store.AddUserToGroup(ctx, p.rec.ID, u.UsernameKey, g.Name)
	if errors.Is(err, store.ErrNotFound) {
		// The group or the user was deleted since they were loaded.
		if _, gerr := s.store.GetGroup(ctx, p.rec.ID, g.Name); errors.Is(gerr, store.ErrNotFound) {
			return nil, errGroupNotFound()
		}
		return nil, errUserNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("add user to group: %w", err)
	}
	return nil, nil
}

// AdminRemoveUserFromGroup removes a user from a group (API reference:
// API_AdminRemoveUserFromGroup.html). A user who is not a member is not an error: the
// outcome, a non-member, is the one asked for.
func (s *Service) AdminRemoveUserFromGroup(ctx context.Context, in *AdminRemoveUserFromGroupRequest) (*struct{}, error) {
	p, g, u, err := s.loadGroupAndUser(ctx, in.UserPoolId, in.GroupName, in.Username)
	if err != nil {
		return nil, err
	}
	err = s.store.RemoveUserFromGroup(ctx, p.rec.ID, u.UsernameKey, g.Name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("remove user from group: %w", err)
	}
	return nil, nil
}

// AdminListGroupsForUser lists the groups a user is a member of in name order, Limit
// (default 60) at a time (API reference: API_AdminListGroupsForUser.html).
func (s *Service) AdminListGroupsForUser(ctx context.Context, in *AdminListGroupsForUserRequest) (*AdminListGroupsForUserResponse, error) {
	limit, err := groupListLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	recs, next, err := listing("usergroups/"+in.UserPoolId+"/"+in.Username, in.NextToken, limit, groupName,
		func(page store.Page) ([]store.Group, error) {
			p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
			if err != nil {
				return nil, err
			}
			recs, err := s.store.ListGroupsForUser(ctx, p.rec.ID, u.UsernameKey, page)
			if err != nil {
				return nil, fmt.Errorf("list groups for user: %w", err)
			}
			return recs, nil
		})
	if err != nil {
		return nil, err
	}
	out := &AdminListGroupsForUserResponse{Groups: []GroupType{}, NextToken: next}
	for _, g := range recs {
		out.Groups = append(out.Groups, *groupType(g))
	}
	return out, nil
}

// ListUsersInGroup lists a group's members in username order, Limit (default 60) at a time,
// each as ListUsers shows a user (API reference: API_ListUsersInGroup.html).
func (s *Service) ListUsersInGroup(ctx context.Context, in *ListUsersInGroupRequest) (*ListUsersInGroupResponse, error) {
	limit, err := groupListLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	users, next, err := listing("groupusers/"+in.UserPoolId+"/"+in.GroupName, in.NextToken, limit,
		func(u store.User) string { return u.UsernameKey },
		func(page store.Page) ([]store.User, error) {
			p, g, err := s.loadPoolGroup(ctx, in.UserPoolId, in.GroupName)
			if err != nil {
				return nil, err
			}
			users, err := s.store.ListUsersInGroup(ctx, p.rec.ID, g.Name, page)
			if err != nil {
				return nil, fmt.Errorf("list users in group: %w", err)
			}
			return users, nil
		})
	if err != nil {
		return nil, err
	}
	out := &ListUsersInGroupResponse{Users: []UserType{}, NextToken: next}
	for _, u := range users {
		out.Users = append(out.Users, *userType(u, nil))
	}
	return out, nil
}

func groupName(g store.Group) string { return g.Name }
