package iam

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteProfile: the gatehouse profile is written, then replaced, while every other
// profile of the file stays as it was; the file is readable by its owner only.
func TestWriteProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "credentials")
	if got := profileKey(path, CredentialsProfile); got != "" {
		t.Fatalf("profileKey of a missing file = %q", got)
	}
	if err := writeProfile(path, CredentialsProfile, "AKIAFIRST", "s1"); err != nil {
		t.Fatal(err)
	}
	other := "[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = x\n\n"
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, append([]byte(other), b...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeProfile(path, CredentialsProfile, "AKIASECOND", "s2"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := other + "[gatehouse]\naws_access_key_id = AKIASECOND\naws_secret_access_key = s2\n"
	if string(b) != want {
		t.Fatalf("file:\n%s\nwant:\n%s", b, want)
	}
	if got := profileKey(path, CredentialsProfile); got != "AKIASECOND" {
		t.Errorf("profileKey(gatehouse) = %q", got)
	}
	if got := profileKey(path, "default"); got != "AKIAOTHER" {
		t.Errorf("profileKey(default) = %q", got)
	}
	if got := profileKey(path, "missing"); got != "" {
		t.Errorf("profileKey(missing) = %q", got)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
}
