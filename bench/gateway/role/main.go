// Command role puts an IAM role with one inline policy into a stopped Gatehouse's SQLite
// store, for the gateway benchmark's COGNITO_GROUP_POLICY run. It stands in for
// `aws iam create-role` and `aws iam put-role-policy` until Gatehouse serves the IAM API.
//
//	role -data DIR -name NAME -policy JSON
package main

import (
	"context"
	"flag"
	"log"
	"path/filepath"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

func main() {
	data := flag.String("data", "", "the Gatehouse --data folder (Gatehouse must not be running)")
	name := flag.String("name", "bench-role", "role name")
	account := flag.String("account", "000000000000", "account id")
	doc := flag.String("policy", "", "the role's inline policy document")
	flag.Parse()
	if *data == "" || *doc == "" {
		log.Fatal("role: -data and -policy are required")
	}
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(*data, "gatehouse.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	arn := "arn:aws:iam::" + *account + ":role/" + *name
	if err := st.CreateRole(ctx, store.Role{Name: *name, ID: "AROABENCHROLE0000000", ARN: arn, Path: "/",
		AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`, MaxSessionDuration: 3600, CreatedAt: time.Now()}); err != nil {
		log.Fatal(err)
	}
	if err := st.PutRolePolicy(ctx, *name, store.InlinePolicy{Name: "bench", Document: *doc}); err != nil {
		log.Fatal(err)
	}
	log.Printf("role: %s with policy bench", arn)
}
