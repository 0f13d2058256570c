package masterkey

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileName is the name of the key file Load keeps in the data directory.
const FileName = "master.key"

// Load returns the master key stored in dataDir/master.key, creating the directory (mode 0700)
// and the file (mode 0600, the standard base64 of 32 random bytes and a newline) when they do
// not exist.
//
// Creation is atomic: the key is written and synced to a temporary file which is then
// hard-linked to master.key, and a link fails when the name exists. So when two processes start
// at once on an empty directory, exactly one key is created and both return it, and a reader
// never sees a half-written file. On a file system without hard links Load falls back to
// creating master.key with O_EXCL.
//
// Load does not check the permissions of an existing file; keeping it private is the
// operator's task.
func Load(dataDir string) (*Key, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("masterkey: creating data directory: %w", err)
	}
	path := filepath.Join(dataDir, FileName)
	k, err := readFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := create(dataDir, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	// Ours or, when another process won the race, theirs.
	return readFile(path)
}

func readFile(path string) (*Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("masterkey: reading key file: %w", err)
	}
	k, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("masterkey: key file %s: %w", path, err)
	}
	return k, nil
}

// create writes a new key to path; an error wrapping fs.ErrExist means another process got
// there first.
func create(dir, path string) error {
	raw := make([]byte, Size)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("masterkey: reading random key: %w", err)
	}
	content := []byte(base64.StdEncoding.EncodeToString(raw) + "\n")

	tmp, err := os.CreateTemp(dir, ".master.key.tmp-*")
	if err != nil {
		return fmt.Errorf("masterkey: creating key file: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	if err := writeSync(tmp, content); err != nil {
		return err
	}
	err = os.Link(tmpName, path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	// No hard links here: fall back to an exclusive create of the final name.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("masterkey: creating key file: %w", err)
	}
	return writeSync(f, content)
}

// writeSync writes content, makes the file private, syncs and closes it.
func writeSync(f *os.File, content []byte) error {
	_, err := f.Write(content)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("masterkey: writing key file: %w", err)
	}
	return nil
}
