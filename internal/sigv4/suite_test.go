package sigv4

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The golden files under testdata/aws-sig-v4-test-suite are cases of AWS's Signature
// Version 4 test suite (aws-sig-v4-test-suite, 2015: service "service", region us-east-1,
// AKIDEXAMPLE): the request as sent (.req), the canonical request (.creq), the string to
// sign (.sts) and the Authorization header (.authz). The post-x-www-form-urlencoded cases
// are the suite's originals, checked below against their own hashes (copies circulating
// with a Content-Length header in .creq do not hash to .sts).
const suiteDir = "testdata/aws-sig-v4-test-suite"

const suiteToken = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

type suiteCase struct {
	name                     string
	req, creq, sts, authz    string
	normalized, sessionToken bool
}

func loadSuite(t *testing.T) []suiteCase {
	t.Helper()
	var cases []suiteCase
	err := filepath.WalkDir(suiteDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".req") {
			return err
		}
		base := strings.TrimSuffix(path, ".req")
		read := func(ext string) string {
			b, err := os.ReadFile(base + ext)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		rel, _ := filepath.Rel(suiteDir, filepath.Dir(path))
		cases = append(cases, suiteCase{
			name:         filepath.ToSlash(rel),
			req:          read(".req"),
			creq:         read(".creq"),
			sts:          read(".sts"),
			authz:        read(".authz"),
			normalized:   strings.HasPrefix(filepath.ToSlash(rel), "normalize-path/"),
			sessionToken: strings.HasPrefix(filepath.ToSlash(rel), "post-sts-token/"),
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 25 {
		t.Fatalf("found %d suite cases", len(cases))
	}
	return cases
}

// parseSuiteRequest reads a .req file: "METHOD URI HTTP/1.1", "Name:value" lines, and a
// body after an empty line. The URI may hold raw spaces and UTF-8, so no HTTP parser will do.
func parseSuiteRequest(t *testing.T, raw string) *Request {
	t.Helper()
	head, body, _ := strings.Cut(raw, "\n\n")
	lines := strings.Split(head, "\n")
	method, rest, _ := strings.Cut(lines[0], " ")
	target, ok := strings.CutSuffix(rest, " HTTP/1.1")
	if !ok {
		t.Fatalf("request line %q", lines[0])
	}
	path, query, _ := strings.Cut(target, "?")
	r := &Request{Method: method, Path: path, RawQuery: query, Header: http.Header{}, Body: []byte(body)}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("header line %q", l)
		}
		if strings.EqualFold(k, "Host") {
			r.Host = v
			continue
		}
		r.Header.Add(k, v)
	}
	return r
}

func TestSuiteGoldenFilesAreConsistent(t *testing.T) {
	for _, c := range loadSuite(t) {
		sum := sha256.Sum256([]byte(c.creq))
		if got, want := hex.EncodeToString(sum[:]), c.sts[strings.LastIndexByte(c.sts, '\n')+1:]; got != want {
			t.Errorf("%s: sha256(creq) = %s, sts says %s", c.name, got, want)
		}
		key := deriveKey(suiteSecret, "20150830", "us-east-1", "service")
		sig := hex.EncodeToString(hmacSHA256(key, c.sts))
		if !strings.HasSuffix(c.authz, "Signature="+sig) {
			t.Errorf("%s: signature of sts = %s, authz %s", c.name, sig, c.authz)
		}
	}
}

// TestSuiteCanonical builds each case's canonical request and string to sign and compares
// them with AWS's.
func TestSuiteCanonical(t *testing.T) {
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			r := parseSuiteRequest(t, c.req)
			r.Header.Set("Authorization", c.authz)
			q, err := parseQuery(r.RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			p, err := parseAuth(r, q)
			if err != nil {
				t.Fatal(err)
			}
			cr, err := newCanonical(r, p, q, actualPayloadHash(r))
			if err != nil {
				t.Fatal(err)
			}
			uri := cr.uri
			if c.normalized && cr.normalizedURI != "" {
				uri = cr.normalizedURI
			}
			if got := cr.string(uri); got != c.creq {
				t.Errorf("canonical request:\n%s\nwant:\n%s", got, c.creq)
			}
			if got := stringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", c.creq); got != c.sts {
				t.Errorf("string to sign:\n%s\nwant:\n%s", got, c.sts)
			}
		})
	}
}

// TestSuiteVerify verifies every case end to end, then with its signature altered.
func TestSuiteVerify(t *testing.T) {
	now := mustTime(t, "20150830T123600Z")
	for _, c := range loadSuite(t) {
		t.Run(c.name, func(t *testing.T) {
			secret := Secret{SecretAccessKey: suiteSecret}
			if c.sessionToken {
				secret.SessionToken = suiteToken
			}
			v := newVerifier(t, Config{
				Service: "service", Region: "us-east-1", Now: fixedClock(now),
				Credentials: newCreds(suiteKeyID, secret),
			})
			r := parseSuiteRequest(t, c.req)
			r.Header.Set("Authorization", c.authz)
			res, err := v.Verify(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			if res.AccessKeyID != suiteKeyID || res.Region != "us-east-1" || res.Service != "service" ||
				!res.SignedAt.Equal(now) || res.Presigned {
				t.Errorf("result %+v", res)
			}

			last := c.authz[len(c.authz)-1]
			flipped := "0"
			if last == '0' {
				flipped = "1"
			}
			r.Header.Set("Authorization", c.authz[:len(c.authz)-1]+flipped)
			_, err = v.Verify(context.Background(), r)
			wantRefusal(t, err, InvalidSignature, msgMismatch+"…")
			// The message shows the canonical request of the path as sent; for the
			// normalize-path cases AWS's files show the normalized one.
			if e, ok := err.(*Error); ok && !c.normalized {
				if want := msgSignatureMismatch(c.creq, c.sts); e.Message != want {
					t.Errorf("message:\n%s\nwant:\n%s", e.Message, want)
				}
			}
		})
	}
}
