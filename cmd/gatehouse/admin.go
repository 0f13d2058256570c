package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/sigv4"
	"github.com/gatehouse/gatehouse/internal/store"
)

// The administrator Gatehouse creates on first start: an IAM user allowed everything, whose
// access key is written to {data}/credentials. It is an ordinary IAM user: `aws iam` lists,
// changes and deletes it like any other (a deleted one is created again on the next start).
const (
	adminUserName   = "gatehouse-admin"
	adminPolicyName = "AdministratorAccess"
	adminPolicy     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	// credentialsProfile is the profile of {data}/credentials, for AWS_PROFILE / --profile.
	credentialsProfile = "gatehouse"
)

// ensureAdminKey makes sure the administrator and an active access key of theirs exist and
// that the credentials file holds that key under the gatehouse profile. Nodes sharing a
// database share the administrator: a node without the file writes the existing key (its
// secret opens with the shared master key) rather than creating more.
func ensureAdminKey(ctx context.Context, api *iam.API, principals *iam.Principals, users store.IAMUsers, path string) error {
	if _, err := users.GetIAMUser(ctx, adminUserName); errors.Is(err, store.ErrNotFound) {
		if _, err := api.CreateUser(ctx, adminUserName, "/"); err != nil && !isCode(err, "EntityAlreadyExists") {
			return fmt.Errorf("create IAM user %s: %w", adminUserName, err)
		}
		if err := api.PutUserPolicy(ctx, adminUserName, adminPolicyName, adminPolicy); err != nil {
			return fmt.Errorf("give %s its policy: %w", adminUserName, err)
		}
	} else if err != nil {
		return fmt.Errorf("look up IAM user %s: %w", adminUserName, err)
	}
	if id := profileKey(path, credentialsProfile); id != "" {
		if k, err := users.GetAccessKey(ctx, id); err == nil && k.Status == "Active" {
			return nil // the file's key still works
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("look up access key %s: %w", id, err)
		}
	}
	keys, err := users.ListAccessKeys(ctx, adminUserName)
	if err != nil {
		return fmt.Errorf("list %s's access keys: %w", adminUserName, err)
	}
	var id, secret string
	for _, k := range keys {
		if k.Status != "Active" {
			continue
		}
		s, err := principals.Lookup(ctx, k.ID)
		if errors.Is(err, sigv4.ErrUnknownKey) {
			continue
		}
		if err != nil {
			return fmt.Errorf("open access key %s: %w", k.ID, err)
		}
		id, secret = k.ID, s.SecretAccessKey
		break
	}
	if id == "" {
		k, err := api.CreateAccessKey(ctx, adminUserName)
		if err != nil {
			return fmt.Errorf("create an access key for %s: %w (delete one with aws iam delete-access-key)", adminUserName, err)
		}
		id, secret = k.AccessKeyID, k.SecretAccessKey
	}
	return writeProfile(path, credentialsProfile, id, secret)
}

func isCode(err error, code string) bool {
	var ae *awsapi.Error
	return errors.As(err, &ae) && ae.Type == code
}

// profileKey returns aws_access_key_id of [profile] in an AWS shared-credentials file, ""
// when the file, the profile or the key is missing.
func profileKey(path, profile string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			in = strings.TrimSpace(line[1:len(line)-1]) == profile
			continue
		}
		if k, v, ok := strings.Cut(line, "="); in && ok && strings.TrimSpace(k) == "aws_access_key_id" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// writeProfile sets [profile] of an AWS shared-credentials file (AWS CLI User Guide,
// "Configuration and credential file settings") to the key, keeping every other profile,
// and leaves the file readable by its owner only. It writes a temporary file and renames
// it, so a crash never leaves half a file.
func writeProfile(path, profile, id, secret string) error {
	var kept []string
	if b, err := os.ReadFile(path); err == nil {
		skip := false
		for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			t := strings.TrimSpace(line)
			if strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
				skip = strings.TrimSpace(t[1:len(t)-1]) == profile
			}
			if !skip {
				kept = append(kept, line)
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", path, err)
	}
	for len(kept) > 0 && strings.TrimSpace(kept[len(kept)-1]) == "" {
		kept = kept[:len(kept)-1]
	}
	if len(kept) > 0 {
		kept = append(kept, "")
	}
	kept = append(kept, "["+profile+"]", "aws_access_key_id = "+id, "aws_secret_access_key = "+secret, "")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".credentials-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.WriteString(strings.Join(kept, "\n")); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// loopbackOnly reports whether every address is a loopback one ("localhost", 127.0.0.0/8,
// ::1). An address without a host (":9229") listens on every interface.
func loopbackOnly(addrs ...string) bool {
	for _, a := range addrs {
		host, _, err := net.SplitHostPort(a)
		if err != nil || !iam.LoopbackHost(host) {
			return false
		}
	}
	return true
}
