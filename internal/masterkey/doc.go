// Package masterkey owns Gatehouse's master key: the one AES-256 key that encrypts secrets at
// rest (token-signing private keys, app-client secrets, SRP verifiers).
//
// The key comes either from --master-key (Parse) or from the file master.key in the data
// directory, created on first start (Load). Seal and Open are AES-256-GCM with a random 96-bit
// nonce; the caller's additional data binds each sealed value to its owner (for example
// poolID+"/"+kid), so a sealed value copied into another row does not open there.
//
// The package never logs, prints or returns the key material: a *Key formats as a fixed
// placeholder, and no error message contains key bytes.
package masterkey
