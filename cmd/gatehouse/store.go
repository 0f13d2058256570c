package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// storeFlags are the flags every command that opens the store shares.
type storeFlags struct {
	data      string
	storeURL  string
	masterKey string
}

func (f *storeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.data, "data", "./.gatehouse", "data folder: the SQLite database (unless --store is set) and the master key file")
	fs.StringVar(&f.storeURL, "store", "", "database URL, e.g. postgres://user@host:5432/db?sslmode=disable (default: SQLite in --data)")
	fs.StringVar(&f.masterKey, "master-key", "", "master key that encrypts secrets at rest (base64 of 32 bytes or 64 hex digits; default: {data}/master.key, created on first start). Also read from GATEHOUSE_MASTER_KEY")
}

// dataStore is the store every command opens. This file is the one place in cmd that names
// the store's implementation; everything else hands the value to the packages that use it.
type dataStore = sqlstore.Store

// open opens the store and the master key.
func (f *storeFlags) open(ctx context.Context) (*dataStore, *masterkey.Key, error) {
	url := f.storeURL
	if url == "" {
		if err := os.MkdirAll(f.data, 0o700); err != nil {
			return nil, nil, fmt.Errorf("create data folder %s: %w", f.data, err)
		}
		url = filepath.Join(f.data, "gatehouse.db")
	}
	st, err := sqlstore.Open(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("open store %s: %w", redactURL(url), err)
	}
	key, err := f.loadKey()
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, key, nil
}

func (f *storeFlags) loadKey() (*masterkey.Key, error) {
	raw := f.masterKey
	if raw == "" {
		raw = os.Getenv("GATEHOUSE_MASTER_KEY")
	}
	if raw != "" {
		k, err := masterkey.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("--master-key: %w", err)
		}
		return k, nil
	}
	k, err := masterkey.Load(f.data)
	if err != nil {
		return nil, fmt.Errorf("master key in %s: %w (or pass --master-key)", f.data, err)
	}
	return k, nil
}

// redactURL hides a password in a database URL before it reaches a message.
func redactURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return u
	}
	cred := rest[:at]
	if user, _, hasPass := strings.Cut(cred, ":"); hasPass {
		return scheme + "://" + user + ":xxxxx@" + rest[at+1:]
	}
	return u
}
