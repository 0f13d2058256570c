package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func testOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.ListMessages(ctx, "", 0, 0)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("empty outbox lists %d messages", len(got))
	}

	msgs := []store.Message{
		{PoolID: "a", Username: "alice", Medium: "EMAIL", Destination: "alice@example.com", Subject: "Your code", Body: "Your code is 123456", CreatedAt: t0()},
		{PoolID: "b", Username: "bob", Medium: "SMS", Destination: "+15550100", Body: "Code: 654321", CreatedAt: t0().Add(time.Second)},
		{PoolID: "a", Username: "carol", Medium: "EMAIL", Destination: "carol@example.com", Subject: "Welcome", Body: "Temporary password: ÄÖÜ\n<b>x</b>", CreatedAt: t0().Add(2 * time.Second)},
		{PoolID: "a", Username: "dave", Medium: "EMAIL", Destination: "dave@example.com", Body: "4", CreatedAt: t0().Add(3 * time.Second)},
	}
	var last int64
	for i := range msgs {
		msgs[i].ID = 999 // ignored: the store assigns IDs
		id, err := s.AddMessage(ctx, msgs[i])
		must(t, err)
		if id <= last {
			t.Fatalf("message %d got ID %d, not above the previous %d", i, id, last)
		}
		msgs[i].ID, last = id, id
	}

	norm := normSlice(normMessage)
	for _, tc := range []struct {
		name    string
		pool    string
		afterID int64
		limit   int
		want    []store.Message
	}{
		{"all", "", 0, 0, msgs},
		{"pool a", "a", 0, 0, []store.Message{msgs[0], msgs[2], msgs[3]}},
		{"pool b", "b", 0, -1, []store.Message{msgs[1]}},
		{"after the first", "", msgs[0].ID, 0, msgs[1:]},
		{"limit", "", 0, 2, msgs[:2]},
		{"pool a after the first, limit 1", "a", msgs[0].ID, 1, []store.Message{msgs[2]}},
		{"after the last", "", msgs[3].ID, 0, nil},
		{"unknown pool", "c", 0, 0, nil},
	} {
		got, err := s.ListMessages(ctx, tc.pool, tc.afterID, tc.limit)
		must(t, err)
		wantEqual(t, "ListMessages "+tc.name, got, tc.want, norm)
	}
}
