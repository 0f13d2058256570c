package iam

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzHandler: any form body gets an XML answer with a status, never a panic.
func FuzzHandler(f *testing.F) {
	e := newAPIEnv(f, "")
	h := openAPI(f, e)
	for _, s := range []string{
		"Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%7D",
		"Action=PutRolePolicy&Version=2010-05-08&RoleName=r&PolicyName=p&PolicyDocument=%7B%22Statement%22%3A%5B%5D%7D",
		"Action=ListRoles&Version=2010-05-08&MaxItems=1&Marker=a",
		"Action=GetCallerIdentity&Version=2011-06-15",
		"Action=CreateUser&UserName=u&Path=/a/",
		"Action=UpdateAccessKey&AccessKeyId=AKIAAAAAAAAAAAAAAAAA&Status=Inactive",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code < 200 || w.Code >= 600 || !strings.HasPrefix(w.Body.String(), "<?xml") {
			t.Fatalf("%d %q", w.Code, w.Body)
		}
		if w.Code == 500 {
			t.Fatalf("server failure for %q: %s", body, w.Body)
		}
	})
}
