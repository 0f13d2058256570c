package storetest

import (
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func testSigningKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	keys := []store.SigningKey{
		{PoolID: "a", KID: "k-old", Use: "id", Alg: "RS256", Private: []byte{0, 1, 2, 0xff}, Public: []byte{3, 4}, CreatedAt: t0()},
		{PoolID: "a", KID: "a-new", Use: "access", Alg: "RS256", Private: []byte{5}, Public: []byte{6, 7}, CreatedAt: t0().Add(time.Hour)},
		{PoolID: "a", KID: "m-newest", Use: "id", Alg: "RS256", Private: []byte{8}, Public: []byte{9}, CreatedAt: t0().Add(2 * time.Hour)},
	}
	// Created out of order: listing is by creation time.
	for _, i := range []int{2, 0, 1} {
		must(t, s.CreateSigningKey(ctx, keys[i]))
	}
	norm := normSlice(normKey)
	got, err := s.ListSigningKeys(ctx, "a")
	must(t, err)
	wantEqual(t, "ListSigningKeys", got, keys, norm)
	for _, k := range got {
		wantUTC(t, "ListSigningKeys", k.CreatedAt, k.RetiredAt)
	}

	dup := keys[0]
	dup.Alg = "ES256"
	wantErr(t, s.CreateSigningKey(ctx, dup), store.ErrAlreadyExists)
	inB := keys[0]
	inB.PoolID = "b"
	must(t, s.CreateSigningKey(ctx, inB))
	// Keys may belong to an owner that is not a user pool: the identity pools' OpenID token
	// issuer keeps its keys under "cognito-identity".
	other := keys[0]
	other.PoolID = "cognito-identity"
	must(t, s.CreateSigningKey(ctx, other))
	got, err = s.ListSigningKeys(ctx, "cognito-identity")
	must(t, err)
	wantEqual(t, "keys of a non-pool owner", got, []store.SigningKey{other}, norm)

	retired := t0().Add(90 * time.Minute)
	must(t, s.RetireSigningKey(ctx, "a", "k-old", retired))
	keys[0].RetiredAt = retired
	got, err = s.ListSigningKeys(ctx, "a")
	must(t, err)
	wantEqual(t, "keys after retiring k-old", got, keys, norm)
	got, err = s.ListSigningKeys(ctx, "b")
	must(t, err)
	wantEqual(t, "pool b's keys", got, []store.SigningKey{inB}, norm)

	wantErr(t, s.RetireSigningKey(ctx, "a", "missing", retired), store.ErrNotFound)
	wantErr(t, s.RetireSigningKey(ctx, "c", "k-old", retired), store.ErrNotFound)

	got, err = s.ListSigningKeys(ctx, "c")
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("unknown pool lists keys: %+v", got)
	}
}
