package userexport

import (
	"bufio"
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// ExportStats counts what an export wrote.
type ExportStats struct {
	Users  int
	Groups int
}

// Export writes the pool's groups and users to w in the gatehouse-users format
// (docs/export-import.md), a page at a time. progress, when not nil, is called with the
// number of users written so far after each page.
//
// A pool being written to meanwhile exports each page as it was when read: a user created
// during the export may or may not be in it.
func (s *Service) Export(ctx context.Context, poolID string, w io.Writer, progress func(users int)) (ExportStats, error) {
	var stats ExportStats
	p, err := s.pools.BulkPool(ctx, poolID)
	if err != nil {
		return stats, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err = enc.Encode(exportHeader{Format: exportFormat, Version: exportVersion, Pool: p.ID(), PoolName: p.Name(), PoolSpec: p.Spec(), ExportedAt: s.nowUTC()})
	if err != nil {
		return stats, err
	}

	var groupNames []string
	for after := ""; ; {
		groups, err := s.store.ListGroups(ctx, poolID, store.Page{After: after, Limit: exportPageSize})
		if err != nil {
			return stats, fmt.Errorf("list groups: %w", err)
		}
		for _, g := range groups {
			groupNames = append(groupNames, g.Name)
			rec := exportGroup{Type: "group", Name: g.Name, Description: g.Description, RoleArn: g.RoleArn,
				Precedence: g.Precedence, Created: g.CreatedAt, Updated: g.UpdatedAt}
			if err := enc.Encode(rec); err != nil {
				return stats, err
			}
			stats.Groups++
		}
		if len(groups) < exportPageSize {
			break
		}
		after = groups[len(groups)-1].Name
	}

	members, err := s.newMemberships(ctx, poolID, groupNames)
	if err != nil {
		return stats, err
	}
	for after := ""; ; {
		users, err := s.store.ListUsers(ctx, poolID, nil, store.Page{After: after, Limit: exportPageSize})
		if err != nil {
			return stats, fmt.Errorf("list users: %w", err)
		}
		for _, u := range users {
			groups, err := members.groupsOf(u.UsernameKey)
			if err != nil {
				return stats, err
			}
			rec, err := exportUserOf(p, u, groups)
			if err != nil {
				return stats, err
			}
			if err := enc.Encode(rec); err != nil {
				return stats, err
			}
			stats.Users++
		}
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		if progress != nil && len(users) > 0 {
			progress(stats.Users)
		}
		if len(users) < exportPageSize {
			break
		}
		after = users[len(users)-1].UsernameKey
	}
	if err := enc.Encode(exportEnd{Type: "end", UserCount: stats.Users, GroupCount: stats.Groups}); err != nil {
		return stats, err
	}
	return stats, bw.Flush()
}

// memberships yields each user's group names while the export walks the users in
// UsernameKey order: it walks every group's members in the same order alongside (a merge of
// sorted lists, one cursor per group in a heap), so that the export costs a query per page
// of members instead of one per user. Both listings are in byte order of UsernameKey, as
// the store orders them and Go compares strings.
type memberships struct {
	ctx     context.Context
	s       *Service
	poolID  string
	cursors cursorHeap
}

// memberCursor is one group's members, a page at a time.
type memberCursor struct {
	group string
	keys  []string // the current page; keys[0] is the current member
	last  bool     // the page is the group's last
}

// cursorHeap orders cursors by their current member (container/heap).
type cursorHeap []*memberCursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return h[i].keys[0] < h[j].keys[0] }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*memberCursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

func (s *Service) newMemberships(ctx context.Context, poolID string, groups []string) (*memberships, error) {
	m := &memberships{ctx: ctx, s: s, poolID: poolID}
	for _, g := range groups {
		c := &memberCursor{group: g}
		if err := m.fill(c, ""); err != nil {
			return nil, err
		}
		if len(c.keys) > 0 {
			m.cursors = append(m.cursors, c)
		}
	}
	heap.Init(&m.cursors)
	return m, nil
}

// fill loads the page of c's members after the key after.
func (m *memberships) fill(c *memberCursor, after string) error {
	users, err := m.s.store.ListUsersInGroup(m.ctx, m.poolID, c.group, store.Page{After: after, Limit: exportPageSize})
	if err != nil {
		return fmt.Errorf("list members of group %q: %w", c.group, err)
	}
	c.keys = c.keys[:0]
	for _, u := range users {
		c.keys = append(c.keys, u.UsernameKey)
	}
	c.last = len(users) < exportPageSize
	return nil
}

// groupsOf returns the names of the groups of the user with key k, sorted. Keys must come
// in ascending order.
func (m *memberships) groupsOf(k string) ([]string, error) {
	var names []string
	for len(m.cursors) > 0 && m.cursors[0].keys[0] <= k {
		c := m.cursors[0]
		cur := c.keys[0]
		if cur == k {
			names = append(names, c.group)
		}
		// Step past cur (a member below k is one the user listing no longer has).
		if c.keys = c.keys[1:]; len(c.keys) == 0 && !c.last {
			if err := m.fill(c, cur); err != nil {
				return nil, err
			}
		}
		if len(c.keys) == 0 {
			heap.Pop(&m.cursors)
		} else {
			heap.Fix(&m.cursors, 0)
		}
	}
	slices.Sort(names)
	return names, nil
}

// exportUserOf turns a stored user into its export record: the SRP verifier opened, the rest
// of Extra carried as it is.
func exportUserOf(p *userpool.BulkPool, u store.User, groups []string) (exportUser, error) {
	rec := exportUser{
		Type: "user", Username: u.Username, Sub: u.Sub, Status: u.Status, Enabled: u.Enabled,
		Created: u.CreatedAt, Updated: u.UpdatedAt,
		Attributes:   make([]exportAttribute, len(u.Attributes)),
		PasswordHash: u.PasswordHash, PasswordExpires: u.PasswordExpiresAt, Groups: groups,
	}
	for i, a := range u.Attributes {
		rec.Attributes[i] = exportAttribute(a)
	}
	salt, verifier, ok, err := p.SRPVerifier(u)
	if err != nil {
		return rec, fmt.Errorf("user %q: %w (is the master key the one the server uses?)", u.Username, err)
	}
	if ok {
		rec.SRP = &exportSRP{Salt: salt, Verifier: verifier}
	}
	if len(u.Extra) > 0 {
		extra, err := userpool.PortableExtra(u.Extra)
		if err != nil {
			return rec, fmt.Errorf("user %q: %w", u.Username, err)
		}
		rec.Extra = extra
	}
	return rec, nil
}
