package masterkey

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestLoadCreatesThenReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested")
	k1, err := Load(dir)
	if err != nil {
		t.Fatalf("Load (create): %v", err)
	}
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) != Size {
		t.Fatalf("key file holds %q: want base64 of %d bytes (err %v)", b, Size, err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("data directory mode = %v, want 0700", fi.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data directory holds %d entries, want only %s", len(entries), FileName)
	}

	sealed, err := k1.Seal([]byte("secret"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := Load(dir)
	if err != nil {
		t.Fatalf("Load (existing): %v", err)
	}
	if got, err := k2.Open(sealed, []byte("aad")); err != nil || string(got) != "secret" {
		t.Fatalf("reloaded key does not open the first key's value: %q, %v", got, err)
	}
	if b2, _ := os.ReadFile(path); !bytes.Equal(b, b2) {
		t.Error("second Load rewrote the key file")
	}
}

func TestLoadConcurrentStartsAgree(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	keys := make([]*Key, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = Load(dir) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Load %d: %v", i, err)
		}
	}
	sealed, _ := keys[0].Seal([]byte("x"), nil)
	for i, k := range keys[1:] {
		if _, err := k.Open(sealed, nil); err != nil {
			t.Errorf("Load %d returned a different key", i+1)
		}
	}
}

func TestLoadRejectsBadFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), FileName) {
		t.Fatalf("Load of a bad key file: %v, want an error naming the file", err)
	}
}

func TestLoadDataDirIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(file); err == nil {
		t.Fatal("Load with a file as data directory succeeded")
	}
}
