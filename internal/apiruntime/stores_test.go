package apiruntime

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
)

func TestGroupRoles(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	clk := newClock()
	const pool = "us-east-1_AbCdEf123"
	if err := st.CreateUserPool(ctx, store.UserPool{ID: pool, Name: "p", CreatedAt: clk.Now(), UpdatedAt: clk.Now(), Spec: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	for _, g := range []store.Group{
		{PoolID: pool, Name: "admins", RoleArn: "arn:aws:iam::000000000000:role/admin"},
		{PoolID: pool, Name: "plain"},
	} {
		g.CreatedAt, g.UpdatedAt = clk.Now(), clk.Now()
		if err := st.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	gr := GroupRoles{st}
	for _, tc := range []struct{ pool, group, want string }{
		{pool, "admins", "arn:aws:iam::000000000000:role/admin"},
		{pool, "plain", ""},
		{pool, "missing", ""},
		{"us-east-1_Missing00", "admins", ""},
	} {
		got, err := gr.GroupRoleARN(ctx, tc.pool, tc.group)
		if err != nil || got != tc.want {
			t.Errorf("GroupRoleARN(%s, %s) = %q, %v; want %q", tc.pool, tc.group, got, err, tc.want)
		}
	}
}

func TestRolePolicies(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	clk := newClock()
	const arn = "arn:aws:iam::000000000000:role/app/reader"
	if err := st.CreateRole(ctx, store.Role{Name: "reader", ID: "AROAREADER0000000000", ARN: arn, Path: "/app/", AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`, MaxSessionDuration: 3600, CreatedAt: clk.Now()}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"b", "a"} {
		if err := st.PutRolePolicy(ctx, "reader", store.InlinePolicy{Name: name, Document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`}); err != nil {
			t.Fatal(err)
		}
	}
	rp := RolePolicies{st}
	for _, tc := range []struct {
		arn   string
		found bool
		names []string
	}{
		{arn, true, []string{"a", "b"}},
		{"arn:aws:iam::000000000000:role/APP/READER", true, []string{"a", "b"}}, // ARNs compare case-insensitively, as IAM names do
		{"arn:aws:iam::000000000000:role/reader", false, nil},                   // same name, another path: another role
		{"arn:aws:iam::111111111111:role/app/reader", false, nil},               // another account
		{"arn:aws:iam::000000000000:role/app/missing", false, nil},
		{"arn:aws:iam::000000000000:user/app/reader", false, nil},
		{"arn:aws:iam::000000000000:role/", false, nil},
		{"reader", false, nil},
	} {
		docs, found, err := rp.InlinePolicies(ctx, tc.arn)
		if err != nil || found != tc.found || len(docs) != len(tc.names) {
			t.Errorf("InlinePolicies(%s) = %d docs, %v, %v; want %v %v", tc.arn, len(docs), found, err, tc.found, tc.names)
			continue
		}
		for i, d := range docs {
			if d.Name != tc.names[i] || d.Document == "" {
				t.Errorf("InlinePolicies(%s)[%d] = %+v, want %s", tc.arn, i, d, tc.names[i])
			}
		}
	}
}
